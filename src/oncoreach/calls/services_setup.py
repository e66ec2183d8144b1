"""Writes for setting a call up: the call itself, its rubric and its reviewer panel.

Kept apart from the application lifecycle (services.py) so that call set-up can grow (stages,
per-stage committees and forms) without touching the choke point of applications. Every write
here is audited; the public call pages are cached whole, so a change bumps their generation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oncoreach.calls.enums import (
    DRIVEN_ELSEWHERE,
    SIMPLE_EXTRA_STAGES,
    AssignmentStatus,
    CountryBasis,
    InvalidStageConfiguration,
    PanelRole,
    StageKind,
    StageShape,
    validate_stages,
)
from oncoreach.calls.models import Call, CallRole, CallStage, ReviewAssignment, RubricCriterion
from oncoreach.calls.roles import role_definition
from oncoreach.calls.rubric_variants import variant_choices
from oncoreach.calls.selectors import (
    form_is_locked,
    panel_people,
    reviewing_started,
    stages_are_locked,
    stages_with_use,
)
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


#: CallSetup's fields that live on the call's stages (the first submission stage and the first
#: review stage), not on the call.
_STAGE_FIELDS = frozenset({"opens_at", "closes_at", "form", "reviews_per_application", "extra_stages"})
_PLAIN_FIELDS = tuple(
    name for name in CallSetup.__dataclass_fields__ if name != "prior_award_programs" and name not in _STAGE_FIELDS
)


@dataclass(frozen=True)
class StageSetup:
    """One stage as staff (or an app's services) set it up. Times are aware."""

    key: str
    name: str
    kind: str
    form: FormDefinition | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    by_invitation: bool = False
    reviews_per_application: int = 0
    blind: bool = False
    caps: dict[str, Any] = field(default_factory=dict)


def simple_stages(
    *,
    form: FormDefinition,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    reviews_per_application: int = 0,
    extra_stages: Sequence[str] = (),
) -> list[StageSetup]:
    """The stages of a simple call: one submission stage, then a review stage when it reviews,
    then the chosen stages after review (SIMPLE_EXTRA_STAGES). An intake is the first alone."""
    stages = [StageSetup("application", _("Application"), StageKind.SUBMISSION, form, opens_at, closes_at)]
    if reviews_per_application or extra_stages:
        stages.append(
            StageSetup("review", _("Review"), StageKind.REVIEW, reviews_per_application=reviews_per_application)
        )
    for key, kind, name in SIMPLE_EXTRA_STAGES:
        if key in extra_stages:
            stages.append(StageSetup(key, _(name), kind))
    return stages


def _stage_error(exc: InvalidStageConfiguration) -> ValidationError:
    messages = {
        "no_stages": _("A call needs at least one stage."),
        "duplicate_key": _("Two stages have the same key; each stage needs its own."),
        "unknown_kind": _("A stage has an unknown kind."),
        "decision_not_last": _("The decision stage must be the last stage."),
        "later_not_invited": _("A submission stage after the first must be by invitation."),
        "invitation_not_submission": _("Only a submission stage can be by invitation."),
        "first_not_open": _("The first stage must be a submission stage open to everyone."),
    }
    return ValidationError({"stages": messages.get(exc.code, str(exc))}, code=exc.code)


def _in_use(stage: Any) -> bool:
    return bool(stage.has_applications or stage.has_submissions or stage.has_assignments or stage.has_decisions)


def _check_stage_locks(existing: dict[str, Any], stages: Sequence[StageSetup]) -> None:
    """Refuse what would break the answers, applications and reviews a stage already holds
    (ValidationError with a specific code; nothing is written)."""

    def refuse(message: str, stage: Any, code: str) -> None:
        raise ValidationError({"stages": message % {"name": stage.name}}, code=code)

    wanted = {item.key for item in stages}
    for key, stage in existing.items():
        if key in wanted:
            continue
        if _in_use(stage):
            refuse(_("The stage “%(name)s” has applications or reviews; it cannot be removed."), stage, "stage_in_use")
        if stage.has_criteria:
            refuse(_("The stage “%(name)s” has a rubric; remove its criteria first."), stage, "stage_has_rubric")
    for item in stages:
        stage = existing.get(item.key)
        if stage is None:
            continue
        if item.kind != stage.kind and _in_use(stage):
            refuse(_("The stage “%(name)s” is in use; its kind cannot change."), stage, "stage_in_use")
        if stage.has_submissions and (item.form.pk if item.form else None) != stage.form_id:
            refuse(
                _("Answers were already given on the form of the stage “%(name)s”; its form cannot change."),
                stage,
                "form_locked",
            )
        if stage.has_submissions and item.by_invitation != stage.by_invitation:
            refuse(
                _("Applicants already submitted to the stage “%(name)s”; who may submit cannot change."),
                stage,
                "invitation_locked",
            )
        if stage.has_assignments and item.blind != stage.blind:
            refuse(
                _("Reviewers were already asked in the stage “%(name)s”; whether it is blind cannot change."),
                stage,
                "blind_locked",
            )
    before = [key for key, stage in sorted(existing.items(), key=lambda pair: pair[1].order) if _in_use(stage)]
    after = [item.key for item in stages if item.key in before]
    if before != after:
        stage = existing[next(key for key, other in zip(before, after, strict=True) if key != other)]
        refuse(_("The stage “%(name)s” is in use; it keeps its place among the stages in use."), stage, "order_locked")


@transaction.atomic
def set_stages(*, call: Call, stages: Sequence[StageSetup], actor: Any = None) -> list[CallStage]:
    """Give a call its stages (a new call), or change them: stages are matched by key. A stage
    that applications, submissions or assignments use cannot be removed, change kind or move
    past another such stage; a stage with answers keeps its form and invitation rule, one with
    review requests its blindness (``_check_stage_locks``). Raises ValidationError (nothing
    changes) for a shape that makes no lifecycle or a change the locks refuse."""
    try:
        validate_stages([StageShape(item.key, item.kind, item.by_invitation) for item in stages])
    except InvalidStageConfiguration as exc:
        raise _stage_error(exc) from exc
    if any(item.blind and item.kind == StageKind.INTERVIEW for item in stages):
        message = _("An interview stage cannot be blind: interviewers meet the applicant.")
        raise ValidationError({"stages": message}, code="interview_not_blind")
    locked = stages_with_use(call=call).select_for_update(of=("self",)) if call.pk else CallStage.objects.none()
    existing = {stage.key: stage for stage in locked}
    _check_stage_locks(existing, stages)
    wanted = {item.key for item in stages}
    for key, stage in existing.items():
        if key not in wanted:
            stage.delete()
    result = []
    for order, item in enumerate(stages):
        stage = existing.get(item.key) or CallStage(call=call, key=item.key)
        stage.order = order
        for name in (
            "name",
            "kind",
            "form",
            "opens_at",
            "closes_at",
            "by_invitation",
            "reviews_per_application",
            "blind",
            "caps",
        ):
            setattr(stage, name, getattr(item, name))
        stage.full_clean(exclude=["call"])
        stage.save()
        result.append(stage)
    if hasattr(call, "_prefetched_objects_cache"):
        call._prefetched_objects_cache.pop("stages", None)
    if actor is not None:
        record_audit(actor=actor, action="calls.call.stages", target=call, stages=[item.key for item in stages])
    return result


def _setup_stages(call: Call, setup: CallSetup) -> list[StageSetup]:
    """The call's stages with the simple set-up's values applied (a new call: the simple shape)."""
    current = call.stage_list if call.pk else []
    if not current:
        return simple_stages(
            form=setup.form,
            opens_at=setup.opens_at,
            closes_at=setup.closes_at,
            reviews_per_application=setup.reviews_per_application,
            extra_stages=setup.extra_stages,
        )
    items = [stage_setup_for(stage) for stage in current]
    entry = items[0]
    items[0] = replace(entry, form=setup.form, opens_at=setup.opens_at, closes_at=setup.closes_at)
    if list(_extra_keys(current)) != list(setup.extra_stages):
        first_extra = next((i for i, stage in enumerate(current) if stage.key in _SIMPLE_KEYS), len(current))
        items = items[:first_extra] + [
            StageSetup(key, str(name), kind) for key, kind, name in SIMPLE_EXTRA_STAGES if key in setup.extra_stages
        ]
        if len(items) == 1 and setup.extra_stages:
            items.append(StageSetup("review", _("Review"), StageKind.REVIEW))
    review = next((i for i, item in enumerate(items) if item.kind == StageKind.REVIEW), None)
    if review is not None:
        items[review] = replace(items[review], reviews_per_application=setup.reviews_per_application)
    elif setup.reviews_per_application and len(items) == 1:
        items.append(
            StageSetup("review", _("Review"), StageKind.REVIEW, reviews_per_application=setup.reviews_per_application)
        )
    return items


_SIMPLE_KEYS = frozenset(key for key, _kind, _name in SIMPLE_EXTRA_STAGES)


def _extra_keys(stages: Sequence[CallStage]) -> list[str]:
    return [stage.key for stage in stages if stage.key in _SIMPLE_KEYS]


def stage_setup_for(stage: CallStage) -> StageSetup:
    return StageSetup(
        key=stage.key,
        name=stage.name,
        kind=stage.kind,
        form=stage.form,
        opens_at=stage.opens_at,
        closes_at=stage.closes_at,
        by_invitation=stage.by_invitation,
        reviews_per_application=stage.reviews_per_application,
        blind=stage.blind,
        caps=dict(stage.caps or {}),
    )


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
    entry = call.entry_stage
    if entry is not None and entry.form_id != setup.form.pk and form_is_locked(call=call):
        errors["form"] = _(
            "Applications were already started on this form; the form can no longer change "
            "(their answers belong to it)."
        )
    if _extra_keys(call.stage_list) != list(setup.extra_stages) and stages_are_locked(call=call):
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
    set_stages(call=call, stages=_setup_stages(call, setup))
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
    before = [stage_setup_for(stage) for stage in call.stage_list]
    stages = _setup_stages(call, setup)
    if _save(call, setup):
        changed.append("prior_award_programs")
    if stages != before:
        set_stages(call=call, stages=stages)
        changed.append("stages")
    record_audit(actor=actor, action="calls.call.update", target=call, changed=changed)
    return call


def setup_for(call: Call) -> dict[str, Any]:
    """The call's current set-up as plain values (the edit form's initial data)."""
    values = {name: getattr(call, name) for name in _PLAIN_FIELDS}
    entry, review = call.entry_stage, call.first_review_stage
    assert entry is not None
    values |= {
        "form": entry.form,
        "opens_at": entry.opens_at,
        "closes_at": entry.closes_at,
        "reviews_per_application": review.reviews_per_application if review is not None else 0,
        "extra_stages": _extra_keys(call.stage_list),
    }
    values["prior_award_programs"] = list(call.prior_award_programs.all())
    return values


# --- The rubric -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSetup:
    name: str
    description: str = ""
    weight: Decimal = Decimal(1)
    scale_max: int = 5
    #: Empty: every application; else only those scored under this variant (``calls.rubric_variants``).
    variant: str = ""


def _require_known_variant(call: Call, setup: CriterionSetup, current: str = "") -> None:
    if setup.variant and setup.variant != current and setup.variant not in dict(variant_choices(call)):
        raise ValidationError(
            {"variant": _("This call has no rubric variant “%(key)s”.") % {"key": setup.variant}},
            code="unknown_variant",
        )


def _require_rubric_open(stage: CallStage) -> None:
    if reviewing_started(stage=stage):
        raise ValidationError(
            _(
                "Reviewing has started in this stage, so its rubric is locked: every review must be "
                "scored against the same criteria."
            ),
            code="rubric_locked",
        )


def _rubric_stage(call: Call, stage: CallStage | None) -> CallStage:
    stage = stage or call.first_review_stage
    if stage is None or stage.call_id != call.pk or not stage.takes_reviews:
        raise ValidationError(_("A rubric belongs to a review, committee or interview stage."), code="no_review_stage")
    return stage


def _audit_rubric(call: Call, actor: Any, action: str, criterion: RubricCriterion) -> None:
    record_audit(
        actor=actor, action=f"calls.rubric.{action}", target=call, criterion=criterion.name, variant=criterion.variant
    )


@transaction.atomic
def add_criterion(*, call: Call, setup: CriterionSetup, actor: Any, stage: CallStage | None = None) -> RubricCriterion:
    """Add a criterion at the end of a stage's rubric (the call's first review stage unless
    named); refused once reviewing of that stage has started."""
    Call.objects.select_for_update(of=("self",)).filter(pk=call.pk).first()
    stage = _rubric_stage(call, stage)
    _require_rubric_open(stage)
    _require_known_variant(call, setup)
    last = RubricCriterion.objects.filter(stage=stage).order_by("-order").values_list("order", flat=True).first()
    criterion = RubricCriterion(stage=stage, order=(last or 0) + 1, **asdict(setup))
    criterion.full_clean()
    criterion.save()
    _audit_rubric(call, actor, "add", criterion)
    return criterion


@transaction.atomic
def update_criterion(*, criterion: RubricCriterion, setup: CriterionSetup, actor: Any) -> RubricCriterion:
    _require_rubric_open(criterion.stage)
    _require_known_variant(criterion.stage.call, setup, current=criterion.variant)
    for name, value in asdict(setup).items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    _audit_rubric(criterion.stage.call, actor, "update", criterion)
    return criterion


@transaction.atomic
def remove_criterion(*, criterion: RubricCriterion, actor: Any) -> None:
    _require_rubric_open(criterion.stage)
    _audit_rubric(criterion.stage.call, actor, "remove", criterion)
    criterion.delete()


@transaction.atomic
def move_criterion(*, criterion: RubricCriterion, up: bool, actor: Any) -> list[RubricCriterion]:
    """Swap a criterion with its neighbour; the rubric is renumbered 1, 2, 3… in the new order."""
    _require_rubric_open(criterion.stage)
    criteria = list(
        RubricCriterion.objects.select_for_update().filter(stage_id=criterion.stage_id).order_by("order", "id")
    )
    index = next(i for i, other in enumerate(criteria) if other.pk == criterion.pk)
    neighbour = index - 1 if up else index + 1
    if 0 <= neighbour < len(criteria):
        criteria[index], criteria[neighbour] = criteria[neighbour], criteria[index]
    for number, item in enumerate(criteria, start=1):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])
    _audit_rubric(criterion.stage.call, actor, "move_up" if up else "move_down", criterion)
    return criteria


