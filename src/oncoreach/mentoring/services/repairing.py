"""Staff end a mentorship early, with a reason, and may propose a new mentor for the mentee
through the engine: the pair's match ends (``ended``, the mentor leaves the round for new
partners) and the round's cascade proposes the next best mentor for the mentee left alone, never
moving accepted or pending pairs (``consent.queue_cascade`` → ``matching_adapter.compute_cascade``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.mentoring.enums import MatchStatus, MentorshipStatus, RoundStatus, Side
from oncoreach.mentoring.models import Match, Mentorship
from oncoreach.mentoring.services.consent import _language, queue_cascade, transition_matches, transition_mentorship


def _notify_ended(mentorship: Mentorship, *, reason: str, repair: bool) -> None:
    pairs = ((Side.MENTEE, mentorship.mentee, mentorship.mentor), (Side.MENTOR, mentorship.mentor, mentorship.mentee))
    for side, person, other in pairs:
        if not person.email:
            continue
        queue_email(
            event_key=f"mentoring:mentorship:{mentorship.pk}:ended:{side}",
            to=person.email,
            template="mentoring/email/ended",
            context={
                "person": person,
                "other": other,
                "side": side,
                "reason": reason,
                "repair": repair and side == Side.MENTEE,
                "url": absolute_reverse("mentoring:home", language=_language(person)),
            },
            language=_language(person),
        )


@transaction.atomic
def end_mentorship(*, mentorship: Mentorship, reason: str, repair: bool, actor: Any) -> Mentorship:
    """End a live mentorship early (audited, both sides told); with ``repair``, the engine
    proposes a new mentor to the mentee (the proposal e-mails go out as for any cascade)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give the reason the mentorship ends."), code="no_reason")})
    match = Match.objects.select_for_update(of=("self",)).select_related("round__cycle").get(pk=mentorship.match_id)
    if mentorship.status not in (MentorshipStatus.PENDING, MentorshipStatus.ACTIVE):
        raise ValidationError(
            _("This mentorship has already ended (%(status)s).") % {"status": mentorship.get_status_display()},
            code="ended",
        )
    if repair and match.round.status != RoundStatus.PUBLISHED:
        raise ValidationError(
            _("The round this pair came from is %(status)s: the engine can only propose within a published round.")
            % {"status": match.round.get_status_display()},
            code="round_closed",
        )
    mentorship = transition_mentorship(
        mentorship=mentorship, to=MentorshipStatus.ENDED_EARLY, actor=actor, reason=reason
    )
    # The mentor leaves the round for new partners; the mentee is left alone for the cascade.
    match.leaves_round, match.declined_by, match.decline_reason = True, Side.MENTOR, reason[:500]
    match.save(update_fields=["leaves_round", "declined_by", "decline_reason"])
    transition_matches(matches=[match], to=MatchStatus.ENDED, actor=actor, note=reason)
    record_audit(actor=actor, action="mentoring.mentorship.end", target=mentorship, reason=reason, repair=repair)
    mentorship = Mentorship.objects.select_related("mentee__user", "mentor__user").get(pk=mentorship.pk)
    _notify_ended(mentorship, reason=reason, repair=repair)
    if repair:
        queue_cascade(round_=match.round, actor=actor)
    return mentorship
