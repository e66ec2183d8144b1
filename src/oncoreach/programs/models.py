"""The program catalogue. Names are data, so any society can name its own programs."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.programs.enums import ProgramKind


class Program(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProgramKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    """One year (or round) of a program; eligibility is judged as of its reference date."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("eligibility reference date"), default=dt.date.today)

    class Meta:
        ordering = ["program", "-year"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="cycle_name_unique_per_program")]
        verbose_name = _("cycle")

    def __str__(self) -> str:
        return f"{self.program} {self.name}"
