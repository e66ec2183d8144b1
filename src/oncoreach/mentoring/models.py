"""Virtual mentoring: a cycle's settings, mentor offers, mentee requests, match rounds, matches and
mentorships. See docs/mentoring.md for how they fit together and their lifecycles (enums.py).

A mentee's application is a calls ``Application`` to the cycle's mentee call (made and moved only
through calls' services); what mentoring needs beyond it (goals, focus areas, languages, weekly
windows, ranked mentor preferences) is in ``MenteeRequest``, one-to-one with the application.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oncoreach.mentoring.enums import (
    LIVE_MATCH_STATUSES,
    LIVE_ROUND_STATUSES,
    MAX_CAPACITY,
    MAX_PREFERENCES,
    MAX_TERM_MONTHS,
    MIN_CAPACITY,
    AdjustmentKind,
    Answer,
    GoalType,
    MatchStatus,
    MentorshipStatus,
    Objective,
    OfferStatus,
    RoundStatus,
    Side,
    Weekday,
)
from oncoreach.mentoring.models_term import Evaluation  # noqa: F401 — the end-of-term model, registered with the app here
from oncoreach.mentoring.models_year import (  # noqa: F401 — the year's models, registered with the app here
    CheckIn,
    MeetingLog,
    MentoringPlan,
    PlanComment,
    PlanMilestone,
)
from oncoreach.mentoring.validators import validate_focus_areas, validate_languages, validate_zone


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months (the 31st becomes the month's last day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


class MentoringCycle(models.Model):
    """One program cycle of mentoring: the term, the rules of matching and the mentee call.

    The application window (opens, closes at 11:59 PM in the call's zone) and the eligibility rules
    (income groups of the country of practice on the cycle's reference date, years since training,
    membership) live on the mentee ``call`` and are set together with this record.
    """

    cycle = models.OneToOneField(
        "programs.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="mentoring"
    )
    call = models.OneToOneField(
        "calls.Call", verbose_name=_("mentee call"), on_delete=models.PROTECT, related_name="mentoring_cycle"
    )
    term_start = models.DateField(_("term starts"))
    term_months = models.PositiveSmallIntegerField(
        _("term length (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    min_contact_hours_per_month = models.DecimalField(
        _("minimum contact (hours a month)"), max_digits=4, decimal_places=1, default=Decimal(1)
    )
    consent_days = models.PositiveSmallIntegerField(
        _("days to answer a proposal"), default=14, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    mentor_min_years = models.PositiveSmallIntegerField(_("mentors: at least years in oncology"), default=10)
    mentor_outside_region = models.BooleanField(
        _("the mentor practises outside the mentee's country and region"), default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-term_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_months__gte=1) & Q(term_months__lte=MAX_TERM_MONTHS), name="mentoring_term_months"
            ),
        ]
        verbose_name = _("mentoring cycle")
        verbose_name_plural = _("mentoring cycles")

    def __str__(self) -> str:
        return str(self.cycle)

    @property
    def term_end(self) -> dt.date:
        return add_months(self.term_start, self.term_months) - dt.timedelta(days=1)


class Track(models.Model):
    """A group mentees apply in (practising oncologists, oncologists in training, women in oncology…)."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="mentoring_track_name_once")]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return self.name


class WindowBase(models.Model):
    """A weekly availability window in the owner's own time zone (minutes after midnight)."""

    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(_("from"))
    end_minute = models.PositiveSmallIntegerField(_("until"))

    class Meta:
        abstract = True
        ordering = ["weekday", "start_minute"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_text}–{self.end_text}"

    @property
    def as_tuple(self) -> tuple[int, int, int]:
        return (self.weekday, self.start_minute, self.end_minute)

    @property
    def start_text(self) -> str:
        return f"{self.start_minute // 60:02d}:{self.start_minute % 60:02d}"

    @property
    def end_text(self) -> str:
        return f"{self.end_minute // 60:02d}:{self.end_minute % 60:02d}"


def _window_checks(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(start_minute__lt=models.F("end_minute")) & Q(end_minute__lte=1440) & Q(weekday__lte=6),
            name=f"{prefix}_window_in_day",
        )
    ]


