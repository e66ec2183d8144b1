"""The mentoring part of a person's timeline: proposals sent to them, their answers, and their
mentorships starting and ending, as mentee or mentor (registered with
``people.timeline.register_timeline_source``). Five queries, whatever the history."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.mentoring.models import Match, Mentorship
from oncoreach.people.models import Person
from oncoreach.people.timeline import TimelineEvent, upto


def _pair(match: Match) -> str:
    return f"{match.request.application.applicant.full_name} ↔ {match.offer.person.full_name}"


def timeline_events(*, person: Person, before: dt.datetime | None, limit: int) -> list[TimelineEvent]:
    until = upto(before)
    theirs = Q(request__application__applicant=person) | Q(offer__person=person)
    pairs = ("request__application__applicant", "offer__person")
    events: list[TimelineEvent] = []
    proposals = (
        Match.objects.filter(theirs, approved_at__lte=until)
        .select_related(*pairs)
        .order_by("-approved_at", "-id")[:limit]
    )
    for match in proposals:
        assert match.approved_at is not None  # filtered above
        events.append(
            TimelineEvent(
                when=match.approved_at,
                kind=_("Mentoring proposal"),
                title=_pair(match),
                key=("mentoring.proposal", match.pk),
                link=reverse("mentoring:staff-round", kwargs={"pk": match.round_id}),
            )
        )
    for side, answered_at, answer in (
        ("request__application__applicant", "mentee_answered_at", "mentee_answer"),
        ("offer__person", "mentor_answered_at", "mentor_answer"),
    ):
        answers = (
            Match.objects.filter(**{side: person, f"{answered_at}__lte": until})
            .select_related(*pairs)
            .order_by(f"-{answered_at}", "-id")[:limit]
        )
        for match in answers:
            events.append(
                TimelineEvent(
                    when=getattr(match, answered_at),
                    kind=_("Mentoring proposal answered"),
                    title=_pair(match),
                    key=(f"mentoring.{answer}", match.pk),
                    link=reverse("mentoring:staff-round", kwargs={"pk": match.round_id}),
                    detail=getattr(match, f"get_{answer}_display")(),
                )
            )
    mine = Q(mentee=person) | Q(mentor=person)
    for at, kind, key in (
        ("started_at", _("Mentorship started"), "mentoring.started"),
        ("ended_at", _("Mentorship ended"), "mentoring.ended"),
    ):
        mentorships = (
            Mentorship.objects.filter(mine, **{f"{at}__lte": until})
            .select_related("mentee", "mentor")
            .order_by(f"-{at}", "-id")[:limit]
        )
        for mentorship in mentorships:
            events.append(
                TimelineEvent(
                    when=getattr(mentorship, at),
                    kind=kind,
                    title=f"{mentorship.mentee.full_name} ↔ {mentorship.mentor.full_name}",
                    key=(key, mentorship.pk),
                    link=reverse("mentoring:staff-cycle", kwargs={"pk": mentorship.cycle_id}),
                    detail=mentorship.get_status_display() if at == "ended_at" else "",
                )
            )
    return events
