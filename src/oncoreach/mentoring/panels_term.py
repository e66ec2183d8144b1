"""The volunteer dashboard's panel of completed mentorships (evaluation, certificate, story
prompt); the volunteers app never imports mentoring."""

from __future__ import annotations

from django.http import HttpRequest

from oncoreach.mentoring.selectors_term import finished_mentorships
from oncoreach.people.models import Person
from oncoreach.volunteers.dashboard import Panel


def finished_panel(*, request: HttpRequest, person: Person) -> Panel | None:
    rows = finished_mentorships(person)
    if not rows:
        return None
    return Panel(template="mentoring/_finished_panel.html", context={"finished": rows}, order=40)
