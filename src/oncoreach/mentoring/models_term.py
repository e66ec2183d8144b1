"""End of term: each side's evaluation of a completed mentorship (docs/mentoring.md).

Kept apart from ``models.py`` (which imports it, so Django registers the model with the app);
it names the mentorship by string, never importing ``models``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oncoreach.mentoring.enums import GoalsMet, Side


class Evaluation(models.Model):
    """One side's evaluation of a completed mentorship: the answers live in a programs
    ``ResponseSet`` of the evaluation form (stable question keys); the two answers the impact
    figures read are copied here. Editable until ``due_by``, then frozen (``frozen_at``)."""

    mentorship = models.ForeignKey(
        "mentoring.Mentorship", verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="evaluations"
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mentoring_evaluations"
    )
    response_set = models.OneToOneField(
        "programs.ResponseSet", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_by = models.DateTimeField(_("editable until"))
    usefulness = models.PositiveSmallIntegerField(_("usefulness (1–5)"), null=True, blank=True)
    goals_met = models.CharField(_("goals met"), max_length=8, choices=GoalsMet.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentorship", "side"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "side"], name="mentoring_one_evaluation_per_side"),
            models.CheckConstraint(
                condition=Q(usefulness__isnull=True) | Q(usefulness__gte=1, usefulness__lte=5),
                name="mentoring_evaluation_usefulness_1_5",
            ),
        ]
        indexes = [models.Index(fields=["frozen_at", "due_by"])]
        verbose_name = _("mentorship evaluation")
        verbose_name_plural = _("mentorship evaluations")

    def __str__(self) -> str:
        return f"{self.mentorship_id} ({self.side})"
