"""The mentorship year: the mentee's plan with milestones and the mentor's comments, the
meetings log and the monthly check-ins (docs/mentoring.md).

Kept apart from ``models.py`` (which imports it, so Django registers the models with the app);
it names the mentorship by string, never importing ``models``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oncoreach.mentoring.enums import CheckInAnswer, CheckInState, Side


class MentoringPlan(models.Model):
    """The mentee's plan for the year: goals and dated milestones (``PlanMilestone``); the mentor
    comments (``PlanComment``). Only the pair and staff see it."""

    mentorship = models.OneToOneField("mentoring.Mentorship", on_delete=models.CASCADE, related_name="plan")
    goals = models.TextField(_("goals"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring plan")
        verbose_name_plural = _("mentoring plans")

    def __str__(self) -> str:
        return f"plan of {self.mentorship_id}"


class PlanMilestone(models.Model):
    plan = models.ForeignKey(MentoringPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("date"))

    class Meta:
        ordering = ["plan", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.due_on}: {self.title}"


class PlanComment(models.Model):
    """A comment on the plan, kept with its author and time."""

    plan = models.ForeignKey(MentoringPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("people.Person", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "created_at", "id"]
        verbose_name = _("plan comment")
        verbose_name_plural = _("plan comments")

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.plan_id}"


class MeetingLog(models.Model):
    """A meeting the pair held (either side logs it)."""

    mentorship = models.ForeignKey("mentoring.Mentorship", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.ForeignKey(
        "people.Person", verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentorship", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1) & Q(minutes__lte=1440), name="mentoring_meeting_minutes")
        ]
        indexes = [models.Index(fields=["mentorship", "held_on"])]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.held_on} ({self.minutes} min): {self.topic}"


class CheckIn(models.Model):
    """One side's monthly check-in on one mentorship: sent by e-mail with a signed link per
    answer (``tokens.make_checkin_token``). ``answer`` stays empty until answered (and while
    ``state`` is unconfirmed); ``state`` says how sure we are the answer is the person's, and only
    settled answers count for the at-risk list (``selectors_year.at_risk``)."""

    mentorship = models.ForeignKey("mentoring.Mentorship", on_delete=models.CASCADE, related_name="checkins")
    side = models.CharField(max_length=10, choices=Side.choices)
    month = models.DateField()  # the first day of the month it asks about
    sent_at = models.DateTimeField()
    answer = models.CharField(_("answer"), max_length=20, choices=CheckInAnswer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=CheckInState.choices, default=CheckInState.UNANSWERED)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["mentorship", "-month", "side"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "side", "month"], name="mentoring_checkin_once_a_month")
        ]
        indexes = [models.Index(fields=["mentorship", "answered_at"])]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.mentorship_id} {self.side} {self.month:%Y-%m}: {self.answer or '-'}"
