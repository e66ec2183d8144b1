"""Writes for workshops, split by sub-domain (STYLE.md §2: a services package past ~500 lines).

Callers import this package and use the names below; the modules are how the code is filed:

* ``courses``: courses, their agenda and slots, and the course lifecycle;
* ``invitations``: faculty invitations and a volunteer's interest in a slot;
* ``travel``: an invitation's travel, trip reminders and the travel-data purge;
* ``staffing``: asking the season staffing engine (in the worker) for a team;
* ``registration``: the course's intake call, the registration lifecycle, registering;
* ``intake``: the staff intake, the wait list and cancelling registrations;
* ``participation``: follow-up form, attendance, scores, evaluation and the one-year survey;
* ``hosts``: approving a host application;
* ``intake_forms``: the default forms of a course; ``recipients``: e-mail addressing.

Each lifecycle has one choke point (``transition_course``, ``transition_invitation``,
``transition_registration``) that checks
its table in ``enums.py``, writes an audit row and queues e-mail after commit. Bad input raises a
``ValidationError`` with a translatable message and changes nothing.
"""

from oncoreach.workshops.services.courses import (
    add_session,
    add_slot,
    cancel_course,
    create_course,
    transition_course,
    update_course_schedule,
)
from oncoreach.workshops.services.hosts import approve_host_application
from oncoreach.workshops.services.intake import (
    cancel_registration,
    cancel_registrations_for_course,
    decide_registration,
    first_waitlisted,
    promote_from_waitlist,
    promote_if_possible,
    withdraw_registration,
)
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
    close_registration,
    open_registration,
    register,
    save_registration_answers,
    submit_registration,
    transition_registration,
)
from oncoreach.workshops.services.staffing import start_team_proposal
from oncoreach.workshops.services.travel import (
    purge_travel_data,
    save_itinerary,
    save_travel,
    send_trip_reminders,
    travel_purge_plans,
)

__all__ = [
    "add_session",
    "add_slot",
    "approve_host_application",
    "cancel_course",
    "cancel_registration",
    "cancel_registrations_for_course",
    "close_registration",
    "create_course",
    "decide_registration",
    "default_evaluation_form",
    "default_follow_up_form",
    "default_registration_form",
    "express_interest",
    "first_waitlisted",
    "impact_survey_form",
    "open_registration",
    "promote_from_waitlist",
    "promote_if_possible",
    "propose_faculty",
    "purge_travel_data",
    "record_attendance",
    "record_participation",
    "record_scores",
    "register",
    "respond_to_invitation",
    "save_follow_up",
    "save_itinerary",
    "save_registration_answers",
    "save_travel",
    "send_followup_surveys",
    "send_invitations",
    "send_trip_reminders",
    "start_team_proposal",
    "submit_evaluation",
    "submit_impact_survey",
    "submit_registration",
    "transition_course",
    "transition_invitation",
    "transition_registration",
    "travel_purge_plans",
    "update_course_schedule",
    "withdraw_registration",
]
