"""Calls for applications: the shared machinery of host, participant, award and mentee calls."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.enums import (
    ApplicationStatus,
    AssignmentStatus,
    CallKind,
    CountryBasis,
    PanelOutcome,
    StageKind,
)
from oncoreach.core.files import random_upload_name
from oncoreach.geo.enums import IncomeGroup
from oncoreach.people.enums import CareerStage

if TYPE_CHECKING:
    from oncoreach.programs.models import FormDefinition, ResponseSet


def _validate_income_groups(value: object) -> None:
    if not isinstance(value, list) or any(code not in IncomeGroup.values for code in value):
        raise ValidationError(_("Choose income groups from: %(codes)s.") % {"codes": ", ".join(IncomeGroup.values)})


def _validate_career_stages(value: object) -> None:
    if not isinstance(value, list) or any(code not in CareerStage.values for code in value):
        raise ValidationError(_("Choose career stages from: %(codes)s.") % {"codes": ", ".join(CareerStage.values)})


def _validate_stages(value: object) -> None:
    """The validator of the former ``Call.extra_stages`` column (named by migration 0001)."""
    if not isinstance(value, list):
        raise ValidationError(_("Extra stages must be a list."))


validate_stage_key = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    _("Use lower-case letters, digits and underscores, starting with a letter (for example full_application)."),
    code="bad_key",
)


def _validate_caps(value: object) -> None:
    """``{question key: amount}``: the most a money question (or a group's money total) may be, in
    the question's currency."""
    if not isinstance(value, dict):
        raise ValidationError(_("Limits must map a question key to an amount."), code="bad_caps")
    for key, amount in value.items():
        try:
            ok = Decimal(str(amount)) > 0
        except ArithmeticError:
            ok = False
        if not isinstance(key, str) or not ok:
            raise ValidationError(
                _("The limit for “%(key)s” must be an amount above zero.") % {"key": key}, code="bad_caps"
            )


def _validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“%(zone)s” is not a time zone name.") % {"zone": value}) from exc


class CallQuerySet(models.QuerySet["Call"]):
    def open_on(self, moment: dt.datetime) -> CallQuerySet:
        """Published calls whose first stage takes new applications at ``moment``."""
        entry_open = CallStage.objects.filter(
            call=models.OuterRef("pk"),
            kind=StageKind.SUBMISSION,
            by_invitation=False,
            opens_at__lte=moment,
            closes_at__gt=moment,
        )
        return self.filter(models.Exists(entry_open), is_published=True)

    def with_deadline(self) -> CallQuerySet:
        """Each call with ``deadline``: when its first stage stops taking applications."""
        entry = CallStage.objects.filter(
            call=models.OuterRef("pk"), kind=StageKind.SUBMISSION, by_invitation=False
        ).order_by("order", "id")
        return self.annotate(deadline=models.Subquery(entry.values("closes_at")[:1]))


class Call(models.Model):
    """One call for applications in a program cycle, with its stages and eligibility rules.

    The stages (``CallStage``, ordered) carry the forms, windows, rubrics and panels; the first
    is the submission stage where applications start (``entry_stage``).
    """

    cycle = models.ForeignKey("programs.Cycle", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CallKind.choices)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    time_zone = models.CharField(
        _("time zone of the deadline"), max_length=64, default="UTC", validators=[_validate_time_zone]
    )
    # Eligibility rules.
    eligible_income_groups = models.JSONField(
        _("eligible income groups"),
        default=list,
        blank=True,
        validators=[_validate_income_groups],
        help_text=_("World Bank codes (L, LM, UM, H). Empty: any country."),
    )
    country_basis = models.CharField(
        _("country that counts"), max_length=10, choices=CountryBasis.choices, default=CountryBasis.PRACTICE
    )
    reference_date = models.DateField(
        _("eligibility reference date"), null=True, blank=True, help_text=_("Empty: the cycle's reference date.")
    )
    allowed_career_stages = models.JSONField(
        _("allowed career stages"),
        default=list,
        blank=True,
        validators=[_validate_career_stages],
        help_text=_("Empty: any career stage."),
    )
    max_years_since_training = models.PositiveSmallIntegerField(
        _("at most years since training"), null=True, blank=True
    )
    prior_award_programs = models.ManyToManyField(
        "programs.Program", blank=True, related_name="+", verbose_name=_("exclude people accepted in these programs")
    )
    prior_award_years = models.PositiveSmallIntegerField(_("within this many years"), default=0)
    requires_membership = models.BooleanField(
        _("applicants must be members of the society"),
        default=False,
        help_text=_("Membership on the eligibility reference date, from the society's member database."),
    )
    reference_letters_required = models.PositiveSmallIntegerField(_("reference letters required"), default=0)
    conflict_same_country = models.BooleanField(
        _("a reviewer from the applicant's country of practice has a conflict"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("call for applications")
        verbose_name_plural = _("calls for applications")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:call-detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    @property
    def stage_list(self) -> list[CallStage]:
        """The stages in order (from the prefetch cache when the selector prefetched them)."""
        return sorted(self.stages.all(), key=lambda stage: (stage.order, stage.pk or 0))

    @property
    def entry_stage(self) -> CallStage | None:
        """The first stage: the submission stage where applications start."""
        stages = self.stage_list
        return stages[0] if stages else None

    @property
    def window_opens_at(self) -> dt.datetime | None:
        """When the call starts taking applications (its first stage opens)."""
        entry = self.entry_stage
        return entry.opens_at if entry is not None else None

    @property
    def window_closes_at(self) -> dt.datetime | None:
        """The deadline for new applications (its first stage closes)."""
        entry = self.entry_stage
        return entry.closes_at if entry is not None else None

    @property
    def closes_at_local(self) -> dt.datetime | None:
        closes = self.window_closes_at
        return timezone.localtime(closes, self.zone) if closes is not None else None

    @property
    def opens_at_local(self) -> dt.datetime | None:
        opens = self.window_opens_at
        return timezone.localtime(opens, self.zone) if opens is not None else None

    @property
    def form(self) -> FormDefinition | None:
        """The entry stage's form (the one new applications fill in)."""
        entry = self.entry_stage
        return entry.form if entry is not None else None

    @property
    def first_review_stage(self) -> CallStage | None:
        """The first stage where applications are assessed (review, committee or interview)."""
        return next((stage for stage in self.stage_list if stage.takes_reviews), None)

    @property
    def panel_stage(self) -> CallStage | None:
        """Where the panel decides by default: the committee stage, else the last stage that
        assesses (the stage a panel decision belongs to when none is named)."""
        stages = self.stage_list
        committee = [stage for stage in stages if stage.kind == StageKind.COMMITTEE]
        assessing = [stage for stage in stages if stage.takes_reviews]
        chosen = committee or assessing
        return chosen[-1] if chosen else None

    def stage_by_key(self, key: str) -> CallStage | None:
        return next((stage for stage in self.stage_list if stage.key == key), None)

    def is_open(self, moment: dt.datetime | None = None) -> bool:
        """True while the call is published and its first stage takes new applications."""
        entry = self.entry_stage
        return self.is_published and entry is not None and entry.is_open(moment)


class CallStage(models.Model):
    """One step of a call, in order: a submission (its own form and window), a review, a committee,
    an interview or the decision. The kind chooses behaviour; the name is the society's own.

    The allowed transitions of the call's applications are derived from its stages
    (``enums.transitions_for``). Times are stored in UTC and typed and shown in the call's zone.
    """

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.CharField(
        _("key"),
        max_length=40,
        validators=[validate_stage_key],
        help_text=_("A stable name for the stage that other parts of the platform use."),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=StageKind.choices)
    form = models.ForeignKey(
        "programs.FormDefinition",
        on_delete=models.PROTECT,
        related_name="call_stages",
        null=True,
        blank=True,
        verbose_name=_("form"),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    by_invitation = models.BooleanField(
        _("by invitation"),
        default=False,
        help_text=_("Only applicants advanced from the stage before may submit."),
    )
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=0)
    blind = models.BooleanField(
        _("blind"),
        default=False,
        help_text=_("Reviewers never see the applicant's name, e-mail address, institution or referees."),
    )
    caps = models.JSONField(
        _("limits on amounts"),
        default=dict,
        blank=True,
        validators=[_validate_caps],
        help_text=_("The most a money question or a budget's total may be: question key → amount."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "key"], name="stage_key_unique_per_call"),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="stage_opens_before_close",
            ),
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return f"{self.call} — {self.name}"

    @property
    def is_submission(self) -> bool:
        return self.kind == StageKind.SUBMISSION

    @property
    def takes_reviews(self) -> bool:
        """Reviewers are assigned here (a review, committee or interview stage)."""
        return self.kind in (StageKind.REVIEW, StageKind.COMMITTEE, StageKind.INTERVIEW)

    def is_open(self, moment: dt.datetime | None = None) -> bool:
        """Submissions are taken now: after opening (if set) and before closing."""
        moment = moment or timezone.now()
        if self.closes_at is None or moment >= self.closes_at:
            return False
        return self.opens_at is None or self.opens_at <= moment

    @property
    def closes_at_local(self) -> dt.datetime | None:
        return timezone.localtime(self.closes_at, self.call.zone) if self.closes_at else None

    @property
    def opens_at_local(self) -> dt.datetime | None:
        return timezone.localtime(self.opens_at, self.call.zone) if self.opens_at else None


class RubricCriterion(models.Model):
    """One criterion of a stage's rubric. Locked once reviewing of the stage has started. A
    ``variant`` key limits it to the applications scored under that variant (a track's rubric)."""

    stage = models.ForeignKey(CallStage, on_delete=models.CASCADE, related_name="criteria")
    variant = models.SlugField(
        _("rubric variant"), max_length=30, blank=True, db_index=False, help_text=_("Empty: every application.")
    )
    name = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what reviewers look for"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.name


class CallRole(models.Model):
    """A person's role on one call (optionally one of its stages) or one program cycle: chair,
    committee member, staff or external reviewer, interviewer, or a role another app registered
    (``calls.roles``). Panels are data per call, never global groups."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="call_roles")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="roles", null=True, blank=True)
    cycle = models.ForeignKey(
        "programs.Cycle", on_delete=models.CASCADE, related_name="call_roles", null=True, blank=True
    )
    stage = models.ForeignKey(CallStage, on_delete=models.CASCADE, related_name="roles", null=True, blank=True)
    role = models.CharField(_("role"), max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "cycle", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(call__isnull=False, cycle__isnull=True)
                | models.Q(call__isnull=True, cycle__isnull=False, stage__isnull=True),
                name="call_role_on_a_call_or_a_cycle",
            ),
            models.UniqueConstraint(
                fields=["person", "call", "role"],
                condition=models.Q(call__isnull=False, stage__isnull=True),
                name="one_call_role_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "stage", "role"],
                condition=models.Q(stage__isnull=False),
                name="one_stage_role_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "cycle", "role"],
                condition=models.Q(cycle__isnull=False),
                name="one_cycle_role_per_person",
            ),
        ]
        verbose_name = _("panel role")
        verbose_name_plural = _("panel roles")

    def __str__(self) -> str:
        return f"{self.person} — {self.role}"


class Application(models.Model):
    """One person's application to one call. ``status`` and ``current_stage`` change only in
    transition_application."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="applications")
    current_stage = models.ForeignKey(
        CallStage, on_delete=models.PROTECT, related_name="applications_here", verbose_name=_("stage")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    eligibility = models.JSONField(_("eligibility snapshot"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # The rubric variant it is scored under (another app sets it: awards, from the track).
    rubric_variant = models.SlugField(_("rubric variant"), max_length=30, blank=True, db_index=False)

    class Meta:
        ordering = ["call", "-submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "applicant"], name="one_application_per_call")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.applicant} — {self.call}"

    @property
    def submission_list(self) -> list[ApplicationSubmission]:
        """The answers to each submission stage, in stage order (prefetch cache when present)."""
        return sorted(self.submissions.all(), key=lambda item: (item.stage.order, item.pk or 0))

    @property
    def response_set(self) -> ResponseSet | None:
        """The answers to the current submission stage, else to the latest one the application
        reached (what the applicant fills in, and what reviewers read by default)."""
        submissions = self.submission_list
        current = [item for item in submissions if item.stage_id == self.current_stage_id]
        chosen = current[0] if current else (submissions[-1] if submissions else None)
        return chosen.response_set if chosen is not None else None


class ApplicationSubmission(models.Model):
    """An application's answers to one submission stage: a form-engine ResponseSet, frozen when
    submitted (``submitted_at``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    stage = models.ForeignKey(CallStage, on_delete=models.PROTECT, related_name="submissions")
    response_set = models.OneToOneField(
        "programs.ResponseSet", on_delete=models.PROTECT, related_name="application_submission"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "stage__order", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_submission_per_stage")]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.application} — {self.stage.name}"


def reference_letter_upload_to(instance: ReferenceRequest, filename: str) -> str:
    """A random name (never the referee's, nor anything of the link's secret)."""
    return random_upload_name(f"calls/references/{instance.application.call_id}", "letter.pdf")


class ReferenceRequest(models.Model):
    """A referee asked for a letter; they upload it through a private link, without an account."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reference_requests")
    referee_name = models.CharField(_("referee's name"), max_length=200)
    referee_email = models.EmailField(_("referee's e-mail address"))
    nonce = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField()
    letter = models.FileField(upload_to=reference_letter_upload_to, blank=True, max_length=300)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "referee_email"], name="one_request_per_referee")]
        verbose_name = _("reference request")

    def __str__(self) -> str:
        return f"{self.referee_name} for {self.application}"


class ConflictDeclaration(models.Model):
    """A conflict of interest someone declared (the reviewer, or staff on their behalf). It holds
    for every stage of the application's call; the call is the application's (no second column
    that could disagree with it)."""

    reviewer = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="conflict_declarations")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflict_declarations")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reviewer", "application"], name="one_declaration_per_pair")]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")

    def __str__(self) -> str:
        return f"{self.reviewer} × {self.application}"


