"""Panels on the volunteer dashboard: the calls a person interviews for, with their
coming interviews, and the awardees they mentor (the volunteers app never imports awards)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from oncoreach.awards import selectors
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
