"""Courses and workshops: templates built from modules, courses with agendas, faculty role slots,
invitations and travel, and the minimal participant registration that sets "full".

Statuses change only through ``services.transition_course`` and ``services.transition_invitation``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.people.validators import validate_time_zone
from oncoreach.workshops.enums import (
    FILLING_STATUSES,
    BookingStatus,
    CourseStatus,
    CourseType,
    FacultyRole,
    InvitationStatus,
    RegistrationStatus,
    ReimbursementStatus,
)


class Module(models.Model):
    """A reusable block of teaching, e.g. a tumor-site module adapted per country."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    default_hours = models.DecimalField(_("usual length in hours"), max_digits=4, decimal_places=1, default=2)

    class Meta:
        ordering = ["name"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.name


class CourseTemplate(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    course_type = models.CharField(_("type"), max_length=8, choices=CourseType.choices)
    summary = models.TextField(_("summary"), blank=True)
    default_days = models.PositiveSmallIntegerField(_("usual length in days"), default=3)
    modules = models.ManyToManyField(Module, verbose_name=_("modules"), blank=True, related_name="templates")

    class Meta:
        ordering = ["course_type", "name"]
        verbose_name = _("course template")
        verbose_name_plural = _("course templates")

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    """One course or workshop in one place; "full" is computed from capacity, never stored."""

    template = models.ForeignKey(
        CourseTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="courses"
    )
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    host_organization = models.ForeignKey(
        "people.Organization", verbose_name=_("host"), on_delete=models.PROTECT, related_name="hosted_courses"
    )
    co_hosts = models.ManyToManyField(
        "people.Organization", verbose_name=_("co-hosts"), blank=True, related_name="co_hosted_courses"
    )
    city = models.CharField(_("city"), max_length=120)
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="courses"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    languages = models.JSONField(_("languages taught in"), default=list, blank=True, help_text=_("ISO 639-1 codes"))
    capacity = models.PositiveIntegerField(_("participant places"), validators=[MaxValueValidator(5000)])
    status = models.CharField(_("status"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.PLANNING)
    # Participants apply through this call (made by services.open_registration).
    intake_call = models.OneToOneField(
        "calls.Call",
        verbose_name=_("registration call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="intake_course",
    )
    follow_up_form = models.ForeignKey(
        "programs.FormDefinition",
        verbose_name=_("follow-up form (travel, dietary needs)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluation_form = models.ForeignKey(
        "programs.FormDefinition",
        verbose_name=_("evaluation survey"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("host application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_course",
    )
    host_contacts = models.ManyToManyField(
        "people.Person", verbose_name=_("host contacts"), blank=True, related_name="hosted_course_contacts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "title", "id"]
        indexes = [models.Index(fields=["status", "start_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")), name="course_dates_ordered"
            )
        ]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:course-detail", kwargs={"slug": self.slug})

    @property
    def course_type(self) -> str:
        return self.template.course_type

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or "UTC")

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def utc_offset(self, day: dt.date | None = None) -> str:
        """The event's UTC offset on its first day (or ``day``), like +05:45."""
        moment = dt.datetime.combine(day or self.start_date, dt.time(12), tzinfo=self.zone)
        offset = moment.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def seats_taken(self) -> int:
        """Uses the ``seats_taken_count`` annotation from the selectors when present."""
        annotated = getattr(self, "seats_taken_count", None)
        if annotated is not None:
            return int(annotated)
        from oncoreach.workshops.enums import SEAT_TAKING_STATUSES

        return self.registrations.filter(status__in=SEAT_TAKING_STATUSES).count()

    @property
    def is_full(self) -> bool:
        return self.seats_taken() >= self.capacity


class Session(models.Model):
    """One agenda item; faculty are people, local or visiting."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    title = models.CharField(_("title"), max_length=200)
    module = models.ForeignKey(Module, verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL)
    faculty = models.ManyToManyField(
        "people.Person", verbose_name=_("faculty"), blank=True, related_name="course_sessions"
    )

    class Meta:
        ordering = ["day", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__lt=models.F("end_time")), name="session_times_ordered"
            )
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.start_time:%H:%M} {self.title}"

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.start_time, tzinfo=self.course.zone)

    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.end_time, tzinfo=self.course.zone)

    def starts_iso(self) -> str:
        """For <time datetime>: the event's own wall time with its UTC offset."""
        return self.starts_at().isoformat(timespec="minutes")

    def ends_iso(self) -> str:
        return self.ends_at().isoformat(timespec="minutes")


class FacultySlot(models.Model):
    """One place in the visiting faculty team, e.g. "pathologist who teaches in Spanish"."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="slots")
    role = models.CharField(_("role"), max_length=24, choices=FacultyRole.choices)
    required_language = models.CharField(_("must teach in"), max_length=8, blank=True)
    required_expertise = models.JSONField(_("expertise wanted"), default=list, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["course", "role", "id"]
        verbose_name = _("faculty slot")
        verbose_name_plural = _("faculty slots")

    def __str__(self) -> str:
        return f"{self.course}: {self.get_role_display()}"


class FacultyInvitation(models.Model):
    """A volunteer asked to fill a slot: proposed → invited → accepted | declined → travel booked → completed."""

    slot = models.ForeignKey(FacultySlot, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="faculty_invitations")
    status = models.CharField(
        _("status"), max_length=14, choices=InvitationStatus.choices, default=InvitationStatus.PROPOSED
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    fit = models.FloatField(_("fit score"), null=True, blank=True)
    # The engine's explanation in words staff understand: [{"component", "text", "value"}].
    explanation = models.JSONField(default=list, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=models.Q(status__in=sorted(FILLING_STATUSES)),
                name="faculty_slot_filled_once",
            ),
            models.UniqueConstraint(fields=["slot", "person"], name="faculty_invitation_once_per_person"),
        ]
        indexes = [models.Index(fields=["person", "status"])]
        verbose_name = _("faculty invitation")
        verbose_name_plural = _("faculty invitations")

    def __str__(self) -> str:
        return f"{self.person} → {self.slot}"


class Travel(models.Model):
    """What workshops keep about one accepted invitation's trip, beside the shared ``travel.Trip``
    (traveller, destination, dates, visa-letter flag, status): the itinerary, staff's booking
    status (mapped onto the trip's status by ``enums.BOOKING_TRIP_STATUS``), per diem and
    reimbursement. Visible to program staff and the traveller only."""

    invitation = models.OneToOneField(FacultyInvitation, on_delete=models.CASCADE, related_name="travel")
    trip = models.OneToOneField(
        "travel.Trip", verbose_name=_("trip"), on_delete=models.PROTECT, related_name="faculty_travel"
    )
    itinerary = models.TextField(_("itinerary"), blank=True, max_length=4000)
    booking_status = models.CharField(
        _("booking"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.NOT_STARTED
    )
    per_diem = models.DecimalField(
        _("per diem"), max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    per_diem_currency = models.CharField(_("currency"), max_length=3, default="USD")
    reimbursement_status = models.CharField(
        _("reimbursement"), max_length=10, choices=ReimbursementStatus.choices, default=ReimbursementStatus.NONE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("travel")
        verbose_name_plural = _("travel")

    def __str__(self) -> str:
        return f"{self.invitation}: {self.get_booking_status_display()}"


class FacultyInterest(models.Model):
    """A volunteer raised a hand for an open slot ("call for faculty"); staff see it when staffing."""

    slot = models.ForeignKey(FacultySlot, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="faculty_interests")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["slot", "person"], name="faculty_interest_once")]
        verbose_name = _("interest in a faculty slot")

    def __str__(self) -> str:
        return f"{self.person} ✋ {self.slot}"


class Registration(models.Model):
    """A participant's place on a course: one-to-one with their Application to the course's
    intake call (calls owns the decision); this row adds the wait list, attendance, scores,
    surveys and the certificate. ``status`` changes only in workshops.services (participants)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="course_registrations")
    application = models.OneToOneField(
        "calls.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="registration"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.ACCEPTED
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    pre_test_score = models.DecimalField(
        _("pre-test score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    post_test_score = models.DecimalField(
        _("post-test score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    follow_up = models.OneToOneField(
        "programs.ResponseSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evaluation = models.OneToOneField(
        "programs.ResponseSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impact_survey = models.OneToOneField(
        "programs.ResponseSet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    impact_survey_sent_at = models.DateTimeField(null=True, blank=True)
    # The one-year answers as figures (copied from the survey so impact sums are one query).
    practice_changed = models.BooleanField(null=True, blank=True)
    tumor_boards_started = models.PositiveIntegerField(null=True, blank=True)
    colleagues_trained = models.PositiveIntegerField(null=True, blank=True)
    certificate_code = models.CharField(max_length=24, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "person"], name="registration_once_per_course")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.person} @ {self.course}"

    def get_absolute_url(self) -> str:
        return reverse("workshops:registration-detail", kwargs={"pk": self.pk})