class ReviewAssignment(models.Model):
    """A reviewer asked to review one application in one stage. ``status`` changes only in
    transition_assignment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    stage = models.ForeignKey(CallStage, on_delete=models.PROTECT, related_name="assignments")
    reviewer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField(max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    by_engine = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True, help_text="The engine's pair score, when it proposed this.")

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer", "stage"], name="one_assignment_per_stage")
        ]
        verbose_name = _("review assignment")

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Review(models.Model):
    """A reviewer's review: one CriterionScore per criterion of the stage's rubric, a comment, and
    the weighted total on a 0–100 scale."""

    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    comment = models.TextField(_("comment"), blank=True)
    conflict_declared = models.BooleanField(_("I have a conflict of interest"), default=False)
    weighted_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")

    def __str__(self) -> str:
        return f"Review by {self.assignment.reviewer_id} of {self.assignment.application_id}"


class CriterionScore(models.Model):
    """One criterion's score in one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="criterion_scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["review", "criterion__order", "criterion_id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class PanelDecision(models.Model):
    """The chair's recorded panel decision for one application in one assessment stage, with notes.
    A new record replaces the previous one as the stage's current decision; the older ones stay as
    the history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="panel_decisions")
    stage = models.ForeignKey(
        CallStage, on_delete=models.PROTECT, related_name="panel_decisions", verbose_name=_("stage")
    )
    outcome = models.CharField(_("panel decision"), max_length=12, choices=PanelOutcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "stage", "-created_at", "-id"]
        verbose_name = _("panel decision")
        verbose_name_plural = _("panel decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application_id}"
