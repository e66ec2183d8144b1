"""Membership records from the society's member database: the import (command and staff upload),
and keeping ``Person.membership_status`` in step with the records."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from oncoreach.core.pending import PendingUploads
from oncoreach.core.services import record_audit
from oncoreach.people.enums import MembershipSource, MembershipStatus
from oncoreach.people.membership_csv import MAX_FILE_BYTES, MembershipRow, read_membership_file
from oncoreach.people.models import Membership, MembershipImport, Person
from oncoreach.people.selectors import memberships_covering

MAX_UNKNOWN_KEPT = 2000


@dataclass
class _Plan:
    creates: list[Membership] = field(default_factory=list)
    updates: list[Membership] = field(default_factory=list)
    replaces_migrated: set[int] = field(default_factory=set)
    touched: set[int] = field(default_factory=set)
    changes: list[dict[str, Any]] = field(default_factory=list)
    unknown_rows: list[dict[str, Any]] = field(default_factory=list)
    unknown: int = 0
    unchanged: int = 0


def _read_upload(file: IO[bytes] | bytes) -> bytes:
    if isinstance(file, bytes):
        return file
    if hasattr(file, "seek"):
        file.seek(0)
    data: bytes = file.read(MAX_FILE_BYTES + 1)
    return data


def _people_by_member_number(numbers: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    records = (
        Membership.objects.filter(member_number__in=numbers, source=MembershipSource.SOCIETY_EXPORT)
        .order_by("-valid_from", "-id")
        .values_list("member_number", "person_id")
    )
    for number, person_id in records:
        found.setdefault(number, person_id)
    return found


def _people_by_verified_email(emails: set[str]) -> dict[str, int]:
    """People whose login address is proven (confirmed here, or verified by the society at sign-in)."""
    people = Person.objects.filter(
        user__email__in=emails, user__email_confirmed=True, user__is_active=True
    ).values_list("user__email", "id")
    return {email.lower(): person_id for email, person_id in people}


def _period(valid_from: dt.date | None, valid_until: dt.date | None) -> str:
    start = valid_from.isoformat() if valid_from else ""
    return f"{start} – {valid_until.isoformat() if valid_until else '…'}"


def _match_rows(rows: list[MembershipRow]) -> dict[int, tuple[int, str]]:
    """Row number → (person id, how it was found): by member number, else by verified e-mail."""
    by_number = _people_by_member_number({row.member_number for row in rows})
    by_email = _people_by_verified_email({row.email for row in rows if row.email})
    matched: dict[int, tuple[int, str]] = {}
    for row in rows:
        if row.member_number in by_number:
            matched[row.row] = (by_number[row.member_number], "member_number")
        elif row.email and row.email in by_email:
            matched[row.row] = (by_email[row.email], "email")
    return matched


def _plan_import(rows: list[MembershipRow]) -> _Plan:
    plan = _Plan()
    matched = _match_rows(rows)
    person_ids = {person_id for person_id, _how in matched.values()}
    names = {
        pk: f"{given} {family}".strip()
        for pk, given, family in Person.objects.filter(pk__in=person_ids).values_list("id", "given_name", "family_name")
    }
    current: dict[tuple[int, str, dt.date], Membership] = {}
    migrated: set[int] = set()
    for record in Membership.objects.filter(person_id__in=person_ids):
        if record.source == MembershipSource.MIGRATED:
            migrated.add(record.person_id)
        else:
            current[(record.person_id, record.member_number, record.valid_from)] = record
    for row in rows:
        if row.row not in matched:
            plan.unknown += 1
            if len(plan.unknown_rows) < MAX_UNKNOWN_KEPT:
                plan.unknown_rows.append(
                    {"row": row.row, "member_number": row.member_number, "email": row.email, "name": row.name}
                )
            continue
        person_id, how = matched[row.row]
        change = {
            "row": row.row,
            "member_number": row.member_number,
            "person_id": person_id,
            "person": names.get(person_id, ""),
            "matched_by": how,
            "category": row.category,
            "period": _period(row.valid_from, row.valid_until),
        }
        existing = current.get((person_id, row.member_number, row.valid_from))
        if existing is None:
            plan.creates.append(
                Membership(
                    person_id=person_id,
                    member_number=row.member_number,
                    category=row.category,
                    valid_from=row.valid_from,
                    valid_until=row.valid_until,
                )
            )
            plan.changes.append({**change, "change": "new", "before": ""})
        elif (existing.category, existing.valid_until) != (row.category, row.valid_until):
            before = f"{existing.category}, {_period(existing.valid_from, existing.valid_until)}"
            existing.category, existing.valid_until = row.category, row.valid_until
            plan.updates.append(existing)
            plan.changes.append({**change, "change": "updated", "before": before})
        else:
            plan.unchanged += 1
            continue
        plan.touched.add(person_id)
        if person_id in migrated:
            plan.replaces_migrated.add(person_id)
    plan.changes.sort(key=lambda change: change["row"])
    return plan


def _apply_plan(plan: _Plan) -> None:
    Membership.objects.filter(person_id__in=plan.replaces_migrated, source=MembershipSource.MIGRATED).delete()
    for record in plan.creates:
        record.full_clean(validate_unique=False)
    Membership.objects.bulk_create(plan.creates, batch_size=1000)
    now = timezone.now()
    for record in plan.updates:
        record.updated_at = now
    Membership.objects.bulk_update(plan.updates, ["category", "valid_until", "updated_at"], batch_size=1000)
    sync_membership_status(person_ids=plan.touched)


@transaction.atomic
def import_memberships(
    *, file: IO[bytes] | bytes, file_name: str, actor: Any, dry_run: bool = False
) -> MembershipImport:
    """Import the society's membership export and say what changed.

    Rows find their person by member number, then by a verified e-mail address (a login whose
    address was confirmed here or verified by the society at sign-in); never by name. Rows that
    find nobody are reported as unknown and import nothing. A malformed file raises one
    ``ValidationError`` naming each problem by row and column, before anything is written. With
    ``dry_run`` nothing is saved (the preview). Importing the same file again changes nothing.
    """
    data = _read_upload(file)
    rows = read_membership_file(data=data)
    plan = _plan_import(rows)
    record = MembershipImport(
        imported_by=actor if getattr(actor, "pk", None) else None,
        file_name=file_name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(rows),
        added=len(plan.creates),
        updated=len(plan.updates),
        unchanged=plan.unchanged,
        unknown=plan.unknown,
        changes=plan.changes,
        unknown_rows=plan.unknown_rows,
    )
    if dry_run:
        return record
    _apply_plan(plan)
    record.save()
    record_audit(
        actor=actor,
        action="people.memberships_imported",
        target=record,
        sha256=record.sha256,
        added=record.added,
        updated=record.updated,
        unchanged=record.unchanged,
        unknown=record.unknown,
    )
    return record


def sync_membership_status(*, person_ids: set[int] | None = None, today: dt.date | None = None) -> int:
    """Set ``membership_status`` from the records, for these people (default: everyone with a
    record): active when a record covers today, lapsed when none does. Returns how many changed.
    People without any record keep their status (nothing says otherwise)."""
    today = today or timezone.localdate()
    people: QuerySet[Person] = Person.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    covering = Exists(memberships_covering(today).filter(person=OuterRef("pk")))
    any_record = Exists(Membership.objects.filter(person=OuterRef("pk")))
    activated = people.filter(covering).exclude(membership_status=MembershipStatus.ACTIVE)
    changed = activated.update(membership_status=MembershipStatus.ACTIVE)
    lapsed = people.filter(any_record).exclude(covering).exclude(membership_status=MembershipStatus.LAPSED)
    changed += lapsed.update(membership_status=MembershipStatus.LAPSED)
    return changed


def refresh_membership_status(*, today: dt.date | None = None, force: bool = False) -> int | None:
    """The daily pass that lapses memberships which ended (and starts ones that begin today).
    Runs once per day however often it is called (``run_periodic`` calls it every minute);
    returns None when it already ran today."""
    today = today or timezone.localdate()
    key = f"people:membership-status-refreshed:{today.isoformat()}"
    if not force and not cache.add(key, True, timeout=2 * 24 * 3600):
        return None
    return sync_membership_status(today=today)


# --- The staff upload keeps the previewed file until it is confirmed ---------------------------

PENDING_DIR = "membership-imports"
_PENDING = PendingUploads(directory=PENDING_DIR, suffix=".csv")
stash_pending_upload = _PENDING.stash
read_pending_upload = _PENDING.read
discard_pending_upload = _PENDING.discard


# --- Complimentary membership given by another program (an award's benefit) -----------------


@transaction.atomic
def grant_complimentary_membership(
    *, person: Person, valid_from: dt.date, years: int, reference: str, actor: Any
) -> Membership:
    """A membership record for ``years`` from ``valid_from`` (an award's complimentary
    membership); ``reference`` is the member number it is filed under until the society's own
    export names it. Idempotent per person, reference and start. The status follows at once."""
    if years < 1:
        raise ValueError("years must be at least 1")
    until = valid_from.replace(year=valid_from.year + years) - dt.timedelta(days=1)
    membership, created = Membership.objects.get_or_create(
        person=person,
        member_number=reference[:32],
        valid_from=valid_from,
        defaults={"valid_until": until, "category": "complimentary"},
    )
    if created:
        record_audit(actor=actor, action="people.membership_granted", target=membership, years=years)
    sync_membership_status(person_ids={person.pk})
    return membership
