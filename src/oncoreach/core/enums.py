from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")  # claimed by a sender until its lease (next_attempt_at) ends
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")  # gave up after the last retry
