"""Choices and fixed vocabularies of cohort messages."""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The background run that queues a cohort message's mail (core.runs).
SEND_RUN = "messaging.send"


class MessageStatus(models.TextChoices):
    QUEUING = "queuing", _("Queuing")  # the worker is writing one outbox mail per recipient
    QUEUED = "queued", _("Queued")  # every mail is in the outbox; the outbox delivers them
    FAILED = "failed", _("Failed")


#: A cohort message's lifecycle (messaging.services.transition_message is its one choke point).
MESSAGE_TRANSITIONS: dict[str, frozenset[str]] = {
    MessageStatus.QUEUING: frozenset({MessageStatus.QUEUED, MessageStatus.FAILED}),
    MessageStatus.QUEUED: frozenset(),
    MessageStatus.FAILED: frozenset(),
}


class RecipientOutcome(models.TextChoices):
    QUEUED = "queued", _("Queued")
    UNSUBSCRIBED = "unsubscribed", _("Skipped: unsubscribed")
    NO_ADDRESS = "no_address", _("Skipped: no e-mail address")


class CohortRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    FACULTY = "faculty", _("Faculty")
    ATTENDEE = "attendee", _("Course participant")
    AUTHOR = "author", _("Story author")
    VOLUNTEER = "volunteer", _("Volunteer")
    MEMBER = "member", _("Member")


#: The placeholders a template may use, with what each becomes (shown on the template form).
PLACEHOLDERS: dict[str, Any] = {
    "first_name": _("the recipient's given name"),
    "family_name": _("the recipient's family name"),
    "full_name": _("the recipient's full name"),
    "country": _("the recipient's country of practice"),
    "program": _("the program the cohort was chosen by (empty when none)"),
    "cycle": _("the cycle the cohort was chosen by (empty when none)"),
    "society": _("the society's name"),
}
