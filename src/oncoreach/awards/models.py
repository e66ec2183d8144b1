"""Awards and grants on top of calls: tracks, interviews, offers and the wait list, awardees and
their benefits, and grants paid to institutions (docs/awards.md)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oncoreach.awards.enums import (
    BenefitKind,
    BenefitStatus,
    BookingStatus,
    OfferStatus,
    ReportKind,
    TrancheStatus,
)
from oncoreach.core.files import random_upload_name

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 currency code, such as USD."))
MONEY_DIGITS, MONEY_PLACES = 12, 2


class Track(models.Model):
    """A track inside one program's cycle (IDEA and IDEA-PC share a cycle, cohort and timeline)."""

    cycle = models.ForeignKey("programs.Cycle", on_delete=models.CASCADE, related_name="tracks")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=150)
    # The track's own mentor pool; empty means every volunteer who offers to mentor.
    mentors = models.ManyToManyField(
        "people.Person", verbose_name=_("mentor pool"), blank=True, related_name="award_tracks_mentoring"
    )

    class Meta:
        ordering = ["cycle", "code"]
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="awards_track_code_once_per_cycle")]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return self.name


class ApplicationTrack(models.Model):
    """The track an application is in (one per application)."""

    application = models.OneToOneField("calls.Application", on_delete=models.CASCADE, related_name="award_track")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="applications")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.track}"


class Interviewer(models.Model):
    """A person on a call's interview panel (until calls grows committee roles; see
    ``permissions.is_call_interviewer``)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="award_interviewers")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "person"], name="awards_interviewer_once_per_call")]

    def __str__(self) -> str:
        return f"{self.person} ({self.call})"


class InterviewSlot(models.Model):
    """A time an interviewer offers, stored in UTC and shown in each reader's zone."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="interview_slots")
    interviewer = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="interview_slots")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    video_link = models.URLField(_("video link"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="awards_slot_at_least_5_minutes"),
        ]
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC, {self.interviewer}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class InterviewBooking(models.Model):
    """An applicant's booking of a slot. At most one live booking per slot and per application:
    two applicants can never hold one slot (the database refuses the second)."""

    slot = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE, related_name="bookings")
    application = models.ForeignKey("calls.Application", on_delete=models.CASCADE, related_name="interview_bookings")
    status = models.CharField(max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status=BookingStatus.BOOKED), name="awards_one_live_booking_per_slot"
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status=BookingStatus.BOOKED),
                name="awards_one_live_booking_per_application",
            ),
        ]
        verbose_name = _("interview booking")
        verbose_name_plural = _("interview bookings")

    def __str__(self) -> str:
        return f"{self.slot} ← {self.application_id} ({self.status})"


class Offer(models.Model):
    """The society's offer of an award to one application, or its place on the wait list.

    The application itself moves through ``calls.services.transition_application`` (shortlisted
    → accepted when offered, accepted → declined when turned down or expired); this row keeps
    what calls does not: the conditions, the deadline, the wait-list rank and the answer."""

    application = models.OneToOneField("calls.Application", on_delete=models.CASCADE, related_name="award_offer")
    status = models.CharField(_("status"), max_length=12, choices=OfferStatus.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_code])
    wait_rank = models.PositiveIntegerField(_("wait-list rank"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["wait_rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.WAITLISTED) | Q(wait_rank__isnull=False),
                name="awards_waitlisted_offer_has_rank",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="awards_offer_amount_not_negative"),
        ]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status}"


class Award(models.Model):
    """An awardee: someone who accepted an award (or a past awardee imported for the directory)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="awards")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="awards")
    cycle = models.ForeignKey("programs.Cycle", null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    application = models.OneToOneField(
        "calls.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    track = models.ForeignKey(Track, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    project_title = models.CharField(_("project title"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, default=Decimal("0")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_code])
    institution = models.ForeignKey(
        "people.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    country = models.ForeignKey("geo.Country", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    listed = models.BooleanField(_("listed in the public directory"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "person__family_name", "id"]
        indexes = [models.Index(fields=["listed", "-year"], name="awards_award_directory_idx")]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="awards_award_amount_not_negative")]
        verbose_name = _("award")
        verbose_name_plural = _("awards")

    def __str__(self) -> str:
        return f"{self.person} — {self.program} {self.year}"


class Benefit(models.Model):
    """One thing an award gives (travel to the Annual Meeting, a mentor, membership for N years)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="benefits")
    kind = models.CharField(_("kind"), max_length=20, choices=BenefitKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=BenefitStatus.choices, default=BenefitStatus.PLANNED)
    years = models.PositiveSmallIntegerField(_("years"), null=True, blank=True)
    mentor = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    granted_at = models.DateTimeField(null=True, blank=True)
    # Annual Meeting travel: the trip (travel keeps trips and visa letters for every program).
    trip = models.OneToOneField(
        "travel.Trip", null=True, blank=True, on_delete=models.SET_NULL, related_name="award_benefit"
    )

    class Meta:
        ordering = ["award", "kind", "id"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class GrantCap(models.Model):
    """The most a program's grant may be, in one ISO 4217 currency."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="grant_cap")
    amount = models.DecimalField(_("cap"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_code])

    def __str__(self) -> str:
        return f"{self.program}: {self.amount} {self.currency}"


def agreement_upload_to(instance: Grant, filename: str) -> str:
    return random_upload_name("grant-agreements", filename)


def report_upload_to(instance: GrantReport, filename: str) -> str:
    return random_upload_name("grant-reports", filename)


class Grant(models.Model):
    """A grant paid to an organization, never to a person: there is no person to pay, only the
    organization (required), which the database enforces."""

    organization = models.ForeignKey("people.Organization", on_delete=models.PROTECT, related_name="grants")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="grants")
    cycle = models.ForeignKey("programs.Cycle", null=True, blank=True, on_delete=models.PROTECT, related_name="grants")
    application = models.OneToOneField(
        "calls.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="grant"
    )
    lead = models.ForeignKey(
        "people.Person",
        verbose_name=_("project lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_grants",
        help_text=_("Who reports on the project; the money goes to the organization."),
    )
    project_title = models.CharField(_("project title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    currency = models.CharField(_("currency"), max_length=3, default="USD", validators=[currency_code])
    agreement = models.FileField(_("signed agreement"), upload_to=agreement_upload_to, blank=True, max_length=300)
    agreement_name = models.CharField(max_length=255, blank=True)
    agreement_uploaded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "organization__name", "id"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return f"{self.project_title} ({self.organization})"


class BudgetLine(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)

    class Meta:
        ordering = ["grant", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="awards_budget_line_not_negative")]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


class Tranche(models.Model):
    """One payment of a grant; its status changes only through ``transition_tranche``."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="tranches")
    amount = models.DecimalField(_("amount"), max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.SCHEDULED
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["grant", "due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="awards_tranche_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status=TrancheStatus.PAID) | Q(approved_at__isnull=False, paid_at__isnull=False),
                name="awards_paid_tranche_was_approved",
            ),
        ]
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")

    def __str__(self) -> str:
        return f"{self.amount} due {self.due_date} ({self.status})"


class GrantReport(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    due_date = models.DateField(_("due"))
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # What the project lead sent through the site (staff may also mark a report received that
    # came another way, in which case these stay empty).
    file = models.FileField(_("report (PDF)"), upload_to=report_upload_to, blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    submitted_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_reports_submitted",
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["grant", "kind"], name="awards_one_report_of_each_kind")]
        verbose_name = _("grant report")
        verbose_name_plural = _("grant reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_date}"


def zone_or_utc(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name) if name else dt.UTC
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC
