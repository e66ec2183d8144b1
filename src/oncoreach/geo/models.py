"""Countries and their World Bank income group, year by year.

Eligibility rules ask "what was country C's income group on date D?"; the answer comes from
``IncomeClassification`` rows, one per country and fiscal year (1 July to 30 June), through
``geo.selectors.income_group_on``.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.geo.enums import IncomeGroup, Region


class Country(models.Model):
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(_("World Bank region"), max_length=4, choices=Region.choices, blank=True)
    # The newest classification, denormalised for lists; history lives in IncomeClassification.
    income_group = models.CharField(_("income group (newest)"), max_length=2, choices=IncomeGroup.choices, blank=True)
    languages = models.JSONField(_("languages (ISO 639-1)"), default=list, blank=True)
    primary_language = models.CharField(max_length=8, blank=True)
    time_zone = models.CharField(_("main time zone"), max_length=64, blank=True)
    time_zones = models.JSONField(_("all time zones"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("pages:country-detail", kwargs={"slug": self.slug})


class IncomeClassification(models.Model):
    """A country's income group for one World Bank fiscal year (FY2026 = 1 Jul 2025–30 Jun 2026)."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="classifications")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    income_group = models.CharField(_("income group"), max_length=2, choices=IncomeGroup.choices, blank=True)
    lending_category = models.CharField(max_length=20, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["country__name", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "fiscal_year"], name="one_classification_per_country_year"),
            models.CheckConstraint(
                condition=models.Q(valid_from__lte=models.F("valid_to")), name="classification_dates_ordered"
            ),
        ]
        indexes = [models.Index(fields=["country", "valid_from", "valid_to"])]
        verbose_name = _("income classification")
        verbose_name_plural = _("income classifications")

    def __str__(self) -> str:
        return f"{self.country_id} FY{self.fiscal_year}: {self.get_income_group_display()}"


class ClassificationImport(models.Model):
    """One import of a World Bank classification file: what it changed, and who ran it."""

    created_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    fiscal_years = models.JSONField(default=list)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    changes = models.JSONField(default=list, help_text="[{country, fiscal_year, old, new}]")
    # Codes in the file that were not loaded (aggregates, former economies) and other remarks.
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("classification import")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})" if self.created_at else self.file_name

    def get_absolute_url(self) -> str:
        return reverse("geo:import-detail", kwargs={"pk": self.pk})

    @property
    def change_count(self) -> int:
        return self.added + self.changed
