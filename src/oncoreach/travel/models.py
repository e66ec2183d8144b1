"""Trips: one person travelling for the program (an awardee to the Annual Meeting, a volunteer to
teach at a course, or any other trip), with the visa-letter flag. Travel data is private: the
traveller and program staff only (ARCHITECTURE.md §7)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oncoreach.travel.enums import TripPurpose, TripStatus


class Trip(models.Model):
    """planned → booked → completed; cancelled before it is completed (``services.transition_trip``)."""

    traveller = models.ForeignKey(
        "people.Person", verbose_name=_("traveller"), on_delete=models.PROTECT, related_name="trips"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=TripPurpose.choices)
    title = models.CharField(_("event"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=10, choices=TripStatus.choices, default=TripStatus.PLANNED)
    visa_letter_needed = models.BooleanField(_("visa invitation letter needed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="travel_trip_ends_after_start"),
        ]
        indexes = [models.Index(fields=["traveller", "status"])]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")

    def __str__(self) -> str:
        return f"{self.traveller}: {self.title} ({self.start_date:%Y-%m-%d})"
