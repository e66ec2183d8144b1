"""Mentors' offers: a volunteer offers to mentor in a cycle, edits the offer, withdraws it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.mentoring.enums import MatchStatus, OfferStatus
from oncoreach.mentoring.models import MentoringCycle, MentorOffer, OfferWindow
from oncoreach.mentoring.validators import validate_windows
from oncoreach.people.models import Person


@dataclass(frozen=True)
class OfferData:
    capacity: int
    focus_areas: list[str]
    languages: list[str]
    years_in_oncology: int
    time_zone: str
    windows: list[tuple[int, int, int]]
    low_resource_experience: bool = False
    about: str = ""
    contact_note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _check(mentoring: MentoringCycle, person: Person, data: OfferData) -> list[tuple[int, int, int]]:
    if not person.is_volunteer:
        raise ValidationError(
            _("Only volunteers can offer to mentor; join as a volunteer first."), code="not_volunteer"
        )
    if data.years_in_oncology < mentoring.mentor_min_years:
        raise ValidationError(
            {
                "years_in_oncology": _("Mentors in this cycle have at least %(years)s years in oncology.")
                % {"years": mentoring.mentor_min_years}
            },
            code="too_junior",
        )
    if not data.windows:
        raise ValidationError({"windows": _("Give at least one weekly time window.")}, code="no_windows")
    return validate_windows(data.windows)


@transaction.atomic
def save_offer(*, mentoring: MentoringCycle, person: Person, data: OfferData, actor: Any) -> MentorOffer:
    """Create or change the person's offer for this cycle (while it is offered)."""
    windows = _check(mentoring, person, data)
    offer = MentorOffer.objects.select_for_update().filter(cycle=mentoring, person=person).first()
    created = offer is None
    if offer is None:
        offer = MentorOffer(cycle=mentoring, person=person)
    elif offer.status != OfferStatus.ACTIVE:
        raise ValidationError(_("You withdrew this offer; it can no longer be changed."), code="withdrawn")
    taken = offer.matches.filter(status=MatchStatus.ACCEPTED).count() if not created else 0
    if data.capacity < taken:
        raise ValidationError(
            {"capacity": _("You have already accepted %(n)s mentees; capacity cannot be lower.") % {"n": taken}},
            code="capacity_below_accepted",
        )
    for name in ("capacity", "focus_areas", "languages", "years_in_oncology", "time_zone", "about", "contact_note"):
        setattr(offer, name, getattr(data, name))
    offer.low_resource_experience = data.low_resource_experience
    offer.full_clean(exclude=["cycle", "person"])
    offer.save()
    offer.windows.all().delete()
    OfferWindow.objects.bulk_create(
        OfferWindow(offer=offer, weekday=d, start_minute=s, end_minute=e) for d, s, e in windows
    )
    record_audit(actor=actor, action="mentoring.offer.create" if created else "mentoring.offer.update", target=offer)
    return offer


@transaction.atomic
def withdraw_offer(*, offer: MentorOffer, actor: Any) -> MentorOffer:
    """Withdraw before proposals went out: a published proposal is answered (declined) instead."""
    offer = MentorOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.ACTIVE:
        raise ValidationError(_("This offer was already withdrawn."), code="withdrawn")
    if offer.matches.filter(status__in=(MatchStatus.APPROVED, MatchStatus.ACCEPTED)).exists():
        raise ValidationError(
            _("Proposals have already been sent to you; decline them from your dashboard instead."),
            code="published",
        )
    offer.status = OfferStatus.WITHDRAWN
    offer.withdrawn_at = timezone.now()
    offer.save(update_fields=["status", "withdrawn_at", "updated_at"])
    record_audit(actor=actor, action="mentoring.offer.withdraw", target=offer)
    return offer


def window_tuples(windows: Iterable[Any]) -> list[tuple[int, int, int]]:
    return [w.as_tuple for w in windows]
