"""The impact figures awards and grants contribute (programs.impact; reporting shows them).

Each function is one grouped query; its docstring says exactly what it counts. ``apps.py``
registers them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from oncoreach.awards.enums import TrancheStatus
from oncoreach.awards.models import Award, Tranche
from oncoreach.programs.impact import FigureFamily, FigureRow

#: ``grant_money`` is in US dollars (Unit.USD): money in another currency is never added to it.
GRANT_MONEY_CURRENCY = "USD"


def award_figures() -> list[FigureRow]:
    """``awards_made``: award records, that is awards accepted (an offer becomes an award only
    when the awardee accepts it; past awardees imported for the directory count too), one per
    award, under the award's country (the awardee's country of practice when the award names
    none), its program, and dated 1 January of the award's year (the year of the decision)."""
    rows = (
        Award.objects.annotate(where=Coalesce("country", "person__country_of_practice"))
        .values("where", "program", "year")
        .annotate(made=Count("pk"))
        .order_by()
    )
    return [
        FigureRow(
            country_id=row["where"],
            program_id=row["program"],
            day=dt.date(row["year"], 1, 1),
            values={"awards_made": row["made"]},
        )
        for row in rows
    ]


def grant_money_figures() -> list[FigureRow]:
    """``grant_money``: the sum of grant tranches with status *paid* (scheduled, approved and
    cancelled ones are not money paid), of grants in US dollars only (a grant in another
    currency is left out, never converted or added), under the grantee organization's country,
    the grant's program, by the day the tranche was paid (UTC)."""
    rows = (
        Tranche.objects.filter(status=TrancheStatus.PAID, grant__currency=GRANT_MONEY_CURRENCY)
        .values("grant__organization__country", "grant__program", "paid_at__date")
        .annotate(paid=Sum("amount"))
        .order_by()
    )
    return [
        FigureRow(
            country_id=row["grant__organization__country"],
            program_id=row["grant__program"],
            day=row["paid_at__date"],
            values={"grant_money": row["paid"]},
        )
        for row in rows
    ]


AWARDS = FigureFamily(name="awards.awards", provides=("awards_made",), rows=award_figures)
GRANT_MONEY = FigureFamily(name="awards.grant_money", provides=("grant_money",), rows=grant_money_figures)
