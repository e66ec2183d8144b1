"""Cohort messages: templates with placeholders, messages sent to a chosen cohort, who got them,
and who asked for no more of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.messaging.enums import MessageStatus, RecipientOutcome


class MessageTemplate(models.Model):
    """A subject and body per language (``{"en": …, "es": …}``); English is required and is what
    a recipient gets when their language has no text."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    subjects = models.JSONField(_("subjects"), default=dict)
    bodies = models.JSONField(_("bodies"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self) -> str:
        return self.name


class CohortMessage(models.Model):
    """One message to one cohort. The texts are copied from the template when it is sent, so a
    later edit of the template never changes what a cohort was sent."""

    template = models.ForeignKey(
        MessageTemplate, verbose_name=_("template"), null=True, on_delete=models.SET_NULL, related_name="messages"
    )
    subjects = models.JSONField(default=dict)
    bodies = models.JSONField(default=dict)
    # The cohort as chosen (ids and codes) and in words, for the staff pages.
    criteria = models.JSONField(default=dict)
    criteria_text = models.CharField(_("cohort"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUING)
    # The compose form's one-time token: a second submit of the same form finds this message.
    submission_token = models.UUIDField(unique=True, editable=False)
    run = models.ForeignKey("core.BackgroundRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cohort message")
        verbose_name_plural = _("cohort messages")

    def __str__(self) -> str:
        return self.subjects.get("en", "") or f"#{self.pk}"


class CohortRecipient(models.Model):
    """One person of a message's cohort: queued (with their outbox mail) or skipped, and why."""

    message = models.ForeignKey(CohortMessage, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=201)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=10)
    outcome = models.CharField(max_length=12, choices=RecipientOutcome.choices)
    outbox = models.ForeignKey("core.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["message", "person"], name="cohort_recipient_once")]
        indexes = [models.Index(fields=["message", "outcome"], name="cohort_recipient_outcome_idx")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Unsubscription(models.Model):
    """A person who asked for no more cohort messages (transactional mail still reaches them)."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The message whose link was used, when it was a link (empty from the account page).
    via_message = models.ForeignKey(CohortMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")

    def __str__(self) -> str:
        return str(self.person_id)
