"""Writes for awards and grants, split by sub-domain (STYLE.md §2):

* ``interviews``: panels, slots, bookings, reschedule, cancel and the day-before reminder;
* ``decisions``: tracks, bulk decisions with previewed e-mails, offers, the wait list, expiry;
* ``benefits``: what an award gives (membership records through people's service);
* ``travel``: Annual Meeting trips for awardees, through the shared ``travel`` app;
* ``mentors``: confirming the mentor pairs the engine proposed (``matching_adapter``);
* ``grants``: grants to organizations, budget against the cap, agreement, tranches, reports.

Each lifecycle has one choke point (``transition_offer``, ``transition_tranche``; applications go
through ``calls.services.transition_application``) that checks its table in ``enums.py`` and writes
an audit row. Bad input raises a ``ValidationError`` with a translated message and changes nothing.
"""

from oncoreach.awards.services.benefits import add_benefit, add_default_benefits, grant_benefit
from oncoreach.awards.services.decisions import (
    OfferTerms,
    PreviewMail,
    apply_decisions,
    default_terms,
    expire_offers,
    preview_decisions,
    promote_from_wait_list,
    respond_to_offer,
    set_application_track,
    transition_offer,
)
from oncoreach.awards.services.grants import (
    add_report,
    add_tranche,
    budget_from_application,
    create_grant,
    receive_report,
    send_report_reminders,
    set_budget,
    set_grant_cap,
    submit_report,
    transition_tranche,
    upload_agreement,
)
from oncoreach.awards.services.interviews import (
    add_interviewer,
    book_slot,
    cancel_booking,
    offer_slot,
    reschedule_booking,
    send_interview_reminders,
    withdraw_slot,
)
from oncoreach.awards.services.mentors import confirm_mentor_pairs
from oncoreach.awards.services.travel import Meeting, arrange_meeting_travel

__all__ = [
    "Meeting",
    "OfferTerms",
    "PreviewMail",
    "add_benefit",
    "add_default_benefits",
    "add_interviewer",
    "add_report",
    "add_tranche",
    "apply_decisions",
    "arrange_meeting_travel",
    "book_slot",
    "budget_from_application",
    "cancel_booking",
    "confirm_mentor_pairs",
    "create_grant",
    "default_terms",
    "expire_offers",
    "grant_benefit",
    "offer_slot",
    "preview_decisions",
    "promote_from_wait_list",
    "receive_report",
    "reschedule_booking",
    "respond_to_offer",
    "send_interview_reminders",
    "send_report_reminders",
    "set_application_track",
    "set_budget",
    "set_grant_cap",
    "submit_report",
    "transition_offer",
    "transition_tranche",
    "upload_agreement",
    "withdraw_slot",
]
