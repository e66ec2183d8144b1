"""Writes for setting a call up: the call itself, its rubric and its reviewer panel.

Kept apart from the application lifecycle (services.py) so that call set-up can grow (stages,
per-stage committees and forms) without touching the choke point of applications. Every write
here is audited; the public call pages are cached whole, so a change bumps their generation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oncoreach.calls.enums import DRIVEN_ELSEWHERE, AssignmentStatus, CountryBasis
from oncoreach.calls.models import Call, ReviewAssignment, RubricCriterion
from oncoreach.calls.selectors import form_is_locked, reviewing_started, stages_are_locked
from oncoreach.calls.services import TransitionNotAllowed, transition_assignment
from oncoreach.core.cache import bump_public_generation
from oncoreach.core.services import record_audit
from oncoreach.people.models import Person
from oncoreach.programs.models import Cycle, FormDefinition, Program

# --- The call ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallSetup:
    """Everything staff set on a call. Dates are aware (the form reads them in the call's zone)."""

    title: str
    cycle: Cycle
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_zone: str
    form: FormDefinition
    description: str = ""
    is_published: bool = True
    eligible_income_groups: list[str] = field(default_factory=list)
    country_basis: str = CountryBasis.PRACTICE.value
    reference_date: dt.date | None = None
    allowed_career_stages: list[str] = field(default_factory=list)
    max_years_since_training: int | None = None
    # None leaves the call's setting as it is (the calls set-up form does not show it; mentoring sets it).
    requires_membership: bool | None = None
    prior_award_programs: list[Program] = field(default_factory=list)
    prior_award_years: int = 0
    reference_letters_required: int = 0
    reviews_per_application: int = 2
    conflict_same_country: bool = False
    extra_stages: list[str] = field(default_factory=list)


_PLAIN_FIELDS = tuple(name for name in CallSetup.__dataclass_fields__ if name != "prior_award_programs")


#: First path segments under /calls/ that name pages, not calls (see calls/urls.py).
RESERVED_SLUGS = frozenset({"mine", "applications", "references", "reviews", "staff", "new"})


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "call"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Call.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_locks(call: Call, setup: CallSetup) -> None:
    """Refuse changes that would break what applicants and reviewers already did."""
    errors: dict[str, str] = {}
    if call.form_id != setup.form.pk and form_is_locked(call=call):
        errors["form"] = _(
            "Applications were already started on this form; the form can no longer change "
            "(their answers belong to it)."
        )
    if list(call.extra_stages) != list(setup.extra_stages) and stages_are_locked(call=call):
        errors["extra_stages"] = _(
            "Applications have already reached review; the stages after review can no longer change."
        )
    if errors:
        raise ValidationError(errors, code="locked")


def _apply(call: Call, setup: CallSetup) -> list[str]:
    changed = []
    for name in _PLAIN_FIELDS:
        value = getattr(setup, name)
        if value is None and name == "requires_membership":
            continue
        if isinstance(value, str) and name != "description":
            value = value.strip()
        if getattr(call, name, None) != value:  # None: a new call without its cycle or form yet
            setattr(call, name, value)
            changed.append(name)
    return changed


def _save(call: Call, setup: CallSetup) -> bool:
    """Validate and save; True when the excluded prior programs changed too."""
    call.full_clean()
    call.save()
    programs_changed = {p.pk for p in call.prior_award_programs.all()} != {p.pk for p in setup.prior_award_programs}
    if programs_changed:
        call.prior_award_programs.set(setup.prior_award_programs)
    transaction.on_commit(bump_public_generation)
    return programs_changed


@transaction.atomic
def create_call(*, setup: CallSetup, kind: str, actor: Any, driven_by: str = "") -> Call:
    """A new call with its rules, form and dates; its address (slug) comes from the title.

    A kind another app drives (calls.enums.DRIVEN_ELSEWHERE) is made only by that app, which names
    itself in ``driven_by`` (mentoring sets up its mentee call this way); without it such a kind is
    refused (a course's registration call is opened from the course).
    """
    if kind in DRIVEN_ELSEWHERE and not driven_by:
        refusal = _("A course’s registration call is opened from the course, not set up here.")
        raise ValidationError({"kind": ValidationError(refusal, code="driven_elsewhere")})
    call = Call(kind=kind, slug=_unique_slug(setup.title))
    _apply(call, setup)
    _save(call, setup)
    record_audit(actor=actor, action="calls.call.create", target=call, kind=kind, driven_by=driven_by)
    return call


@transaction.atomic
def update_call(*, call: Call, setup: CallSetup, actor: Any) -> Call:
    """Change a call's set-up. The form is locked once applications exist and the stages once
    applications reached review (ValidationError, nothing changes). Eligibility already judged
    stays as stored on each application."""
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    _check_locks(call, setup)
    changed = _apply(call, setup)
    if _save(call, setup):
        changed.append("prior_award_programs")
    record_audit(actor=actor, action="calls.call.update", target=call, changed=changed)
    return call


def setup_for(call: Call) -> dict[str, Any]:
    """The call's current set-up as plain values (the edit form's initial data)."""
    values = {name: getattr(call, name) for name in _PLAIN_FIELDS}
    values["prior_award_programs"] = list(call.prior_award_programs.all())
    return values


# --- The rubric -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSetup:
    name: str
    description: str = ""
    weight: Decimal = Decimal(1)
    scale_max: int = 5


def _require_rubric_open(call: Call) -> None:
    if reviewing_started(call=call):
        raise ValidationError(
            _(
                "Reviewing has started on this call, so its rubric is locked: every review must be "
                "scored against the same criteria."
            ),
            code="rubric_locked",
        )


def _audit_rubric(call: Call, actor: Any, action: str, criterion: RubricCriterion) -> None:
    record_audit(actor=actor, action=f"calls.rubric.{action}", target=call, criterion=criterion.name)


@transaction.atomic
def add_criterion(*, call: Call, setup: CriterionSetup, actor: Any) -> RubricCriterion:
    """Add a criterion at the end of the rubric (refused once reviewing has started)."""
    Call.objects.select_for_update(of=("self",)).filter(pk=call.pk).first()
    _require_rubric_open(call)
    last = RubricCriterion.objects.filter(call=call).order_by("-order").values_list("order", flat=True).first()
    criterion = RubricCriterion(call=call, order=(last or 0) + 1, **asdict(setup))
    criterion.full_clean()
    criterion.save()
    _audit_rubric(call, actor, "add", criterion)
    return criterion


@transaction.atomic
def update_criterion(*, criterion: RubricCriterion, setup: CriterionSetup, actor: Any) -> RubricCriterion:
    _require_rubric_open(criterion.call)
    for name, value in asdict(setup).items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    _audit_rubric(criterion.call, actor, "update", criterion)
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: RubricCriterion, actor: Any) -> None:
    _require_rubric_open(criterion.call)
    _audit_rubric(criterion.call, actor, "remove", criterion)
    criterion.delete()


