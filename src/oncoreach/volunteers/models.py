"""Volunteer profile, availability windows and the activity log.

A volunteer is a Person with a VolunteerProfile (ARCHITECTURE.md §7: roles are derived from data).
Previous visits are not stored here: they are the person's completed faculty invitations, which
the workshops app owns.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.people.enums import Specialty
from oncoreach.volunteers.enums import MAX_TRIPS_PER_YEAR_LIMIT, ActivityKind, VolunteerRole


class VolunteerProfile(models.Model):
    person = models.OneToOneField(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    roles = models.JSONField(_("roles offered"), default=list, blank=True)
    specialty = models.CharField(_("specialty"), max_length=30, choices=Specialty.choices, blank=True)
    expertise = models.JSONField(
        _("expertise topics"),
        default=list,
        blank=True,
        help_text=_("Short topics such as breast cancer, clinical trial design or pain management."),
    )
    max_trips_per_year = models.PositiveSmallIntegerField(
        _("trips per year at most"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_TRIPS_PER_YEAR_LIMIT)],
    )
    # Private: shown only to program staff and the volunteer (ARCHITECTURE.md §7, privacy).
    travel_document_notes = models.TextField(
        _("passport and visa notes"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Passport validity, visas held, anything that decides where you can travel. Only program staff see this."
        ),
    )
    is_active = models.BooleanField(_("available for new requests"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person__family_name", "person__given_name", "id"]
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return str(self.person)

    def offers(self, role: str) -> bool:
        return role in self.roles

    def role_labels(self) -> list[str]:
        return [str(VolunteerRole(role).label) for role in self.roles if role in VolunteerRole.values]


class VolunteerAvailability(models.Model):
    """A window in which the volunteer can travel; none at all means "ask me"."""

    profile = models.ForeignKey(VolunteerProfile, on_delete=models.CASCADE, related_name="availability")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="availability_dates_ordered")
        ]
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


class ActivityLog(models.Model):
    """One contribution with its hours, for recognition and reports; may point at what it was for."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="volunteer_activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"]), models.Index(fields=["related_type", "related_id"])]
        constraints = [
            # Logging the same automatic entry twice (e.g. a completion re-run) must not double the hours.
            models.UniqueConstraint(
                fields=["person", "kind", "related_type", "related_id"],
                condition=~models.Q(related_id=""),
                name="activity_once_per_related_object",
            )
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.date:%Y-%m-%d}"
