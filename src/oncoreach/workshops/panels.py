"""The workshops panel on the volunteer dashboard: invitations, travel, previous visits and the
open slots that fit the volunteer ("call for faculty")."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from oncoreach.people.models import Person
from oncoreach.volunteers.dashboard import Panel
from oncoreach.volunteers.enums import VolunteerRole
from oncoreach.volunteers.selectors import profile_for_person
from oncoreach.workshops import selectors
from oncoreach.workshops.enums import InvitationStatus

OPEN_SLOTS_SHOWN = 10


def faculty_panel(*, request: HttpRequest, person: Person) -> Panel | None:
    profile = profile_for_person(person=person)
    if profile is None:
        return None
    invitations = list(selectors.invitations_for_person(person=person))
    awaiting = [inv for inv in invitations if inv.status == InvitationStatus.INVITED]
    upcoming = [inv for inv in invitations if inv.status in (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED)]
    visits = [inv for inv in invitations if inv.status == InvitationStatus.COMPLETED]
    offers_faculty = profile.offers(VolunteerRole.FACULTY)
    open_slots = (
        list(selectors.open_slots_for_volunteer(profile=profile, today=timezone.localdate())[:OPEN_SLOTS_SHOWN])
        if offers_faculty and profile.is_active
        else []
    )
    return Panel(
        template="workshops/includes/volunteer_panel.html",
        context={
            "awaiting": awaiting,
            "upcoming": upcoming,
            "visits": visits,
            "open_slots": open_slots,
            "offers_faculty": offers_faculty,
        },
        order=10,
    )
