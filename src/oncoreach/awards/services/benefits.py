"""Benefits as data: what an award gives, and granting each (complimentary membership becomes a
membership record through people's membership service)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.awards.enums import BenefitKind, BenefitStatus
from oncoreach.awards.models import Award, Benefit
from oncoreach.core.services import record_audit
from oncoreach.people.models import Person
from oncoreach.people.services_membership import grant_complimentary_membership

#: What an award gives unless staff change it (DOMAIN.md §1: travel to the Annual Meeting, a
#: mentor, three years of membership).
DEFAULT_BENEFITS: tuple[tuple[str, int | None], ...] = (
    (BenefitKind.MEETING_TRAVEL, None),
    (BenefitKind.MENTOR, None),
    (BenefitKind.MEMBERSHIP, 3),
)


@transaction.atomic
def add_benefit(*, award: Award, kind: str, actor: Any, years: int | None = None, note: str = "") -> Benefit:
    if kind not in BenefitKind.values:
        raise ValidationError(_("Unknown kind of benefit."), code="bad_kind")
    if kind == BenefitKind.MEMBERSHIP and not years:
        raise ValidationError(_("Say for how many years the membership is given."), code="years_missing")
    benefit = Benefit.objects.create(award=award, kind=kind, years=years, note=note[:300])
    record_audit(actor=actor, action="awards.benefit_added", target=benefit)
    return benefit


def add_default_benefits(*, award: Award, actor: Any) -> list[Benefit]:
    return [add_benefit(award=award, kind=kind, years=years, actor=actor) for kind, years in DEFAULT_BENEFITS]


@transaction.atomic
def grant_benefit(
    *, benefit: Benefit, actor: Any, mentor: Person | None = None, today: dt.date | None = None
) -> Benefit:
    """Mark a benefit given; membership makes its record, a mentor pairing names the mentor."""
    benefit = Benefit.objects.select_for_update().select_related("award__person").get(pk=benefit.pk)
    if benefit.status != BenefitStatus.PLANNED:
        raise ValidationError(_("This benefit was already given or cancelled."), code="benefit_done")
    if benefit.kind == BenefitKind.MENTOR:
        if mentor is None:
            raise ValidationError(_("Choose the mentor first."), code="mentor_missing")
        benefit.mentor = mentor
    if benefit.kind == BenefitKind.MEMBERSHIP:
        grant_complimentary_membership(
            person=benefit.award.person,
            valid_from=today or timezone.localdate(),
            years=benefit.years or 1,
            reference=f"AWARD-{benefit.award_id}",
            actor=actor,
        )
    benefit.status = BenefitStatus.GRANTED
    benefit.granted_at = timezone.now()
    benefit.save()
    record_audit(actor=actor, action="awards.benefit_granted", target=benefit)
    return benefit
