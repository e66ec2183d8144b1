"""The awards part of a person's timeline: interviews booked, offers made and answered, awards,
grant tranches paid and grant reports due (registered with
``people.timeline.register_timeline_source``). Six queries, whatever the history."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.awards.enums import TrancheStatus
from oncoreach.awards.models import Award, GrantReport, InterviewBooking, Offer, Tranche
from oncoreach.people.models import Person
from oncoreach.people.timeline import TimelineEvent, day_start, upto


def _application_link(pk: int) -> str:
    return reverse("calls:staff-application-detail", kwargs={"pk": pk})


def _grant_link(pk: int) -> str:
    return reverse("awards:grant", kwargs={"pk": pk})


def timeline_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    until = upto(before)
    events: list[TimelineEvent] = []
    bookings = (
        InterviewBooking.objects.filter(application__applicant=person, booked_at__lte=until)
        .select_related("slot", "application__call")
        .order_by("-booked_at", "-id")[:limit]
    )
    for booking in bookings:
        events.append(
            TimelineEvent(
                when=booking.booked_at,
                kind=_("Interview booked"),
                title=booking.application.call.title,
                key=("awards.booking", booking.pk),
                link=_application_link(booking.application_id),
                detail=_("cancelled")
                if booking.cancelled_at
                else booking.slot.starts_at.strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    made = (
        Offer.objects.filter(application__applicant=person, offered_at__lte=until)
        .select_related("application__call")
        .order_by("-offered_at", "-id")[:limit]
    )
    for offer in made:
        assert offer.offered_at is not None  # filtered above
        events.append(
            TimelineEvent(
                when=offer.offered_at,
                kind=_("Award offered"),
                title=offer.application.call.title,
                key=("awards.offer", offer.pk),
                link=_application_link(offer.application_id),
            )
        )
    answered = (
        Offer.objects.filter(application__applicant=person, responded_at__lte=until)
        .select_related("application__call")
        .order_by("-responded_at", "-id")[:limit]
    )
    for offer in answered:
        assert offer.responded_at is not None
        events.append(
            TimelineEvent(
                when=offer.responded_at,
                kind=_("Award offer answered"),
                title=offer.application.call.title,
                key=("awards.offer_answer", offer.pk),
                link=_application_link(offer.application_id),
                detail=offer.get_status_display(),
            )
        )
    awards = (
        Award.objects.filter(person=person, created_at__lte=until)
        .select_related("program")
        .order_by("-created_at", "-id")[:limit]
    )
    for award in awards:
        events.append(
            TimelineEvent(
                when=award.created_at,
                kind=_("Award granted"),
                title=f"{award.program.name} {award.year}",
                key=("awards.award", award.pk),
                link=_application_link(award.application_id) if award.application_id else "",
                detail=award.project_title,
            )
        )
    tranches = (
        Tranche.objects.filter(grant__lead=person, status=TrancheStatus.PAID, paid_at__lte=until)
        .select_related("grant")
        .order_by("-paid_at", "-id")[:limit]
    )
    for tranche in tranches:
        assert tranche.paid_at is not None  # a paid tranche has its time (a database constraint)
        events.append(
            TimelineEvent(
                when=tranche.paid_at,
                kind=_("Grant payment made"),
                title=tranche.grant.project_title,
                key=("awards.tranche", tranche.pk),
                link=_grant_link(tranche.grant_id),
                detail=f"{tranche.amount} {tranche.grant.currency}",
            )
        )
    # A report is known by its due date: it sorts at the start of that day.
    reports = (
        GrantReport.objects.filter(grant__lead=person, due_date__lte=until.date())
        .select_related("grant")
        .order_by("-due_date", "-id")[:limit]
    )
    for report in reports:
        events.append(
            TimelineEvent(
                when=day_start(report.due_date),
                kind=_("Grant report due"),
                title=f"{report.get_kind_display()} · {report.grant.project_title}",
                key=("awards.report", report.pk),
                link=_grant_link(report.grant_id),
                detail=_("received") if report.received_at else "",
            )
        )
    return events
