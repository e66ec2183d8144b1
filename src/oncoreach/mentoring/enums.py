"""Mentoring choices and the allowed-transitions tables of its three lifecycles (ARCHITECTURE.md §3).

* a match round: draft → published → closed; a draft may be cancelled;
* a match (one proposed pair): proposed → approved (staff published it, or the engine's cascade
  proposed it in a published round) → accepted (both sides said yes) | declined (either side said
  no) | expired (the consent window passed); withdrawn (staff took it back, or its mentee or mentor
  left the program) from proposed or approved;
* a mentorship (the pair once both accepted): pending (before the term starts) → active →
  completed | ended early.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.people.enums import Specialty


class GoalType(models.TextChoices):
    CLINICAL = "clinical", _("Clinical")
    RESEARCH = "research", _("Research")
    BOTH = "both", _("Clinical and research")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Topic(models.TextChoices):
    """Mentoring topics beyond the specialties (people.enums.Specialty): disease sites and skills."""

    BREAST_CANCER = "breast_cancer", _("Breast cancer")
    CERVICAL_CANCER = "cervical_cancer", _("Cervical cancer")
    LUNG_CANCER = "lung_cancer", _("Lung cancer")
    COLORECTAL_CANCER = "colorectal_cancer", _("Colorectal cancer")
    HEAD_NECK_CANCER = "head_neck_cancer", _("Head and neck cancer")
    PROSTATE_CANCER = "prostate_cancer", _("Prostate cancer")
    BLOOD_CANCERS = "blood_cancers", _("Leukemia and lymphoma")
    CLINICAL_TRIALS = "clinical_trials", _("Clinical trials")
    RESEARCH_METHODS = "research_methods", _("Research methods and statistics")
    GRANT_WRITING = "grant_writing", _("Grant writing")
    PUBLISHING = "publishing", _("Writing and publishing papers")
    CANCER_REGISTRIES = "cancer_registries", _("Cancer registries")
    SCREENING = "screening", _("Screening and prevention")
    TUMOR_BOARDS = "tumor_boards", _("Multidisciplinary tumor boards")
    QUALITY = "quality", _("Quality improvement")
    CAREER = "career", _("Career development")
    LEADERSHIP = "leadership", _("Leadership and building services")
    TEACHING = "teaching", _("Teaching and training others")


#: Focus areas: a controlled vocabulary of the project's specialties and the topics above.
FOCUS_AREA_CHOICES: list[tuple[str, object]] = [
    *((value, label) for value, label in Specialty.choices if value != Specialty.OTHER),
    *Topic.choices,
]
FOCUS_AREAS: frozenset[str] = frozenset(value for value, _label in FOCUS_AREA_CHOICES)


def focus_area_label(code: str) -> str:
    return str(dict(FOCUS_AREA_CHOICES).get(code, code))


class OfferStatus(models.TextChoices):
    ACTIVE = "active", _("Offered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    PUBLISHED = "published", _("Published: waiting for answers")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RoundStatus.DRAFT: frozenset({RoundStatus.PUBLISHED, RoundStatus.CANCELLED}),
    RoundStatus.PUBLISHED: frozenset({RoundStatus.CLOSED}),
    RoundStatus.CLOSED: frozenset(),
    RoundStatus.CANCELLED: frozenset(),
}
#: A cycle has at most one round in these at a time.
LIVE_ROUND_STATUSES = frozenset({RoundStatus.DRAFT, RoundStatus.PUBLISHED})


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Waiting for answers")
    ACCEPTED = "accepted", _("Accepted by both")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED = "ended", _("Ended by staff after pairing")


MATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    MatchStatus.PROPOSED: frozenset({MatchStatus.APPROVED, MatchStatus.WITHDRAWN}),
    MatchStatus.APPROVED: frozenset(
        {MatchStatus.ACCEPTED, MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.WITHDRAWN}
    ),
    # Staff end a mentorship (re-pairing): the pair leaves the live statuses, freeing the mentee.
    MatchStatus.ACCEPTED: frozenset({MatchStatus.ENDED}),
    MatchStatus.DECLINED: frozenset(),
    MatchStatus.EXPIRED: frozenset(),
    MatchStatus.WITHDRAWN: frozenset(),
    MatchStatus.ENDED: frozenset(),
}
#: A mentee has at most one match in these (a database constraint); a mentor's count against capacity.
LIVE_MATCH_STATUSES = frozenset({MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.ACCEPTED})
#: Pairs the engine must never propose again in the round.
ENDED_MATCH_STATUSES = frozenset({MatchStatus.DECLINED, MatchStatus.EXPIRED, MatchStatus.WITHDRAWN, MatchStatus.ENDED})


class Side(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")


class Answer(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MentorshipStatus(models.TextChoices):
    PENDING = "pending", _("Starts with the term")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


MENTORSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    MentorshipStatus.PENDING: frozenset({MentorshipStatus.ACTIVE, MentorshipStatus.ENDED_EARLY}),
    MentorshipStatus.ACTIVE: frozenset({MentorshipStatus.COMPLETED, MentorshipStatus.ENDED_EARLY}),
    MentorshipStatus.COMPLETED: frozenset(),
    MentorshipStatus.ENDED_EARLY: frozenset(),
}


class Objective(models.TextChoices):
    TOTAL = "total", _("Best total fit")
    FAIR = "fair", _("Fair: raise the worst pair first")


class AdjustmentKind(models.TextChoices):
    PIN = "pin", _("Keep this pair")
    EXCLUDE = "exclude", _("Never this pair")


MAX_PREFERENCES = 5
MIN_CAPACITY, MAX_CAPACITY = 1, 3
MAX_WINDOWS = 14
MAX_TERM_MONTHS = 12
WINDOW_STEP_MINUTES = 15
DEFAULT_KEEP_BONUS = 0.05

#: Background run kinds (core.runs; runners in matching_adapter).
ROUND_RUN = "mentoring.round"
CASCADE_RUN = "mentoring.cascade"


# --- The mentorship year ---------------------------------------------------------------------


class CheckInAnswer(models.TextChoices):
    GOING_WELL = "going_well", _("Going well")
    SOME_DIFFICULTY = "some_difficulty", _("Some difficulty")
    NOT_GOING_WELL = "not_going_well", _("Not going well")


class CheckInState(models.TextChoices):
    """How sure we are that a check-in's answer is the person's (docs/mentoring.md, check-ins).

    Opening an answer link records it at once (``clicked``); a second, different answer opened
    within ``settings.MENTORING_CHECKIN_CLICK_WINDOW_SECONDS`` of the first is what a mail
    scanner does, so the answer is dropped until the person presses a button (``unconfirmed``);
    an answer sent with a button (POST) is ``confirmed``."""

    UNANSWERED = "unanswered", _("Not answered")
    CLICKED = "clicked", _("Answered by opening its link")
    UNCONFIRMED = "unconfirmed", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


CHECKIN_TRANSITIONS: dict[str, frozenset[str]] = {
    CheckInState.UNANSWERED: frozenset({CheckInState.CLICKED, CheckInState.CONFIRMED}),
    CheckInState.CLICKED: frozenset({CheckInState.UNCONFIRMED, CheckInState.CONFIRMED}),
    CheckInState.UNCONFIRMED: frozenset({CheckInState.CONFIRMED}),
    # "change my answer": a confirmed answer is replaced by another confirmed one
    CheckInState.CONFIRMED: frozenset({CheckInState.CONFIRMED}),
}
MAX_CHECKIN_COMMENT = 2000


class RiskReason(models.TextChoices):
    NO_MEETING = "no_meeting", _("No meeting logged in six weeks")
    NOT_GOING_WELL = "not_going_well", _("Latest check-in: not going well")


#: A mentorship with no meeting logged for this long is at risk.
AT_RISK_NO_MEETING_DAYS = 42
#: How long a check-in link in the monthly e-mail answers (and its page changes the answer).
CHECKIN_LINK_DAYS = 30
#: Meetings planner: the coming weeks shown.
PLANNER_WEEKS = 4
MIN_MEETING_MINUTES, MAX_MEETING_MINUTES = 5, 600
MAX_MILESTONES = 20


class GoalsMet(models.TextChoices):
    """An evaluation's answer to "were the mentee's goals met?" (``goals_met`` question)."""

    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


#: Days after the end of the term during which both sides may write and change their evaluation.
EVALUATION_DAYS = 30
#: A usefulness rating (1–5) at or above this counts as "rated the mentorship useful".
USEFUL_FROM = 4
