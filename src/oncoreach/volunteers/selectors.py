"""Reads for volunteers, already scoped and prefetched."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from oncoreach.people.models import Person
from oncoreach.people.selectors import PersonSection
from oncoreach.volunteers.enums import VolunteerRole
from oncoreach.volunteers.models import ActivityLog, VolunteerAvailability, VolunteerProfile
from oncoreach.volunteers.permissions import can_correct_activities, can_remove_own_activity, is_volunteer_staff

#: Activities listed on the staff page of a person (the total counts them all).
RECENT_ACTIVITIES_SHOWN = 10


def person_for_user(*, user: Any) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def profile_for_person(*, person: Person) -> VolunteerProfile | None:
    return (
        VolunteerProfile.objects.select_related("person").prefetch_related("availability").filter(person=person).first()
    )


def availability_for_profile(*, profile: VolunteerProfile) -> QuerySet[VolunteerAvailability]:
    return VolunteerAvailability.objects.filter(profile=profile).order_by("start", "id")


def get_own_availability(*, user: Any, pk: int) -> VolunteerAvailability:
    """Fetch-or-deny: one of the signed-in volunteer's own availability windows, else 404."""
    return get_object_or_404(VolunteerAvailability.objects.select_related("profile"), pk=pk, profile__person__user=user)


def upcoming_availability(*, profile: VolunteerProfile, today: dt.date) -> list[VolunteerAvailability]:
    return list(availability_for_profile(profile=profile).filter(end__gte=today))


def activities_for_person(*, person: Person) -> QuerySet[ActivityLog]:
    return ActivityLog.objects.filter(person=person).select_related("related_type").order_by("-date", "-id")


def hours_for_person(*, person: Person, year: int | None = None) -> Decimal:
    """Total hours logged, optionally in one calendar year (for recognition and reports)."""
    activities = ActivityLog.objects.filter(person=person)
    if year is not None:
        activities = activities.filter(date__year=year)
    total = activities.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    return Decimal(total).quantize(Decimal("0.1"))


def faculty_volunteers() -> QuerySet[VolunteerProfile]:
    """Active volunteers who offer to teach, with what staffing needs: person and availability."""
    return (
        VolunteerProfile.objects.filter(is_active=True, roles__icontains=f'"{VolunteerRole.FACULTY.value}"')
        .select_related("person")
        .prefetch_related(Prefetch("availability", queryset=VolunteerAvailability.objects.order_by("start", "id")))
        .order_by("person__family_name", "person__given_name", "id")
    )


def get_own_activity_to_remove(*, user: Any, pk: int) -> ActivityLog:
    """Fetch-or-deny: one of the signed-in volunteer's own hand-logged entries, else 404."""
    entry = get_object_or_404(ActivityLog.objects.select_related("person"), pk=pk)
    if not can_remove_own_activity(user, entry):
        raise Http404
    return entry


def _require_staff(user: Any) -> None:
    if not can_correct_activities(user):
        raise PermissionDenied


def get_person_for_staff(*, user: Any, pk: int) -> Person:
    """Fetch-or-deny for staff: any person whose hours staff look at."""
    _require_staff(user)
    return get_object_or_404(Person, pk=pk)


def get_activity_for_staff(*, user: Any, pk: int) -> ActivityLog:
    _require_staff(user)
    return get_object_or_404(ActivityLog.objects.select_related("person", "related_type"), pk=pk)


def person_sections(*, user: Any, person: Person) -> list[PersonSection]:
    """The volunteer part of the staff page of a person: profile, hours, recent activity.

    Three queries whether or not the person volunteers; nothing shown when they never did.
    """
    if not is_volunteer_staff(user):
        raise PermissionDenied
    profile = profile_for_person(person=person)
    activities = list(activities_for_person(person=person)[:RECENT_ACTIVITIES_SHOWN])
    if profile is None and not activities:
        return []
    return [
        PersonSection(
            title=_("Volunteer work"),
            template="volunteers/includes/person_volunteering.html",
            context={
                "person": person,
                "profile": profile,
                "activities": activities,
                "hours": hours_for_person(person=person),
            },
            order=50,
        )
    ]
