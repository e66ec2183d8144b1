"""Setting a mentoring cycle up: its term and rules here, its mentee call through calls' services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.calls.enums import CallKind, CountryBasis
from oncoreach.calls.services_setup import CallSetup, create_call, update_call
from oncoreach.core.services import record_audit
from oncoreach.mentoring.enums import MAX_TERM_MONTHS
from oncoreach.mentoring.models import MentoringCycle, Track
from oncoreach.programs.forms_engine import create_form_definition
from oncoreach.programs.models import Cycle, FormDefinition

MENTEE_FORM = "Mentee application"


def mentee_form() -> FormDefinition:
    """The mentee call's own questions (mentoring's own page asks the rest)."""
    existing = FormDefinition.objects.filter(name=MENTEE_FORM).first()
    return existing or create_form_definition(
        name=MENTEE_FORM,
        questions=[{"kind": "long_text", "label": "Anything else we should know?", "required": False}],
    )


@dataclass(frozen=True)
class CycleSetup:
    """Everything staff set on a mentoring cycle. ``opens_on``/``closes_on`` are dates in
    ``time_zone``: the call opens at midnight and closes at 11:59 PM there."""

    cycle: Cycle
    opens_on: dt.date
    closes_on: dt.date
    time_zone: str
    term_start: dt.date
    term_months: int = 12
    min_contact_hours_per_month: Decimal = Decimal(1)
    consent_days: int = 14
    mentor_min_years: int = 10
    mentor_outside_region: bool = True
    eligible_income_groups: list[str] = field(default_factory=list)
    max_years_since_training: int | None = None
    requires_membership: bool = False
    tracks: list[str] = field(default_factory=list)
    description: str = ""


def _call_setup(setup: CycleSetup) -> CallSetup:
    if setup.closes_on < setup.opens_on:
        raise ValidationError({"closes_on": _("The application window must close after it opens.")}, code="window")
    if setup.term_start <= setup.closes_on:
        raise ValidationError(
            {"term_start": _("The mentoring term must start after the application window closes.")}, code="term"
        )
    if not 1 <= setup.term_months <= MAX_TERM_MONTHS:
        raise ValidationError(
            {"term_months": _("A term lasts from 1 to %(max)s months.") % {"max": MAX_TERM_MONTHS}}, code="term"
        )
    zone = ZoneInfo(setup.time_zone)
    return CallSetup(
        title=_("Virtual mentoring: mentee applications, %(cycle)s") % {"cycle": setup.cycle},
        cycle=setup.cycle,
        opens_at=dt.datetime.combine(setup.opens_on, dt.time(0, 0), tzinfo=zone),
        closes_at=dt.datetime.combine(setup.closes_on, dt.time(23, 59), tzinfo=zone),
        time_zone=setup.time_zone,
        form=mentee_form(),
        description=setup.description,
        eligible_income_groups=list(setup.eligible_income_groups),
        country_basis=CountryBasis.PRACTICE.value,
        reference_date=setup.cycle.reference_date,
        max_years_since_training=setup.max_years_since_training,
        requires_membership=setup.requires_membership,
        reviews_per_application=0,
    )


_OWN_FIELDS = (
    "term_start",
    "term_months",
    "min_contact_hours_per_month",
    "consent_days",
    "mentor_min_years",
    "mentor_outside_region",
)


def _save_tracks(mentoring: MentoringCycle, names: list[str]) -> None:
    wanted = [name.strip() for name in names if name.strip()]
    mentoring.tracks.exclude(name__in=wanted).filter(requests__isnull=True).delete()
    for order, name in enumerate(wanted):
        Track.objects.update_or_create(cycle=mentoring, name=name, defaults={"order": order})


@transaction.atomic
def create_cycle(*, setup: CycleSetup, actor: Any) -> MentoringCycle:
    """The cycle's mentoring settings and its mentee call (made by calls' services)."""
    if MentoringCycle.objects.filter(cycle=setup.cycle).exists():
        raise ValidationError({"cycle": _("This cycle already has mentoring set up.")}, code="exists")
    call = create_call(setup=_call_setup(setup), kind=CallKind.MENTEE, actor=actor, driven_by="mentoring")
    mentoring = MentoringCycle(cycle=setup.cycle, call=call, **{name: getattr(setup, name) for name in _OWN_FIELDS})
    mentoring.full_clean()
    mentoring.save()
    _save_tracks(mentoring, setup.tracks)
    record_audit(actor=actor, action="mentoring.cycle.create", target=mentoring, call=call.pk)
    return mentoring


@transaction.atomic
def update_cycle(*, mentoring: MentoringCycle, setup: CycleSetup, actor: Any) -> MentoringCycle:
    update_call(call=mentoring.call, setup=_call_setup(setup), actor=actor)
    for name in _OWN_FIELDS:
        setattr(mentoring, name, getattr(setup, name))
    mentoring.full_clean()
    mentoring.save()
    _save_tracks(mentoring, setup.tracks)
    record_audit(actor=actor, action="mentoring.cycle.update", target=mentoring)
    return mentoring
