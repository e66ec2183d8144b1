"""The workshops part of a person's timeline: courses attended (registrations), courses taught
(faculty invitations) and trips (registered with ``people.timeline.register_timeline_source``).
Three queries; a course counts on its first day."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.people.models import Person
from oncoreach.people.timeline import TimelineEvent, day_start, upto
from oncoreach.workshops.models import FacultyInvitation, Registration, Travel


def timeline_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    last_day = upto(before).astimezone(dt.UTC).date()
    events: list[TimelineEvent] = []
    registrations = (
        Registration.objects.filter(person=person, course__start_date__lte=last_day)
        .select_related("course__country")
        .order_by("-course__start_date", "-id")[:limit]
    )
    for registration in registrations:
        course = registration.course
        events.append(
            TimelineEvent(
                when=day_start(course.start_date),
                kind=_("Course attended"),
                title=f"{course.title} · {course.city}, {course.country}",
                key=("workshops.registration", registration.pk),
                link=reverse("workshops:staff-course", kwargs={"slug": course.slug}),
                detail=registration.get_status_display(),
            )
        )
    invitations = (
        FacultyInvitation.objects.filter(person=person, slot__course__start_date__lte=last_day)
        .select_related("slot__course__country")
        .order_by("-slot__course__start_date", "-id")[:limit]
    )
    for invitation in invitations:
        course = invitation.slot.course
        events.append(
            TimelineEvent(
                when=day_start(course.start_date),
                kind=_("Course taught"),
                title=f"{course.title} · {invitation.slot.get_role_display()}",
                key=("workshops.invitation", invitation.pk),
                link=reverse("workshops:staff-course", kwargs={"slug": course.slug}),
                detail=invitation.get_status_display(),
            )
        )
    trips = (
        Travel.objects.filter(invitation__person=person, invitation__slot__course__start_date__lte=last_day)
        .select_related("invitation__slot__course__country")
        .order_by("-invitation__slot__course__start_date", "-id")[:limit]
    )
    for travel in trips:
        course = travel.invitation.slot.course
        events.append(
            TimelineEvent(
                when=day_start(course.start_date),
                kind=_("Trip"),
                title=f"{course.city}, {course.country}",
                key=("workshops.trip", travel.pk),
                link=reverse("workshops:staff-course", kwargs={"slug": course.slug}),
                detail=travel.get_booking_status_display(),
            )
        )
    return events
