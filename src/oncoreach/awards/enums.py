"""Award and grant choices and the allowed-transitions tables of their lifecycles. Imports nothing
from the project (STYLE.md §2)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


class DecisionOutcome(models.TextChoices):
    """What staff decide for a shortlisted application in the decisions table."""

    ACCEPT = "accept", _("Offer an award")
    REJECT = "reject", _("Not selected")
    WAITLIST = "waitlist", _("Wait list")


class OfferStatus(models.TextChoices):
    WAITLISTED = "waitlisted", _("On the wait list")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    CLOSED = "closed", _("Wait list closed")


OFFER_TRANSITIONS: Mapping[str, frozenset[str]] = {
    OfferStatus.WAITLISTED: frozenset({OfferStatus.OFFERED, OfferStatus.CLOSED}),
    OfferStatus.OFFERED: frozenset({OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED}),
    OfferStatus.ACCEPTED: frozenset(),
    OfferStatus.DECLINED: frozenset(),
    OfferStatus.EXPIRED: frozenset(),
    OfferStatus.CLOSED: frozenset(),
}


class BenefitKind(models.TextChoices):
    MEETING_TRAVEL = "meeting_travel", _("Annual Meeting travel")
    MENTOR = "mentor", _("Mentor pairing")
    MEMBERSHIP = "membership", _("Complimentary membership")
    OTHER = "other", _("Other")


class BenefitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    GRANTED = "granted", _("Granted")
    CANCELLED = "cancelled", _("Cancelled")


class TrancheStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


#: Payment tranches: scheduled → approved → paid; a tranche not yet paid may be cancelled.
TRANCHE_TRANSITIONS: Mapping[str, frozenset[str]] = {
    TrancheStatus.SCHEDULED: frozenset({TrancheStatus.APPROVED, TrancheStatus.CANCELLED}),
    TrancheStatus.APPROVED: frozenset({TrancheStatus.PAID, TrancheStatus.CANCELLED}),
    TrancheStatus.PAID: frozenset(),
    TrancheStatus.CANCELLED: frozenset(),
}


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


#: Application statuses in which an applicant may book an interview (the call's interview
#: stage when it has one, or the shortlist).
BOOKABLE_APPLICATION_STATUSES: frozenset[str] = frozenset({"interview", "shortlisted"})
#: An application under review in a stage of this kind is being interviewed (calls' stages).
INTERVIEW_STAGE_KIND = "interview"

#: Hours before an interview when its reminder goes out.
REMINDER_HOURS = 24
#: Days an awardee has to answer an offer unless staff choose otherwise.
DEFAULT_OFFER_DAYS = 14