class MentorOffer(models.Model):
    """A volunteer's offer to mentor in one cycle: what they offer, to how many, and when."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.PROTECT, related_name="offers")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentor_offers"
    )
    status = models.CharField(_("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.ACTIVE)
    capacity = models.PositiveSmallIntegerField(
        _("mentees at most"),
        default=1,
        validators=[MinValueValidator(MIN_CAPACITY), MaxValueValidator(MAX_CAPACITY)],
    )
    focus_areas = models.JSONField(_("focus areas"), default=list, validators=[validate_focus_areas])
    languages = models.JSONField(_("languages for mentoring"), default=list, validators=[validate_languages])
    low_resource_experience = models.BooleanField(_("experience in low-resource settings"), default=False)
    years_in_oncology = models.PositiveSmallIntegerField(_("years in oncology"), validators=[MaxValueValidator(70)])
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_zone])
    about = models.TextField(
        _("about you, for mentees"),
        max_length=1500,
        blank=True,
        help_text=_("What you can help with. Mentees read this; do not put contact details here."),
    )
    # Revealed to a mentee only once both have accepted the pairing.
    contact_note = models.CharField(
        _("other ways to reach you"),
        max_length=200,
        blank=True,
        help_text=_("Phone, video-call name… Shown only to a mentee once you have both accepted."),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "person__family_name", "person__given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="mentoring_one_offer_per_cycle"),
            models.CheckConstraint(
                condition=Q(capacity__gte=MIN_CAPACITY) & Q(capacity__lte=MAX_CAPACITY), name="mentoring_offer_capacity"
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]
        verbose_name = _("mentor offer")
        verbose_name_plural = _("mentor offers")

    def __str__(self) -> str:
        return f"{self.person} ({self.cycle})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class OfferWindow(WindowBase):
    offer = models.ForeignKey(MentorOffer, on_delete=models.CASCADE, related_name="windows")

    class Meta(WindowBase.Meta):
        constraints = _window_checks("mentoring_offer")
        verbose_name = _("mentor's weekly window")


class MenteeRequest(models.Model):
    """What a mentee asks for, beside their application to the cycle's mentee call."""

    application = models.OneToOneField(
        "calls.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="mentee_request"
    )
    cycle = models.ForeignKey(MentoringCycle, on_delete=models.PROTECT, related_name="requests")
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    goal_type = models.CharField(_("mentoring for"), max_length=10, choices=GoalType.choices, blank=True)
    goals = models.TextField(_("your goals for the year"), max_length=3000, blank=True)
    focus_areas = models.JSONField(_("focus areas"), default=list, blank=True, validators=[validate_focus_areas])
    languages = models.JSONField(
        _("languages for mentoring"), default=list, blank=True, validators=[validate_languages]
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Revealed to the mentor only once both have accepted the pairing.
    contact_note = models.CharField(
        _("other ways to reach you"),
        max_length=200,
        blank=True,
        help_text=_("Phone, video-call name… Shown only to your mentor once you have both accepted."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "id"]
        verbose_name = _("mentee request")
        verbose_name_plural = _("mentee requests")

    def __str__(self) -> str:
        return f"{self.application.applicant} ({self.cycle})"


class RequestWindow(WindowBase):
    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="windows")

    class Meta(WindowBase.Meta):
        constraints = _window_checks("mentoring_request")
        verbose_name = _("mentee's weekly window")


class Preference(models.Model):
    """A mentor on a mentee's ranked shortlist (1 = first choice)."""

    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="preferences")
    offer = models.ForeignKey(MentorOffer, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_PREFERENCES)])

    class Meta:
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["request", "rank"], name="mentoring_preference_rank_once"),
            models.UniqueConstraint(fields=["request", "offer"], name="mentoring_preference_mentor_once"),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_PREFERENCES), name="mentoring_preference_rank_range"
            ),
        ]
        verbose_name = _("mentor preference")

    def __str__(self) -> str:
        return f"#{self.rank} {self.offer_id}"


class MatchRound(models.Model):
    """One matching round of a cycle: staff run the engine (MatchRun), adjust, and publish one run.
    ``status`` changes only in ``services.rounds.transition_round``."""

    cycle = models.ForeignKey(MentoringCycle, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    published_run = models.ForeignKey(
        "MatchRun", null=True, blank=True, on_delete=models.PROTECT, related_name="published_in"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="mentoring_round_number_once"),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(status__in=LIVE_ROUND_STATUSES), name="mentoring_one_live_round"
            ),
        ]
        verbose_name = _("match round")
        verbose_name_plural = _("match rounds")

    def __str__(self) -> str:
        return f"{self.cycle} — round {self.number}"


