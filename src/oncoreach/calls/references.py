"""Reference letters: the applicant names a referee, who uploads a PDF letter through a private
link (no account). ``services`` re-exports these names.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.calls.enums import MAX_REFERENCE_LETTER_BYTES, REFERENCE_GRACE_DAYS
from oncoreach.calls.lifecycle import recipient_language, require_draft
from oncoreach.calls.models import Application, ReferenceRequest
from oncoreach.calls.permissions import reference_letter_refusal
from oncoreach.calls.selectors import reference_token
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.programs.forms_engine import validate_pdf_upload


@transaction.atomic
def request_reference(
    *, application: Application, referee_name: str, referee_email: str, actor: Any
) -> ReferenceRequest:
    """Name a referee; they get a private link to upload their letter (no account needed)."""
    require_draft(application)
    email = referee_email.strip().lower()
    if application.reference_requests.filter(referee_email__iexact=email).exists():
        raise ValidationError({"referee_email": _("You already asked this referee.")}, code="duplicate")
    if email == (application.applicant.email or "").lower():
        raise ValidationError({"referee_email": _("You cannot be your own referee.")}, code="self")
    reference = ReferenceRequest(
        application=application,
        referee_name=referee_name.strip(),
        referee_email=email,
        nonce=secrets.token_urlsafe(24),
        expires_at=_reference_expiry(application),
    )
    reference.full_clean()
    reference.save()
    record_audit(actor=actor, action="calls.reference.request", target=application, referee=email)
    queue_email(
        event_key=f"calls:reference:{reference.pk}:requested",
        to=email,
        template="calls/email/reference_request",
        context={
            "reference": reference,
            "application": application,
            "call": application.call,
            "applicant": application.applicant,
            "url": absolute_reverse(
                "calls:reference-upload",
                kwargs={"token": reference_token(reference)},
                language=recipient_language(application.applicant),
            ),
        },
        language=recipient_language(application.applicant),
    )
    return reference


def _reference_expiry(application: Application) -> dt.datetime:
    closes = application.current_stage.closes_at or application.call.window_closes_at or timezone.now()
    return closes + dt.timedelta(days=REFERENCE_GRACE_DAYS)


def reference_refusal_message(code: str) -> str:
    """What a referee reads when their link cannot take a letter (see reference_letter_refusal)."""
    messages = {
        "received": _("We already have your letter. If it must change, please contact the program staff."),
        "closed": _("This application has moved on; no letter is needed any more."),
        "expired": _("This link has expired; please contact the program staff."),
    }
    return messages[code]


@transaction.atomic
def upload_reference_letter(
    *, reference: ReferenceRequest, letter: UploadedFile, now: dt.datetime | None = None
) -> ReferenceRequest:
    """Store the referee's PDF letter: once, while the application takes letters, before expiry.

    The request row is locked and judged again here, so two uploads through one link cannot
    both store a letter. Raises ValidationError (code ``received``, ``closed``, ``expired`` or
    the PDF check's) and changes nothing.
    """
    now = now or timezone.now()
    reference = (
        ReferenceRequest.objects.select_for_update(of=("self",)).select_related("application").get(pk=reference.pk)
    )
    refusal = reference_letter_refusal(reference, now=now)
    if refusal is not None:
        raise ValidationError(reference_refusal_message(refusal), code=refusal)
    validate_pdf_upload(letter, max_bytes=MAX_REFERENCE_LETTER_BYTES)
    reference.letter.save("letter.pdf", letter, save=False)
    reference.submitted_at = now
    reference.save(update_fields=["letter", "submitted_at"])
    record_audit(
        actor=None, action="calls.reference.upload", target=reference.application, referee=reference.referee_email
    )
    return reference
