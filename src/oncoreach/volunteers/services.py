"""Writes for volunteers; each writes an audit row. No lifecycle lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.people.models import Person
from oncoreach.volunteers.enums import (
    EXPERTISE_MAX_TOPICS,
    MAX_TRIPS_PER_YEAR_LIMIT,
    ActivityKind,
    VolunteerRole,
)
from oncoreach.volunteers.models import ActivityLog, VolunteerAvailability, VolunteerProfile


def normalize_topics(topics: Iterable[str]) -> list[str]:
    """Lower-case, trimmed, each once, in the order given: so matching compares like with like."""
    seen: dict[str, None] = {}
    for topic in topics:
        cleaned = " ".join(topic.split()).lower()[:60]
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


@transaction.atomic
def save_volunteer_profile(
    *,
    person: Person,
    actor: Any,
    roles: Iterable[str],
    specialty: str = "",
    expertise: Iterable[str] = (),
    max_trips_per_year: int = 1,
    travel_document_notes: str = "",
    is_active: bool = True,
) -> VolunteerProfile:
    """Create or update a person's volunteer profile; marks the person as a volunteer."""
    wanted = set(roles)
    unknown = wanted - set(VolunteerRole.values)
    roles = [role for role in VolunteerRole.values if role in wanted]
    topics = normalize_topics(expertise)
    if unknown:
        raise ValidationError(_("Unknown role."), code="role")
    if len(topics) > EXPERTISE_MAX_TOPICS:
        raise ValidationError(
            _("List at most %(limit)d expertise topics.") % {"limit": EXPERTISE_MAX_TOPICS}, code="expertise"
        )
    if not 0 <= max_trips_per_year <= MAX_TRIPS_PER_YEAR_LIMIT:
        raise ValidationError(
            _("Trips per year must be between 0 and %(limit)d.") % {"limit": MAX_TRIPS_PER_YEAR_LIMIT}, code="trips"
        )
    profile, created = VolunteerProfile.objects.get_or_create(person=person, defaults={"specialty": person.specialty})
    profile.roles = roles
    profile.specialty = specialty or person.specialty
    profile.expertise = topics
    profile.max_trips_per_year = max_trips_per_year
    profile.travel_document_notes = travel_document_notes
    profile.is_active = is_active
    profile.full_clean()
    profile.save()
    if not person.is_volunteer:
        person.is_volunteer = True
        person.save(update_fields=["is_volunteer", "updated_at"])
    # The private notes are never copied into the audit trail.
    record_audit(
        actor=actor,
        action="volunteers.profile_created" if created else "volunteers.profile_updated",
        target=profile,
        roles=roles,
        max_trips_per_year=max_trips_per_year,
    )
    return profile


@transaction.atomic
def add_availability(
    *, profile: VolunteerProfile, actor: Any, start: dt.date, end: dt.date, note: str = ""
) -> VolunteerAvailability:
    """Add a window; refuses one that ends before it starts or overlaps another window."""
    if end < start:
        raise ValidationError(_("The window ends before it starts."), code="end_before_start")
    clash = (
        VolunteerAvailability.objects.select_for_update(of=("self",))
        .filter(profile=profile, start__lte=end, end__gte=start)
        .order_by("start")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("This window overlaps one you already gave (%(window)s). Change that one instead.") % {"window": clash},
            code="overlap",
        )
    window = VolunteerAvailability.objects.create(profile=profile, start=start, end=end, note=note)
    record_audit(actor=actor, action="volunteers.availability_added", target=profile, start=str(start), end=str(end))
    return window


@transaction.atomic
def remove_availability(*, window: VolunteerAvailability, actor: Any) -> None:
    profile = window.profile
    record_audit(
        actor=actor,
        action="volunteers.availability_removed",
        target=profile,
        start=str(window.start),
        end=str(window.end),
    )
    window.delete()


