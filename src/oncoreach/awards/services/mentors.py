"""Mentor pairs for awardees: staff confirm the pairs the engine proposed (``matching_adapter``);
each confirmed pair is recorded on the awardee's mentor benefit, audited, and e-mailed to both
through the outbox, each in their own language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.awards import selectors
from oncoreach.awards.models import Benefit, Track
from oncoreach.awards.services.benefits import grant_benefit
from oncoreach.awards.services.common import notify, recipient_language
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import record_audit


@transaction.atomic
def confirm_mentor_pairs(*, track: Track, pairs: Iterable[tuple[int, int]], actor: Any) -> list[Benefit]:
    """Record (benefit id, mentor person id) pairs: all or nothing. A pair is refused when the
    awardee is not waiting for a mentor in this track, the mentor is not in the track's pool, a
    hard rule blocks it (same person, no language in common, a conflict of interest), or the
    mentor would take more awardees than they can."""
    pairs = sorted(set(pairs))
    if not pairs:
        raise ValidationError(_("Choose at least one pair to confirm."), code="no_pairs")
    waiting = {b.pk: b for b in selectors.mentor_benefits_to_pair(track=track).select_for_update(of=("self",))}
    pool = {profile.person_id: profile.person for profile in selectors.mentor_pool(track=track)}
    if len({benefit_id for benefit_id, _mentor in pairs}) != len(pairs):
        raise ValidationError(_("An awardee can have only one mentor."), code="twice")
    for benefit_id, mentor_id in pairs:
        if benefit_id not in waiting:
            raise ValidationError(_("This awardee is not waiting for a mentor in this track."), code="not_waiting")
        if mentor_id not in pool:
            raise ValidationError(_("This mentor is not in the track's mentor pool."), code="not_in_pool")
    blocks = selectors.mentor_pair_blocks(benefits=list(waiting.values()), mentors=list(pool.values()))
    loads = selectors.mentor_loads(cycle=track.cycle)
    for benefit_id, mentor_id in pairs:
        if (benefit_id, mentor_id) in blocks:
            raise ValidationError(
                _("%(awardee)s and %(mentor)s cannot be paired (a conflict of interest or no language in common).")
                % {"awardee": waiting[benefit_id].award.person.full_name, "mentor": pool[mentor_id].full_name},
                code="blocked",
            )
        loads[mentor_id] = loads.get(mentor_id, 0) + 1
        if loads[mentor_id] > selectors.MENTEES_PER_MENTOR:
            raise ValidationError(
                _("%(mentor)s would mentor more than %(n)s awardees this cycle.")
                % {"mentor": pool[mentor_id].full_name, "n": selectors.MENTEES_PER_MENTOR},
                code="capacity",
            )
    confirmed = []
    for benefit_id, mentor_id in pairs:
        benefit = grant_benefit(benefit=waiting[benefit_id], mentor=pool[mentor_id], actor=actor)
        awardee, mentor = waiting[benefit_id].award.person, pool[mentor_id]
        record_audit(actor=actor, action="awards.mentor_paired", target=benefit, mentor=mentor_id, track=track.pk)
        context = {"awardee": awardee, "mentor": mentor, "track": track, "program": track.cycle.program}
        notify(
            person=awardee,
            event_key=f"awards.benefit.{benefit.pk}.mentor_paired.{mentor_id}",
            template="awards/email/mentor_paired_awardee",
            context={**context, "url": absolute_reverse("awards:my-awards", language=recipient_language(awardee))},
        )
        notify(
            person=mentor,
            event_key=f"awards.benefit.{benefit.pk}.mentor_paired.{mentor_id}",
            template="awards/email/mentor_paired_mentor",
            context={**context, "url": absolute_reverse("volunteers:dashboard", language=recipient_language(mentor))},
        )
        confirmed.append(benefit)
    return confirmed
