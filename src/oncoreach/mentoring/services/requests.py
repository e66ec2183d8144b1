"""Mentees' requests: an application to the cycle's mentee call (calls' services) and what
mentoring needs beside it (MenteeRequest: goals, focus areas, languages, windows, preferences)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoreach.calls.enums import ApplicationStatus
from oncoreach.calls.services import save_draft, start_application, submit_application
from oncoreach.core.services import record_audit
from oncoreach.mentoring.enums import MAX_PREFERENCES, OfferStatus
from oncoreach.mentoring.models import MenteeRequest, MentoringCycle, MentorOffer, Preference, RequestWindow, Track
from oncoreach.mentoring.validators import validate_windows
from oncoreach.people.models import Person


@dataclass(frozen=True)
class RequestData:
    goal_type: str
    goals: str
    focus_areas: list[str]
    languages: list[str]
    time_zone: str
    windows: list[tuple[int, int, int]]
    preferences: list[int]  # offer ids, first choice first
    track: Track | None = None
    contact_note: str = ""


def _closed_message(mentoring: MentoringCycle) -> str:
    closes = mentoring.call.closes_at_local  # the call's first stage's close (calls' stages)
    return _("Applications for this cycle closed on %(date)s; you can apply in the next cycle.") % {
        "date": (formats.date_format(closes, "DATETIME_FORMAT") if closes is not None else "")
        + f" ({mentoring.call.time_zone})"
    }


@transaction.atomic
def start_request(*, mentoring: MentoringCycle, person: Person, now: dt.datetime | None = None) -> MenteeRequest:
    """The person's request for this cycle (their draft application), made once."""
    existing = MenteeRequest.objects.filter(cycle=mentoring, application__applicant=person).first()
    if existing is not None:
        return existing
    if not mentoring.call.is_open(now):
        raise ValidationError(_closed_message(mentoring), code="closed")
    if MentorOffer.objects.filter(cycle=mentoring, person=person, status=OfferStatus.ACTIVE).exists():
        raise ValidationError(_("You offered to mentor in this cycle; you cannot also be a mentee."), code="mentor")
    application = start_application(call=mentoring.call, person=person, now=now)
    return MenteeRequest.objects.create(application=application, cycle=mentoring)


def _check_preferences(request: MenteeRequest, offer_ids: list[int]) -> list[MentorOffer]:
    if len(offer_ids) != len(set(offer_ids)):
        raise ValidationError({"preferences": _("Name each mentor only once.")}, code="duplicate_preference")
    if len(offer_ids) > MAX_PREFERENCES:
        raise ValidationError(
            {"preferences": _("Choose at most %(n)s mentors.") % {"n": MAX_PREFERENCES}}, code="too_many_preferences"
        )
    offers = {
        o.pk: o for o in MentorOffer.objects.filter(pk__in=offer_ids, cycle=request.cycle).select_related("person")
    }
    for offer_id in offer_ids:
        offer = offers.get(offer_id)
        if offer is None or offer.person_id == request.application.applicant_id:
            raise ValidationError({"preferences": _("Choose mentors from this cycle's list.")}, code="unknown_mentor")
        if offer.status != OfferStatus.ACTIVE:
            raise ValidationError(
                {
                    "preferences": _("%(name)s is no longer mentoring in this cycle; choose another mentor.")
                    % {"name": offer.person.full_name}
                },
                code="mentor_withdrew",
            )
    return [offers[offer_id] for offer_id in offer_ids]


@transaction.atomic
def save_request(*, request: MenteeRequest, data: RequestData, now: dt.datetime | None = None) -> MenteeRequest:
    """Store the mentee's answers while the application is a draft and the window is open."""
    request = MenteeRequest.objects.select_for_update().select_related("application", "cycle__call").get(pk=request.pk)
    if request.application.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            _("This application was already submitted; it can no longer be changed."), code="not_draft"
        )
    if not request.cycle.call.is_open(now):
        raise ValidationError(_closed_message(request.cycle), code="closed")
    windows = validate_windows(data.windows)
    offers = _check_preferences(request, data.preferences)
    if data.track is not None and data.track.cycle_id != request.cycle_id:
        raise ValidationError({"track": _("Choose a track of this cycle.")}, code="track")
    request.goal_type, request.goals, request.track = data.goal_type, data.goals, data.track
    request.focus_areas, request.languages = data.focus_areas, data.languages
    request.time_zone, request.contact_note = data.time_zone, data.contact_note
    request.full_clean(exclude=["application", "cycle"])
    request.save()
    request.windows.all().delete()
    RequestWindow.objects.bulk_create(
        RequestWindow(request=request, weekday=d, start_minute=s, end_minute=e) for d, s, e in windows
    )
    request.preferences.all().delete()
    Preference.objects.bulk_create(
        Preference(request=request, offer=offer, rank=rank) for rank, offer in enumerate(offers, start=1)
    )
    save_draft(application=request.application, values={})
    return request


def missing_parts(request: MenteeRequest) -> list[str]:
    missing = []
    if not request.goal_type:
        missing.append(_("what the mentoring is for (clinical, research or both)"))
    if not request.focus_areas:
        missing.append(_("at least one focus area"))
    if not request.languages:
        missing.append(_("at least one language"))
    if not request.time_zone:
        missing.append(_("your time zone"))
    if not request.windows.exists():
        missing.append(_("at least one weekly time window"))
    return missing


@transaction.atomic
def submit_request(*, request: MenteeRequest, actor: Any, now: dt.datetime | None = None) -> MenteeRequest:
    """Submit through calls (deadline, completeness, eligibility as configured on the call)."""
    request = MenteeRequest.objects.select_related("application__call", "cycle__call").get(pk=request.pk)
    closes = request.cycle.call.window_closes_at
    if closes is not None and (now or timezone.now()) >= closes:
        raise ValidationError(_closed_message(request.cycle), code="closed")
    missing = missing_parts(request)
    if missing:
        raise ValidationError(_("Please give %(parts)s.") % {"parts": "; ".join(missing)}, code="incomplete")
    withdrawn = request.preferences.exclude(offer__status=OfferStatus.ACTIVE).select_related("offer__person").first()
    if withdrawn is not None:
        raise ValidationError(
            _("%(name)s is no longer mentoring in this cycle; choose another mentor.")
            % {"name": withdrawn.offer.person.full_name},
            code="mentor_withdrew",
        )
    submit_application(application=request.application, actor=actor, now=now)
    record_audit(actor=actor, action="mentoring.request.submit", target=request)
    return request
