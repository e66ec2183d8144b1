"""Panels on the volunteer dashboard: the calls a person interviews for, with their
coming interviews, and the awardees they mentor (the volunteers app never imports awards); and
the links an award call's interview and decision stages show on the calls staff pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.awards import selectors
from oncoreach.calls.enums import CallKind
from oncoreach.people.models import Person
from oncoreach.volunteers.dashboard import Panel


def interviews_panel(*, request: HttpRequest, person: Person) -> Panel | None:
    calls = list(selectors.calls_interviewed_by(person=person, now=timezone.now()))
    if not calls:
        return None
    return Panel(template="awards/includes/volunteer_panel.html", context={"interview_calls": calls}, order=30)


def mentees_panel(*, request: HttpRequest, person: Person) -> Panel | None:
    """The awardees a volunteer mentors (confirmed pairs)."""
    mentees = list(selectors.mentees_of(person=person))
    if not mentees:
        return None
    return Panel(template="awards/includes/mentees_panel.html", context={"mentees": mentees}, order=31)


def _is_award_call(stage: Any) -> bool:
    return bool(stage.call.kind == CallKind.AWARD)


def interview_stage_links(*, stage: Any) -> list[tuple[str, str]]:
    """An award call's interview stage: the interview calendar (slots, bookings)."""
    if not _is_award_call(stage):
        return []
    return [(_("Interviews"), reverse("awards:call-interviews", kwargs={"slug": stage.call.slug}))]


def decision_stage_links(*, stage: Any) -> list[tuple[str, str]]:
    """An award call's last stage (its decision stage, or the interview or committee stage that
    ends a call without one): the decisions table (offers, e-mails previewed)."""
    if not _is_award_call(stage) or stage.call.stage_list[-1].pk != stage.pk:
        return []
    return [(_("Decisions and offers"), reverse("awards:decisions", kwargs={"slug": stage.call.slug}))]
