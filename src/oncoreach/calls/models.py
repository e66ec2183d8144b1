"""Calls for applications: the shared machinery of host, participant, award and mentee calls."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.enums import (
    ApplicationStatus,
    AssignmentStatus,
    CallKind,
    CountryBasis,
    InvalidStageConfiguration,
    PanelOutcome,
    validate_extra_stages,
)
from oncoreach.core.files import random_upload_name
from oncoreach.geo.enums import IncomeGroup
from oncoreach.people.enums import CareerStage


def _validate_income_groups(value: object) -> None:
    if not isinstance(value, list) or any(code not in IncomeGroup.values for code in value):
        raise ValidationError(_("Choose income groups from: %(codes)s.") % {"codes": ", ".join(IncomeGroup.values)})


def _validate_career_stages(value: object) -> None:
    if not isinstance(value, list) or any(code not in CareerStage.values for code in value):
        raise ValidationError(_("Choose career stages from: %(codes)s.") % {"codes": ", ".join(CareerStage.values)})


def _validate_stages(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Extra stages must be a list."))
    try:
        validate_extra_stages(value)
    except InvalidStageConfiguration as exc:
        raise ValidationError(str(exc)) from exc


def _validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“%(zone)s” is not a time zone name.") % {"zone": value}) from exc


class CallQuerySet(models.QuerySet["Call"]):
    def open_on(self, moment: dt.datetime) -> CallQuerySet:
        return self.filter(is_published=True, opens_at__lte=moment, closes_at__gt=moment)


class Call(models.Model):
    """One call for applications in a program cycle, with its form, eligibility rules and rubric."""

    cycle = models.ForeignKey("programs.Cycle", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=CallKind.choices)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_zone = models.CharField(
        _("time zone of the deadline"), max_length=64, default="UTC", validators=[_validate_time_zone]
    )
    form = models.ForeignKey("programs.FormDefinition", on_delete=models.PROTECT, related_name="calls")
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
    reviews_per_application = models.PositiveSmallIntegerField(_("reviews per application"), default=2)
    conflict_same_country = models.BooleanField(
        _("a reviewer from the applicant's country of practice has a conflict"), default=False
    )
    extra_stages = models.JSONField(
        _("extra stages"),
        default=list,
        blank=True,
        validators=[_validate_stages],
        help_text=_('Optional stages after review, e.g. ["letter_of_intent", "interview"].'),
    )
    reviewers = models.ManyToManyField(
        "people.Person", blank=True, related_name="calls_to_review", verbose_name=_("reviewer panel")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["closes_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")), name="call_opens_before_close"
            )
        ]
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
    def closes_at_local(self) -> dt.datetime:
        return timezone.localtime(self.closes_at, self.zone)

    @property
    def opens_at_local(self) -> dt.datetime:
        return timezone.localtime(self.opens_at, self.zone)

    def is_open(self, moment: dt.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return self.is_published and self.opens_at <= moment < self.closes_at


class RubricCriterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
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
        ordering = ["call", "order", "id"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """One person's application to one call. ``status`` changes only in transition_application."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    response_set = models.OneToOneField(
        "programs.ResponseSet", on_delete=models.PROTECT, related_name="application", null=True, blank=True
    )
    eligibility = models.JSONField(_("eligibility snapshot"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["call", "-submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["call", "applicant"], name="one_application_per_call")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.applicant} — {self.call}"


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
    """A conflict of interest someone declared (the reviewer, or staff on their behalf)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="conflict_declarations")
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
    """A reviewer asked to review one application. ``status`` changes only in transition_assignment."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField(max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    by_engine = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True, help_text="The engine's pair score, when it proposed this.")

    class Meta:
        ordering = ["application", "id"]
        constraints = [models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment_per_reviewer")]
        verbose_name = _("review assignment")

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class Review(models.Model):
    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("scores"), default=dict, help_text="{criterion id: score}")
    comment = models.TextField(_("comment"), blank=True)
    conflict_declared = models.BooleanField(_("I have a conflict of interest"), default=False)
    weighted_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")

    def __str__(self) -> str:
        return f"Review by {self.assignment.reviewer_id} of {self.assignment.application_id}"


class PanelDecision(models.Model):
    """The chair's recorded panel decision for one application, with notes. A new record replaces
    the previous one as the current decision; the older ones stay as the history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="panel_decisions")
    outcome = models.CharField(_("panel decision"), max_length=12, choices=PanelOutcome.choices)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "-created_at", "-id"]
        verbose_name = _("panel decision")
        verbose_name_plural = _("panel decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.application_id}"
