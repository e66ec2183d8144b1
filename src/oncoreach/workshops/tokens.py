"""Signed links in e-mails, so a volunteer or participant can answer without signing in.

An invitation link answers one sending of one invitation, once: it names the invitation, the
person and when the invitation was sent, and ``selectors.invitation_for_response_link`` accepts
it only while that invitation is still waiting for an answer. Accepting (or declining) ends the
link; changing an answer afterwards needs the signed-in dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing

if TYPE_CHECKING:
    from oncoreach.workshops.models import FacultyInvitation

SALT = "workshops.invitation-response"
MAX_AGE_SECONDS = 60 * 60 * 24 * 30  # an invitation is answered within a month, or from the dashboard


@dataclass(frozen=True)
class ResponseLink:
    """What an invitation link names: the invitation, its person, and the sending (epoch seconds)."""

    invitation_pk: int
    person_pk: int
    invited_at: int | None


def make_response_token(*, invitation: FacultyInvitation) -> str:
    sent = int(invitation.invited_at.timestamp()) if invitation.invited_at else None
    return signing.dumps({"i": invitation.pk, "p": invitation.person_id, "t": sent}, salt=SALT, compress=True)


def read_response_token(token: str) -> ResponseLink | None:
    """What the link names, or None for a forged, altered or expired token."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("p"), int):
        return None
    sent = data.get("t")
    return ResponseLink(
        invitation_pk=data["i"], person_pk=data["p"], invited_at=sent if isinstance(sent, int) else None
    )


SURVEY_SALT = "workshops.impact-survey"
SURVEY_MAX_AGE_SECONDS = 60 * 60 * 24 * 180  # the one-year survey link stays valid six months


def make_survey_token(*, registration_pk: int) -> str:
    """The one-year survey link: the participant answers without signing in."""
    return signing.dumps({"r": registration_pk}, salt=SURVEY_SALT, compress=True)


def read_survey_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    return int(data["r"])
