"""The calls part of a person's timeline: applications sent, decisions on them, reviews written
(registered with ``people.timeline.register_timeline_source``). Three queries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.models import Application, Review
from oncoreach.people.models import Person
from oncoreach.people.timeline import TimelineEvent, upto


def timeline_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    until = upto(before)
    events: list[TimelineEvent] = []
    submitted = (
        Application.objects.filter(applicant=person, submitted_at__lte=until)
        .select_related("call")
        .order_by("-submitted_at", "-id")[:limit]
    )
    for application in submitted:
        assert application.submitted_at is not None  # filtered above
        events.append(
            TimelineEvent(
                when=application.submitted_at,
                kind=_("Application"),
                title=application.call.title,
                key=("calls.application", application.pk),
                link=reverse("calls:staff-application-detail", kwargs={"pk": application.pk}),
                detail=_("submitted"),
            )
        )
    decided = (
        Application.objects.filter(applicant=person, decided_at__lte=until)
        .select_related("call")
        .order_by("-decided_at", "-id")[:limit]
    )
    for application in decided:
        assert application.decided_at is not None
        events.append(
            TimelineEvent(
                when=application.decided_at,
                kind=_("Decision"),
                title=application.call.title,
                key=("calls.decision", application.pk),
                link=reverse("calls:staff-application-detail", kwargs={"pk": application.pk}),
                detail=application.get_status_display(),
            )
        )
    reviews = (
        Review.objects.filter(assignment__reviewer=person, submitted_at__lte=until)
        .select_related("assignment__application__call", "assignment__application__applicant")
        .order_by("-submitted_at", "-id")[:limit]
    )
    for review in reviews:
        assert review.submitted_at is not None
        application = review.assignment.application
        events.append(
            TimelineEvent(
                when=review.submitted_at,
                kind=_("Review written"),
                title=f"{application.applicant.full_name} · {application.call.title}",
                key=("calls.review", review.pk),
                link=reverse("calls:staff-application-detail", kwargs={"pk": application.pk}),
                detail=str(review.weighted_total) if review.weighted_total is not None else "",
            )
        )
    return events