@transaction.atomic
def move_criterion(*, criterion: RubricCriterion, up: bool, actor: Any) -> list[RubricCriterion]:
    """Swap a criterion with its neighbour; the rubric is renumbered 1, 2, 3… in the new order."""
    _require_rubric_open(criterion.call)
    criteria = list(
        RubricCriterion.objects.select_for_update().filter(call_id=criterion.call_id).order_by("order", "id")
    )
    index = next(i for i, other in enumerate(criteria) if other.pk == criterion.pk)
    neighbour = index - 1 if up else index + 1
    if 0 <= neighbour < len(criteria):
        criteria[index], criteria[neighbour] = criteria[neighbour], criteria[index]
    for number, item in enumerate(criteria, start=1):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])
    _audit_rubric(criterion.call, actor, "move_up" if up else "move_down", criterion)
    return criteria


# --- The reviewer panel -----------------------------------------------------------------------


@transaction.atomic
def add_panel_reviewer(*, call: Call, person: Person, actor: Any) -> None:
    """Put a person on the call's reviewer panel (the engine and staff then assign from it)."""
    if call.reviewers.filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s is already on this panel.") % {"name": person}, code="duplicate")
    call.reviewers.add(person)
    record_audit(actor=actor, action="calls.panel.add", target=call, reviewer=person.pk)


@transaction.atomic
def remove_panel_reviewer(*, call: Call, person: Person, actor: Any) -> int:
    """Take a person off the panel. Their open requests on this call (proposed or accepted, no
    review yet) are withdrawn through the assignment lifecycle; submitted reviews stay.
    Returns how many requests were withdrawn."""
    if not call.reviewers.filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s is not on this panel.") % {"name": person}, code="not_member")
    call.reviewers.remove(person)
    open_requests = ReviewAssignment.objects.filter(
        application__call=call,
        reviewer=person,
        status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED],
    ).select_related("application")
    withdrawn = 0
    for assignment in open_requests:
        try:
            transition_assignment(
                assignment=assignment, to=AssignmentStatus.DECLINED, actor=actor, note="removed from the panel"
            )
        except TransitionNotAllowed:  # answered in the meantime
            continue
        withdrawn += 1
    record_audit(actor=actor, action="calls.panel.remove", target=call, reviewer=person.pk, withdrawn=withdrawn)
    return withdrawn
