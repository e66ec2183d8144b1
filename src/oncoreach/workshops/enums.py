"""Workshop choices and the allowed-transitions tables of its two lifecycles (ARCHITECTURE.md §3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.enums import ApplicationStatus
from oncoreach.people.enums import Specialty
from oncoreach.travel.enums import TripStatus


class CourseType(models.TextChoices):
    CLINICAL_TRIALS = "ictw", _("Clinical trials workshop")
    MULTIDISCIPLINARY = "mcmc", _("Multidisciplinary cancer management course")
    PALLIATIVE_CARE = "ipcw", _("Palliative care workshop")


class CourseStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    OPEN = "open", _("Open for registration")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


COURSE_TRANSITIONS: dict[str, frozenset[str]] = {
    CourseStatus.PLANNING: frozenset({CourseStatus.OPEN, CourseStatus.CANCELLED}),
    CourseStatus.OPEN: frozenset({CourseStatus.HELD, CourseStatus.CANCELLED, CourseStatus.PLANNING}),
    CourseStatus.HELD: frozenset({CourseStatus.CLOSED}),
    CourseStatus.CLOSED: frozenset(),
    CourseStatus.CANCELLED: frozenset(),
}
# Shown in the public catalogue (planning courses are still being put together).
PUBLIC_COURSE_STATUSES = frozenset({CourseStatus.OPEN, CourseStatus.HELD, CourseStatus.CLOSED})


class FacultyRole(models.TextChoices):
    COURSE_DIRECTOR = "director", _("Course director")
    MEDICAL_ONCOLOGIST = "medical_oncologist", _("Medical oncologist")
    RADIATION_ONCOLOGIST = "radiation_oncologist", _("Radiation oncologist")
    SURGICAL_ONCOLOGIST = "surgical_oncologist", _("Surgical oncologist")
    PATHOLOGIST = "pathologist", _("Pathologist")
    RADIOLOGIST = "radiologist", _("Radiologist")
    NURSE_EDUCATOR = "nurse_educator", _("Nurse educator")
    PALLIATIVE_CARE = "palliative_care", _("Palliative care specialist")
    BIOSTATISTICIAN = "biostatistician", _("Biostatistician")
    PHARMACIST = "pharmacist", _("Oncology pharmacist")


# Which faculty roles a volunteer's specialty lets them fill; any senior volunteer may direct.
ROLES_FOR_SPECIALTY: dict[str, frozenset[str]] = {
    Specialty.MEDICAL_ONCOLOGY: frozenset({FacultyRole.MEDICAL_ONCOLOGIST}),
    Specialty.HEMATOLOGY_ONCOLOGY: frozenset({FacultyRole.MEDICAL_ONCOLOGIST}),
    Specialty.PEDIATRIC_ONCOLOGY: frozenset({FacultyRole.MEDICAL_ONCOLOGIST}),
    Specialty.GYNECOLOGIC_ONCOLOGY: frozenset({FacultyRole.SURGICAL_ONCOLOGIST}),
    Specialty.RADIATION_ONCOLOGY: frozenset({FacultyRole.RADIATION_ONCOLOGIST}),
    Specialty.SURGICAL_ONCOLOGY: frozenset({FacultyRole.SURGICAL_ONCOLOGIST}),
    Specialty.PATHOLOGY: frozenset({FacultyRole.PATHOLOGIST}),
    Specialty.RADIOLOGY: frozenset({FacultyRole.RADIOLOGIST}),
    Specialty.ONCOLOGY_NURSING: frozenset({FacultyRole.NURSE_EDUCATOR}),
    Specialty.PALLIATIVE_CARE: frozenset({FacultyRole.PALLIATIVE_CARE}),
    Specialty.ONCOLOGY_PHARMACY: frozenset({FacultyRole.PHARMACIST}),
    Specialty.BIOSTATISTICS: frozenset({FacultyRole.BIOSTATISTICIAN}),
    Specialty.EPIDEMIOLOGY: frozenset({FacultyRole.BIOSTATISTICIAN}),
    Specialty.CLINICAL_RESEARCH: frozenset({FacultyRole.BIOSTATISTICIAN, FacultyRole.MEDICAL_ONCOLOGIST}),
}


class InvitationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TRAVEL_BOOKED = "travel_booked", _("Travel booked")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn by staff")


INVITATION_TRANSITIONS: dict[str, frozenset[str]] = {
    InvitationStatus.PROPOSED: frozenset({InvitationStatus.INVITED, InvitationStatus.WITHDRAWN}),
    InvitationStatus.INVITED: frozenset(
        {InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.WITHDRAWN}
    ),
    # Local or nearby faculty may complete without booked travel.
    InvitationStatus.ACCEPTED: frozenset(
        {
            InvitationStatus.TRAVEL_BOOKED,
            InvitationStatus.COMPLETED,
            InvitationStatus.DECLINED,
            InvitationStatus.WITHDRAWN,
        }
    ),
    InvitationStatus.TRAVEL_BOOKED: frozenset(
        {InvitationStatus.COMPLETED, InvitationStatus.DECLINED, InvitationStatus.WITHDRAWN}
    ),
    InvitationStatus.DECLINED: frozenset(),
    InvitationStatus.COMPLETED: frozenset(),
    InvitationStatus.WITHDRAWN: frozenset(),
}
# An invitation in one of these holds its slot: a slot is filled once.
FILLING_STATUSES = frozenset({InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED, InvitationStatus.COMPLETED})
# These count against a volunteer's calendar (no two overlapping courses).
COMMITTED_STATUSES = FILLING_STATUSES
# Still live: the slot is being worked on.
LIVE_STATUSES = frozenset({InvitationStatus.PROPOSED, InvitationStatus.INVITED, *FILLING_STATUSES})


class BookingStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    REQUESTED = "requested", _("Requested")
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


#: The one mapping of staff's booking status onto the shared trip lifecycle (travel.Trip.status):
#: used by ``services.save_travel`` and by the data migration that made the faculty trips. The
#: booking keeps its finer "requested"; a booked trip becomes completed when the course is, and
#: a withdrawn or declined invitation cancels its trip whatever the booking said.
BOOKING_TRIP_STATUS: dict[str, str] = {
    BookingStatus.NOT_STARTED: TripStatus.PLANNED,
    BookingStatus.REQUESTED: TripStatus.PLANNED,
    BookingStatus.BOOKED: TripStatus.BOOKED,
    BookingStatus.CANCELLED: TripStatus.CANCELLED,
}
#: The trip of an invitation that ends in one of these is cancelled; of a completed one, completed.
INVITATION_TRIP_STATUS: dict[str, str] = {
    InvitationStatus.DECLINED: TripStatus.CANCELLED,
    InvitationStatus.WITHDRAWN: TripStatus.CANCELLED,
    InvitationStatus.COMPLETED: TripStatus.COMPLETED,
}


def trip_status_for(*, booking_status: str, invitation_status: str) -> str:
    """The trip status that a booking and its invitation stand for (the mapping above)."""
    return INVITATION_TRIP_STATUS.get(invitation_status) or BOOKING_TRIP_STATUS[booking_status]


class ReimbursementStatus(models.TextChoices):
    NONE = "none", _("Nothing to reimburse")
    CLAIMED = "claimed", _("Claimed")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    WAITLISTED = "waitlisted", _("Wait-listed")
    ACCEPTED = "accepted", _("Accepted")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    REJECTED = "rejected", _("Not selected")
    CANCELLED = "cancelled", _("Cancelled")


REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.PENDING: frozenset(
        {
            RegistrationStatus.WAITLISTED,
            RegistrationStatus.ACCEPTED,
            RegistrationStatus.REJECTED,
            RegistrationStatus.CANCELLED,
        }
    ),
    RegistrationStatus.WAITLISTED: frozenset(
        {RegistrationStatus.ACCEPTED, RegistrationStatus.REJECTED, RegistrationStatus.CANCELLED}
    ),
    RegistrationStatus.ACCEPTED: frozenset(
        {RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW, RegistrationStatus.CANCELLED}
    ),
    # Staff correct an attendance mark; a course that took place is never cancelled afterwards.
    RegistrationStatus.ATTENDED: frozenset({RegistrationStatus.NO_SHOW}),
    RegistrationStatus.NO_SHOW: frozenset({RegistrationStatus.ATTENDED}),
    RegistrationStatus.REJECTED: frozenset(),
    RegistrationStatus.CANCELLED: frozenset(),
}
# Registrations still waiting for a place or holding one before the course: cancellable.
LIVE_REGISTRATION_STATUSES = frozenset(
    {RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED, RegistrationStatus.ACCEPTED}
)
# The application status that goes with each staff intake decision.
INTAKE_APPLICATION_STATUS: dict[str, str] = {
    RegistrationStatus.ACCEPTED: ApplicationStatus.ACCEPTED,
    RegistrationStatus.WAITLISTED: ApplicationStatus.WAITLISTED,
    RegistrationStatus.REJECTED: ApplicationStatus.REJECTED,
}

# Registrations that take a seat (for "full" and the capacity check).
SEAT_TAKING_STATUSES = frozenset({RegistrationStatus.ACCEPTED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW})

HOURS_PER_TEACHING_DAY = 8

# Registrations whose holder may ask for a visa invitation letter and fill the follow-up form.
OFFER_STATUSES = frozenset({RegistrationStatus.ACCEPTED, RegistrationStatus.ATTENDED})
# Staff intake decisions on the intake page.
INTAKE_OUTCOMES = frozenset({RegistrationStatus.ACCEPTED, RegistrationStatus.WAITLISTED, RegistrationStatus.REJECTED})
# The one-year follow-up survey goes out this long after a course's last day.
FOLLOWUP_AFTER_DAYS = 365
#: Application statuses from which staff may decide a registration or a host application
#: (eligibility already judged, no decision yet).
DECIDABLE_APPLICATION_STATUSES = frozenset(
    {
        ApplicationStatus.ELIGIBLE,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.WAITLISTED,
    }
)

#: The background run kind of a season staffing proposal (core.runs; runner in matching_adapter).
TEAM_PROPOSAL_RUN = "workshops.team_proposal"
