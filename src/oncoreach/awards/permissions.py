"""Who may do what with interviews, offers, awards and grants: plain predicates."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from oncoreach.awards.enums import BOOKABLE_APPLICATION_STATUSES, INTERVIEW_STAGE_KIND, OfferStatus
from oncoreach.awards.models import Grant, GrantReport, Interviewer, InterviewSlot, Offer
from oncoreach.calls.enums import PanelRole
from oncoreach.calls.models import Application, Call, CallRole


def can_manage_awards(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def _person_id(user: Any) -> int | None:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return person.pk if person is not None else None


def is_call_interviewer(user: Any, call: Call) -> bool:
    """The one place that says who interviews for a call: a person with calls' interviewer role on
    the call (or its cycle), or on the awards' interviewer list of the call."""
    person_id = _person_id(user)
    if person_id is None:
        return False
    panel = CallRole.objects.filter(Q(call=call) | Q(cycle_id=call.cycle_id), person_id=person_id)
    return (
        panel.filter(role=PanelRole.INTERVIEWER).exists()
        or Interviewer.objects.filter(call=call, person_id=person_id).exists()
    )


def can_offer_slots(user: Any, call: Call) -> bool:
    return can_manage_awards(user) or is_call_interviewer(user, call)


def can_change_slot(user: Any, slot: InterviewSlot) -> bool:
    return can_manage_awards(user) or (slot.interviewer_id is not None and slot.interviewer_id == _person_id(user))


def is_applicant(user: Any, application: Application) -> bool:
    person_id = _person_id(user)
    return person_id is not None and application.applicant_id == person_id


def in_interviews(application: Application) -> bool:
    """Shortlisted, or under review in an interview stage of the call."""
    return application.status in BOOKABLE_APPLICATION_STATUSES or (
        application.status == "under_review" and application.current_stage.kind == INTERVIEW_STAGE_KIND
    )


def can_book_interview(application: Application) -> bool:
    return in_interviews(application)


def can_answer_offer(offer: Offer) -> bool:
    return offer.status == OfferStatus.OFFERED


def can_view_grant(user: Any, grant: Grant) -> bool:
    """Staff, and the grant's project lead (who speaks for the organization)."""
    if can_manage_awards(user):
        return True
    person_id = _person_id(user)
    return person_id is not None and grant.lead_id == person_id


def can_submit_report(user: Any, report: GrantReport) -> bool:
    """Only the grant's project lead sends a report, and only one not yet received."""
    person_id = _person_id(user)
    return person_id is not None and report.grant.lead_id == person_id and report.received_at is None
