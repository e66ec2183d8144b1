"""Writes for workshops, split by sub-domain (STYLE.md §2: a services package past ~500 lines).

Callers import this package and use the names below; the modules are how the code is filed:

* ``courses``: courses, their agenda and slots, and the course lifecycle;
* ``invitations``: faculty invitations and a volunteer's interest in a slot;
* ``travel``: an invitation's travel, trip reminders and the travel-data purge;
* ``staffing``: the season staffing engine's proposals;
* ``registration``: the course's intake call, registering, the staff intake and the wait list;
* ``participation``: follow-up form, attendance, scores, evaluation and the one-year survey;
* ``hosts``: approving a host application;
* ``intake_forms``: the default forms of a course; ``recipients``: e-mail addressing.

Each lifecycle has one choke point (``transition_course``, ``transition_invitation``) that checks
its table in ``enums.py``, writes an audit row and queues e-mail after commit. Bad input raises a
``ValidationError`` with a translatable message and changes nothing.
"""

from oncoreach.workshops.services.courses import (
    add_session,
    add_slot,
    create_course,
    transition_course,
    update_course_schedule,
)
from oncoreach.workshops.services.hosts import approve_host_application
from oncoreach.workshops.services.intake_forms import (
    default_evaluation_form,
    default_follow_up_form,
    default_registration_form,
    impact_survey_form,
)
from oncoreach.workshops.services.invitations import (
    express_interest,
    propose_faculty,
    respond_to_invitation,
    send_invitations,
    transition_invitation,
)
from oncoreach.workshops.services.participation import (
    record_attendance,
    record_participation,
    record_scores,
    save_follow_up,
    send_followup_surveys,
    submit_evaluation,
    submit_impact_survey,
)
from oncoreach.workshops.services.registration import (
    decide_registration,
    first_waitlisted,
    on_application_status_changed,
    open_registration,
    promote_from_waitlist,
    promote_if_possible,
    register,
    withdraw_registration,
)
from oncoreach.workshops.services.staffing import TeamProposal, UnfilledSlotReport, propose_team
from oncoreach.workshops.services.travel import (
    purge_travel_data,
    save_travel,
    send_trip_reminders,
    travel_purge_plans,
)

__all__ = [
    "TeamProposal",
    "UnfilledSlotReport",
    "add_session",
    "add_slot",
    "approve_host_application",
    "create_course",
    "decide_registration",
    "default_evaluation_form",
    "default_follow_up_form",
    "default_registration_form",
    "express_interest",
    "first_waitlisted",
    "impact_survey_form",
    "on_application_status_changed",
    "open_registration",
    "promote_from_waitlist",
    "promote_if_possible",
    "propose_faculty",
    "propose_team",
    "purge_travel_data",
    "record_attendance",
    "record_participation",
    "record_scores",
    "register",
    "respond_to_invitation",
    "save_follow_up",
    "save_travel",
    "send_followup_surveys",
    "send_invitations",
    "send_trip_reminders",
    "submit_evaluation",
    "submit_impact_survey",
    "transition_course",
    "transition_invitation",
    "travel_purge_plans",
    "update_course_schedule",
    "withdraw_registration",
]