# --- The reviewer panel -----------------------------------------------------------------------


@transaction.atomic
def add_panel_reviewer(
    *,
    call: Call,
    person: Person,
    actor: Any,
    role: str = PanelRole.EXTERNAL_REVIEWER,
    stage: CallStage | None = None,
) -> None:
    """Give a person a role on the call's panel (an external reviewer by default; the engine and
    staff then assign from it); on one stage only when ``stage`` is named."""
    if role_definition(role) is None:
        raise ValidationError(_("Unknown panel role."), code="bad_role")
    if stage is not None and stage.call_id != call.pk:
        raise ValidationError(_("This stage belongs to another call."), code="wrong_call")
    if CallRole.objects.filter(call=call, person=person, role=role, stage=stage).exists():
        raise ValidationError(_("%(name)s is already on this panel.") % {"name": person}, code="duplicate")
    CallRole.objects.create(call=call, person=person, role=role, stage=stage)
    record_audit(actor=actor, action="calls.panel.add", target=call, reviewer=person.pk)


@transaction.atomic
def remove_panel_reviewer(*, call: Call, person: Person, actor: Any) -> int:
    """Take a person off the panel. Their open requests on this call (proposed or accepted, no
    review yet) are withdrawn through the assignment lifecycle; submitted reviews stay.
    Returns how many requests were withdrawn."""
    if not panel_people(call=call).filter(pk=person.pk).exists():
        raise ValidationError(_("%(name)s is not on this panel.") % {"name": person}, code="not_member")
    CallRole.objects.filter(call=call, person=person).delete()
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
