"""Merging two records of the same person, and undoing a merge within 30 days.

Every row of every app that points at a Person moves to the survivor; the relations are found
from Django's model meta at run time (``person_relations``), so an app added later is included
without a change here. A row that would break a unique rule on the survivor (two registrations
for one course, two primary affiliations) stays with the merged-away record and is listed in the
audit entry. The merged-away record is kept, deactivated, with a pointer to the survivor; the
audit entry holds everything needed to reverse the merge (``undo_merge``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.models import AuditEvent
from oncoreach.core.services import record_audit
from oncoreach.people.models import DuplicateDismissal, Person
from oncoreach.people.permissions import can_merge_people
from oncoreach.people.selectors_duplicates import person_relations

MERGE_ACTION = "people.merged"
UNDO_ACTION = "people.merge_undone"
UNDO_WINDOW = dt.timedelta(days=30)

#: The fields staff choose between on the merge screen (attribute names: ids for foreign keys).
MERGE_FIELDS: tuple[str, ...] = (
    "given_name",
    "family_name",
    "passport_name",
    "email",
    "country_of_practice_id",
    "country_of_residence_id",
    "specialty",
    "career_stage",
    "birth_year",
    "training_completed_year",
    "languages",
    "time_zone",
    "orcid",
    "bio",
    "membership_status",
    "is_volunteer",
)


def _unique_rules(field: models.Field[Any, Any]) -> Iterable[tuple[str, tuple[str, ...], models.Q | None]]:
    """(name, other columns, condition) of each unique rule that includes ``field``."""
    model = field.model

    def column(name: str) -> str:
        return str(model._meta.get_field(name).attname)  # type: ignore[union-attr]

    if field.unique:
        yield f"{field.name} unique", (), None
    for together in model._meta.unique_together:
        if field.name in together:
            yield "unique_together", tuple(column(n) for n in together if n != field.name), None
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields:
            others = tuple(column(n) for n in constraint.fields if n != field.name)
            yield constraint.name, others, constraint.condition  # type: ignore[misc]


def _colliding(field: models.Field[Any, Any], *, survivor: Person, other: Person) -> dict[int, str]:
    """Rows of ``other`` that cannot move to ``survivor`` without breaking a unique rule: {pk: rule}."""
    manager = field.model._default_manager
    found: dict[int, str] = {}
    for name, others, condition in _unique_rules(field):
        kept = manager.filter(**{field.name: survivor})
        moving = manager.filter(**{field.name: other})
        if condition is not None:
            kept, moving = kept.filter(condition), moving.filter(condition)
        if not others:
            if kept.exists():
                found.update(dict.fromkeys(moving.values_list("pk", flat=True), name))
            continue
        taken = {tuple(row) for row in kept.values_list(*others) if None not in row}
        for pk, *key in moving.values_list("pk", *others):
            if tuple(key) in taken:
                found.setdefault(pk, name)
    return found


def _label(field: models.Field[Any, Any]) -> str:
    return f"{field.model._meta.label}.{field.name}"


def _field_for(label: str) -> models.Field[Any, Any]:
    by_label = {_label(field): field for field in person_relations()}
    if label not in by_label:
        raise ValidationError(_("This merge cannot be undone: a relation it moved no longer exists."), code="gone")
    return by_label[label]


@dataclass(frozen=True)
class MergeResult:
    survivor: Person
    audit: AuditEvent
    moved: int
    left_behind: int


def validate_merge_pair(*, survivor: Person, other: Person) -> None:
    """Raise a specific ValidationError when these two cannot be merged."""
    if survivor.pk == other.pk:
        raise ValidationError(
            _("A person cannot be merged with themselves: choose two different records."), code="self"
        )
    for person in (survivor, other):
        if person.merged_into_id is not None:
            raise ValidationError(
                _("%(name)s (record %(id)d) was already merged into record %(survivor)d; merge that record instead.")
                % {"name": person.full_name, "id": person.pk, "survivor": person.merged_into_id},
                code="merged",
            )


@transaction.atomic
def merge_people(*, actor: Any, survivor: Person, other: Person, take_from_other: Iterable[str] = ()) -> MergeResult:
    """Merge ``other`` into ``survivor``; ``take_from_other`` names the MERGE_FIELDS whose value
    comes from ``other`` (the rest keep the survivor's)."""
    if not can_merge_people(actor):
        raise PermissionDenied
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])}
    survivor, other = locked.get(survivor.pk, survivor), locked.get(other.pk, other)
    validate_merge_pair(survivor=survivor, other=other)
    chosen = set(take_from_other)
    if unknown := chosen - set(MERGE_FIELDS):
        raise ValidationError(
            _("These fields cannot be merged: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, code="field"
        )
    fields = {}
    for name in MERGE_FIELDS:
        before = getattr(survivor, name)
        after = getattr(other, name) if name in chosen else before
        fields[name] = {"before": before, "after": after}
        setattr(survivor, name, after)

    moved, left_behind = [], []
    for field in person_relations():
        stays = _colliding(field, survivor=survivor, other=other)
        manager = field.model._default_manager
        ids = sorted(set(manager.filter(**{field.name: other}).values_list("pk", flat=True)) - set(stays))
        if ids:
            manager.filter(pk__in=ids).update(**{field.attname: survivor.pk})
            moved.append({"relation": _label(field), "ids": ids})
        if stays:
            left_behind.append({"relation": _label(field), "rows": [[pk, rule] for pk, rule in sorted(stays.items())]})

    account: dict[str, Any] = {}
    if other.user_id is not None and survivor.user_id is None:
        account = {"moved_user": other.user_id}
        survivor.user_id, other.user_id = other.user_id, None
        other.save(update_fields=["user"])  # the one-to-one frees the login before the survivor takes it
    elif other.user_id is not None:
        assert other.user is not None
        account = {"deactivated_user": other.user_id, "was_active": other.user.is_active}
        other.user.is_active = False
        other.user.save(update_fields=["is_active"])
    survivor.full_clean(exclude=["user", "merged_into"])
    survivor.save()
    other.merged_into, other.merged_at = survivor, timezone.now()
    other.save(update_fields=["merged_into", "merged_at", "updated_at"])
    DuplicateDismissal.objects.filter(
        first_id=min(survivor.pk, other.pk), second_id=max(survivor.pk, other.pk)
    ).delete()
    audit = record_audit(
        actor=actor,
        action=MERGE_ACTION,
        target=survivor,
        merged=other.pk,
        merged_name=other.full_name,
        fields=fields,
        moved=moved,
        left_behind=left_behind,
        account=account,
    )
    record_audit(actor=actor, action="people.merged_away", target=other, survivor=survivor.pk, merge=audit.pk)
    return MergeResult(
        survivor=survivor,
        audit=audit,
        moved=sum(len(group["ids"]) for group in moved),
        left_behind=sum(len(group["rows"]) for group in left_behind),
    )


def undo_deadline(event: AuditEvent) -> dt.datetime:
    return event.created_at + UNDO_WINDOW


def _check_undo(*, event: AuditEvent, now: dt.datetime) -> tuple[Person, Person]:
    """The two records of a merge that may still be undone, locked; or a specific refusal."""
    if event.action != MERGE_ACTION:
        raise ValidationError(_("This audit entry is not a merge."), code="not_merge")
    if AuditEvent.objects.filter(action=UNDO_ACTION, data__merge=event.pk).exists():
        raise ValidationError(_("This merge was already undone."), code="undone")
    if now > undo_deadline(event):
        raise ValidationError(
            _("A merge can be undone for 30 days; this one was on %(date)s. Split the records by hand.")
            % {"date": event.created_at.date().isoformat()},
            code="too_late",
        )
    survivor = Person.objects.select_for_update().filter(pk=event.target_id).first()
    other = Person.objects.select_for_update().filter(pk=event.data["merged"]).first()
    if survivor is None or other is None or other.merged_into_id != survivor.pk:
        raise ValidationError(
            _("This merge cannot be undone: one of the two records was changed or removed since."), code="gone"
        )
    if survivor.merged_into_id is not None:
        raise ValidationError(
            _("Record %(id)d was itself merged into record %(other)d since: undo that merge first.")
            % {"id": survivor.pk, "other": survivor.merged_into_id},
            code="chained",
        )
    changed = [name for name, values in event.data["fields"].items() if getattr(survivor, name) != values["after"]]
    if changed:
        raise ValidationError(
            _("This merge cannot be undone: these fields were edited since: %(fields)s.")
            % {"fields": ", ".join(changed)},
            code="edited",
        )
    return survivor, other


def _move_back(*, moved: list[dict[str, Any]], survivor: Person, other: Person) -> None:
    try:
        with transaction.atomic():
            for group in moved:
                field = _field_for(group["relation"])
                count = field.model._default_manager.filter(pk__in=group["ids"], **{field.attname: survivor.pk}).update(
                    **{field.attname: other.pk}
                )
                if count != len(group["ids"]):
                    raise ValidationError(
                        _(
                            "This merge cannot be undone: some moved records (%(relation)s) were deleted or "
                            "changed since."
                        )
                        % {"relation": field.model._meta.verbose_name},
                        code="rows",
                    )
    except IntegrityError as exc:
        raise ValidationError(
            _("This merge cannot be undone: records added since would clash with the moved ones."), code="clash"
        ) from exc


@transaction.atomic
def undo_merge(*, actor: Any, event: AuditEvent, now: dt.datetime | None = None) -> Person:
    """Reverse the merge recorded in ``event``: the survivor's fields and the moved rows go back,
    and the merged-away record becomes active again. Refused after 30 days, twice, or when
    something changed since that the undo would overwrite; a refusal changes nothing."""
    if not can_merge_people(actor):
        raise PermissionDenied
    survivor, other = _check_undo(event=event, now=now or timezone.now())
    data = event.data
    for name, values in data["fields"].items():
        setattr(survivor, name, values["before"])
    _move_back(moved=data["moved"], survivor=survivor, other=other)
    account = data.get("account", {})
    if "moved_user" in account:
        if survivor.user_id != account["moved_user"]:
            raise ValidationError(_("This merge cannot be undone: the login was changed since."), code="login")
        survivor.user_id = None
        survivor.save()
        other.user_id = account["moved_user"]
    else:
        survivor.save()
        if "deactivated_user" in account and other.user is not None:
            other.user.is_active = account["was_active"]
            other.user.save(update_fields=["is_active"])
    other.merged_into, other.merged_at = None, None
    other.save(update_fields=["user", "merged_into", "merged_at", "updated_at"])
    record_audit(actor=actor, action=UNDO_ACTION, target=survivor, merge=event.pk, restored=other.pk)
    return other


@transaction.atomic
def dismiss_duplicate(*, actor: Any, first: Person, second: Person) -> DuplicateDismissal:
    """Remember that two records are different people, so the finder stops proposing them."""
    if not can_merge_people(actor):
        raise PermissionDenied
    if first.pk == second.pk:
        raise ValidationError(
            _("A person cannot be merged with themselves: choose two different records."), code="self"
        )
    low, high = sorted((first.pk, second.pk))
    dismissal, _created = DuplicateDismissal.objects.get_or_create(
        first_id=low, second_id=high, defaults={"dismissed_by": actor}
    )
    record_audit(actor=actor, action="people.duplicate_dismissed", target=first, other=second.pk)
    return dismissal
