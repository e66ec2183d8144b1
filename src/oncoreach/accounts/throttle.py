"""Limits on e-mails anyone can ask us to send (password reset, sign-up confirmation): per
address and per client, counted the same way whether or not the address has an account."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from oncoreach.accounts.models import normalize_email_address
from oncoreach.core.ratelimit import within_limits

TOO_MANY_EMAILS = _(
    "We have sent several e-mails for this address or from your connection recently. "
    "Please wait up to an hour, then try again."
)


def email_link_allowed(request: HttpRequest, *, scope: str, address: str) -> bool:
    """Count one request for an e-mailed link; False once the address or the client (its IP, as
    the login throttle sees it) asked too often in ``EMAIL_LINK_LIMIT_WINDOW_SECONDS``."""
    client = get_client_ip_address(request) or "unknown"
    return within_limits(
        scope=scope,
        counted={
            "address": (normalize_email_address(address), settings.EMAIL_LINK_LIMIT_PER_ADDRESS),
            "client": (client, settings.EMAIL_LINK_LIMIT_PER_CLIENT),
        },
        window_seconds=settings.EMAIL_LINK_LIMIT_WINDOW_SECONDS,
    )