class MatchRun(models.Model):
    """One engine run in a round: the proposed pairs (RunPair) and the unmatched (RunUnmatched).
    The worker fills it in (``background`` shows its progress)."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveSmallIntegerField()
    objective = models.CharField(_("objective"), max_length=5, choices=Objective.choices, default=Objective.TOTAL)
    keep_bonus = models.FloatField(_("bonus for keeping the previous run's pairs"), default=0.0)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("re-run of")
    )
    background = models.OneToOneField(
        "core.BackgroundRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentoring_run"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    # Preferences the run could not use, per request id: [{"rank", "offer", "reason"}].
    ignored_preferences = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "-number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="mentoring_run_number_once")]
        verbose_name = _("engine run")
        verbose_name_plural = _("engine runs")

    def __str__(self) -> str:
        return f"{self.round} — run {self.number}"


class RunPair(models.Model):
    """A pair an engine run proposes, with the engine's explanation (codes and params, worded on read)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="pairs")
    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(MentorOffer, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rank = models.PositiveIntegerField(default=0)  # among the mentee's eligible candidates
    candidates = models.PositiveIntegerField(default=0)
    preference_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    overlap_hours = models.FloatField(default=0.0)  # the guaranteed weekly hours in common
    overlap_max_hours = models.FloatField(default=0.0)
    pinned = models.BooleanField(default=False)
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "request"], name="mentoring_run_pair_mentee_once"),
        ]
        indexes = [models.Index(fields=["run", "offer"])]
        verbose_name = _("proposed pair")

    def __str__(self) -> str:
        return f"{self.request_id} – {self.offer_id}"


class RunUnmatched(models.Model):
    """A mentee an engine run left without a mentor, and the engine's reason."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="unmatched")
    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "request"], name="mentoring_run_unmatched_once")]
        verbose_name = _("unmatched mentee")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.code}"


class RunSnapshot(models.Model):
    """The engine's candidate pairs of a run (compressed arrays), so a cascade after declines does
    not score every pair again. Never loaded with the run itself."""

    run = models.OneToOneField(MatchRun, on_delete=models.CASCADE, related_name="snapshot")
    data = models.BinaryField()

    class Meta:
        verbose_name = _("engine snapshot")

    def __str__(self) -> str:
        return f"snapshot of {self.run_id}"


class RoundAdjustment(models.Model):
    """Staff's hand on a round: keep a pair whatever the engine says, or never propose it."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="adjustments")
    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(MentorOffer, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=AdjustmentKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "request", "offer"], name="mentoring_adjustment_once"),
            models.UniqueConstraint(
                fields=["round", "request"], condition=Q(kind=AdjustmentKind.PIN), name="mentoring_one_pin_per_mentee"
            ),
        ]
        verbose_name = _("pair adjustment")

    def __str__(self) -> str:
        return f"{self.kind} {self.request_id} – {self.offer_id}"


class Match(models.Model):
    """A proposed pairing of a mentee and a mentor in a round, and both sides' answers.
    ``status`` changes only in ``services.consent.transition_matches``."""

    round = models.ForeignKey(MatchRound, on_delete=models.PROTECT, related_name="matches")
    request = models.ForeignKey(MenteeRequest, on_delete=models.PROTECT, related_name="matches")
    offer = models.ForeignKey(MentorOffer, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    score = models.FloatField(default=0.0)
    preference_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    overlap_hours = models.FloatField(default=0.0)
    overlap_max_hours = models.FloatField(default=0.0)
    explanation = models.JSONField(default=dict, blank=True)
    by_cascade = models.BooleanField(default=False)
    mentee_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    mentor_answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    mentee_answered_at = models.DateTimeField(null=True, blank=True)
    mentor_answered_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.CharField(max_length=10, choices=Side.choices, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    # The side who declined also leaves the round: the engine gives them nobody new.
    leaves_round = models.BooleanField(default=False)
    approved_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "request", "offer"], name="mentoring_match_pair_once"),
            # A mentee never has two live proposals, nor a proposal beside an accepted pairing.
            models.UniqueConstraint(
                fields=["request"], condition=Q(status__in=LIVE_MATCH_STATUSES), name="mentoring_one_live_match"
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "status"]),
            models.Index(fields=["status", "respond_by"]),
        ]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.request_id} – {self.offer_id} ({self.status})"

    def answer_of(self, side: str) -> str:
        return self.mentee_answer if side == Side.MENTEE else self.mentor_answer


class Mentorship(models.Model):
    """The pair once both accepted: the mentoring year. ``status`` changes only in
    ``services.consent.transition_mentorship``. The year's plan, meetings, check-ins and
    evaluations hang off this record."""

    match = models.OneToOneField(Match, on_delete=models.PROTECT, related_name="mentorship")
    cycle = models.ForeignKey(MentoringCycle, on_delete=models.PROTECT, related_name="mentorships")
    mentee = models.ForeignKey(
        "people.Person", verbose_name=_("mentee"), on_delete=models.PROTECT, related_name="mentorships_as_mentee"
    )
    mentor = models.ForeignKey(
        "people.Person", verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentorships_as_mentor"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MentorshipStatus.choices, default=MentorshipStatus.PENDING
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(_("why it ended early"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="mentorship_dates_ordered")
        ]
        indexes = [models.Index(fields=["mentor", "status"]), models.Index(fields=["mentee", "status"])]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.cycle})"