@transaction.atomic
def log_activity(
    *,
    person: Person,
    actor: Any,
    kind: str,
    date: dt.date,
    hours: Decimal | float | int,
    description: str = "",
    related: models.Model | None = None,
) -> ActivityLog:
    """Log a contribution. With ``related``, logging the same kind twice returns the first entry."""
    if kind not in ActivityKind.values:
        raise ValidationError(_("Unknown kind of activity."), code="kind")
    hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    if hours < 0:
        raise ValidationError(_("Hours cannot be negative."), code="hours")
    related_type = ContentType.objects.get_for_model(related) if related is not None else None
    related_id = str(related.pk) if related is not None else ""
    if related is not None:
        existing = ActivityLog.objects.filter(
            person=person, kind=kind, related_type=related_type, related_id=related_id
        ).first()
        if existing is not None:
            return existing
    entry = ActivityLog(
        person=person,
        kind=kind,
        date=date,
        hours=hours,
        description=description[:300],
        related_type=related_type,
        related_id=related_id,
    )
    entry.full_clean()
    entry.save()
    record_audit(actor=actor, action="volunteers.activity_logged", target=entry, kind=kind, hours=str(hours))
    return entry


#: A volunteer logs their own hours for work done up to this long ago (older entries go through staff).
SELF_LOG_MAX_AGE_DAYS = 366
#: One entry's hours at most when a volunteer logs them (a week of full days; staff may log more).
SELF_LOG_MAX_HOURS = Decimal(200)


def _check_entry(*, kind: str, date: dt.date, hours: Decimal, today: dt.date, max_hours: Decimal) -> None:
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = _("Choose a kind of activity from the list.")
    if date > today:
        errors["date"] = _("The date is in the future.")
    if not Decimal(0) < hours <= max_hours:
        errors["hours"] = _("Enter between 0.1 and %(max)s hours.") % {"max": max_hours}
    if errors:
        raise ValidationError(errors, code="invalid_activity")


@transaction.atomic
def log_own_hours(
    *,
    person: Person,
    actor: Any,
    kind: str,
    date: dt.date,
    hours: Decimal,
    description: str = "",
    today: dt.date | None = None,
) -> ActivityLog:
    """A volunteer logs what they did (preparing a course, reviewing, mentoring…) for themselves."""
    today = today or timezone.localdate()
    hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    _check_entry(kind=kind, date=date, hours=hours, today=today, max_hours=SELF_LOG_MAX_HOURS)
    if date < today - dt.timedelta(days=SELF_LOG_MAX_AGE_DAYS):
        raise ValidationError(
            {"date": _("Log hours within a year of the work; ask program staff for older entries.")}, code="too_old"
        )
    return log_activity(person=person, actor=actor, kind=kind, date=date, hours=hours, description=description)


@transaction.atomic
def correct_activity(
    *,
    entry: ActivityLog,
    actor: Any,
    kind: str,
    date: dt.date,
    hours: Decimal,
    description: str = "",
    today: dt.date | None = None,
) -> ActivityLog:
    """Program staff correct an entry (any kind, automatic ones included); the audit keeps the
    values before and after."""
    today = today or timezone.localdate()
    hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    _check_entry(kind=kind, date=date, hours=hours, today=today, max_hours=Decimal(1000))
    entry = ActivityLog.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    before = {"kind": entry.kind, "date": str(entry.date), "hours": str(entry.hours), "description": entry.description}
    entry.kind, entry.date, entry.hours, entry.description = kind, date, hours, description[:300]
    entry.full_clean()
    entry.save(update_fields=["kind", "date", "hours", "description"])
    after = {"kind": kind, "date": str(date), "hours": str(hours), "description": entry.description}
    record_audit(actor=actor, action="volunteers.activity_corrected", target=entry, before=before, after=after)
    return entry


@transaction.atomic
def remove_activity(*, entry: ActivityLog, actor: Any) -> None:
    """Delete an entry (a volunteer their own hand-logged one; staff any); the audit keeps it."""
    record_audit(
        actor=actor,
        action="volunteers.activity_removed",
        target=entry.person,
        kind=entry.kind,
        date=str(entry.date),
        hours=str(entry.hours),
    )
    entry.delete()
