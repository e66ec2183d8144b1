"""The worker's run that queues a cohort message's mail (registered in apps.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oncoreach.core.models import BackgroundRun
from oncoreach.messaging.models import CohortMessage
from oncoreach.messaging.services import fail_message, queue_message_mail


def run_send_message(*, run: BackgroundRun) -> Mapping[str, Any]:
    message = CohortMessage.objects.filter(pk=run.params.get("message_id")).select_related("sent_by").first()
    if message is None:
        raise ValidationError(_("This message no longer exists."))
    try:
        return queue_message_mail(message=message, run=run)
    except Exception as exc:
        fail_message(message=message, reason=f"{type(exc).__name__}: {exc}")
        raise
