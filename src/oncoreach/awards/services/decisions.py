"""Decisions on shortlisted applications: offers (with conditions and a deadline), the wait list,
the awardee's answer, expiry and promotion from the wait list.

``transition_offer`` is the one way an Offer changes status (OFFER_TRANSITIONS); the application
moves only through ``calls.services.transition_application`` in the same transaction. Staff
preview every e-mail (``preview_decisions``) before ``apply_decisions`` queues them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.awards import selectors
from oncoreach.awards.enums import DEFAULT_OFFER_DAYS, OFFER_TRANSITIONS, DecisionOutcome, OfferStatus
from oncoreach.awards.models import ApplicationTrack, Award, Offer, Track
from oncoreach.awards.permissions import in_interviews
from oncoreach.awards.services.common import local_time_text, notify, recipient_address, recipient_language
from oncoreach.awards.tokens import make_offer_token
from oncoreach.calls.models import Application, Call
from oncoreach.calls.services import TransitionNotAllowed, transition_application
from oncoreach.calls.services_review import set_rubric_variant
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import record_audit
from oncoreach.programs.selectors import answer_by_key

TEMPLATES: dict[str, str] = {
    DecisionOutcome.ACCEPT: "awards/email/offer",
    DecisionOutcome.REJECT: "awards/email/not_selected",
    DecisionOutcome.WAITLIST: "awards/email/wait_list",
}


@dataclass(frozen=True)
class OfferTerms:
    """What staff set once for every offer of a batch."""

    respond_by: dt.datetime
    amount: Decimal = Decimal("0")
    currency: str = "USD"
    conditions: str = ""


@dataclass(frozen=True)
class PreviewMail:
    application: Application
    outcome: str
    to: str
    language: str
    subject: str
    body: str


def default_terms(*, now: dt.datetime | None = None) -> OfferTerms:
    return OfferTerms(respond_by=(now or timezone.now()) + dt.timedelta(days=DEFAULT_OFFER_DAYS))


@transaction.atomic
def set_application_track(*, application: Application, track: Track, actor: Any) -> ApplicationTrack:
    """Put the application in a track; it is then scored under the track's rubric variant (the
    track's code: criteria staff gave that variant count for it). Refused, like the variant, once
    reviewing of it has started where the variant changes its criteria."""
    if track.cycle_id != application.call.cycle_id:
        raise ValidationError(_("This track belongs to another cycle."), code="other_cycle")
    set_rubric_variant(application=application, variant=track.code, actor=actor)
    row, _created = ApplicationTrack.objects.update_or_create(application=application, defaults={"track": track})
    record_audit(actor=actor, action="awards.track_set", target=application, track=track.code)
    return row


def _offer_context(
    *, application: Application, offer: Offer | None, terms: OfferTerms, language: str
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "person": application.applicant,
        "conditions": terms.conditions,
        "amount": terms.amount,
        "currency": terms.currency,
        "respond_by": terms.respond_by,
        "deadline": local_time_text(terms.respond_by, person=application.applicant, language=language),
        "application_url": absolute_reverse(
            "calls:application-detail", kwargs={"pk": application.pk}, language=language
        ),
    }
    if offer is not None and offer.offered_at is not None:
        token = make_offer_token(offer_pk=offer.pk, offered_at=int(offer.offered_at.timestamp()))
        context["respond_url"] = absolute_reverse("awards:offer-token", kwargs={"token": token}, language=language)
        context["dashboard_url"] = absolute_reverse("awards:offer", kwargs={"pk": offer.pk}, language=language)
    else:
        # A preview: the personal answer link is made when the offer is sent; say so rather than
        # show another link in its place.
        context["dashboard_url"] = absolute_reverse("awards:my-offers", language=language)
        with translation.override(language):
            context["respond_url"] = _("[the personal answer link, made when the e-mail is sent]")
    return context


def preview_decisions(*, call: Call, outcomes: Mapping[int, str], terms: OfferTerms) -> list[PreviewMail]:
    """Each e-mail as its recipient will read it, in their language; nothing is written."""
    previews = []
    applications = Application.objects.filter(call=call, pk__in=list(outcomes)).select_related(
        "applicant__user", "call"
    )
    for application in applications.order_by("applicant__family_name", "id"):
        outcome = outcomes[application.pk]
        language = recipient_language(application.applicant)
        context = _offer_context(application=application, offer=None, terms=terms, language=language)
        with translation.override(language):
            subject = " ".join(render_to_string(f"{TEMPLATES[outcome]}_subject.txt", context).split())
            body = render_to_string(f"{TEMPLATES[outcome]}_body.txt", context)
        previews.append(
            PreviewMail(
                application=application,
                outcome=outcome,
                to=recipient_address(application.applicant),
                language=language,
                subject=subject,
                body=body,
            )
        )
    return previews


def transition_offer(*, offer: Offer, to: str, actor: Any, reason: str = "", now: dt.datetime | None = None) -> Offer:
    """The one way an offer changes status; audited."""
    current = Offer.objects.select_for_update().values_list("status", flat=True).get(pk=offer.pk)
    if to not in OFFER_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            _("An offer cannot go from “%(old)s” to “%(new)s”.")
            % {"old": OfferStatus(current).label, "new": OfferStatus(to).label},
            code="offer_transition",
        )
    now = now or timezone.now()
    offer.status = to
    if to == OfferStatus.OFFERED:
        offer.offered_at = now
    if to in (OfferStatus.ACCEPTED, OfferStatus.DECLINED):
        offer.responded_at = now
        offer.decline_reason = reason.strip()[:2000]
    offer.save()
    record_audit(actor=actor, action="awards.offer_transition", target=offer, old=current, new=to, reason=reason)
    return offer


def _move(application: Application, to: str, actor: Any, note: str = "") -> None:
    try:
        transition_application(application=application, to=to, actor=actor, note=note, notify=False)
    except TransitionNotAllowed as exc:
        raise ValidationError(
            _("%(person)s's application is “%(status)s” and cannot be decided now.")
            % {"person": application.applicant, "status": application.get_status_display()},
            code="not_decidable",
        ) from exc


def _make_offer(*, application: Application, terms: OfferTerms, actor: Any, offer: Offer | None = None) -> Offer:
    if application.status != "shortlisted":
        _move(application, "shortlisted", actor)
    _move(application, "accepted", actor, note=terms.conditions)
    if offer is None:
        offer = Offer.objects.create(application=application, status=OfferStatus.WAITLISTED, wait_rank=0)
    offer.conditions, offer.amount, offer.currency = terms.conditions, terms.amount, terms.currency
    offer.respond_by = terms.respond_by
    offer.wait_rank = None
    transition_offer(offer=offer, to=OfferStatus.OFFERED, actor=actor)
    _notify_outcome(application, offer, DecisionOutcome.ACCEPT, terms)
    return offer


def _notify_outcome(application: Application, offer: Offer | None, outcome: str, terms: OfferTerms) -> None:
    language = recipient_language(application.applicant)
    notify(
        person=application.applicant,
        event_key=f"awards.decision.{application.pk}.{outcome}.{offer.offered_at.timestamp() if offer and offer.offered_at else 0}",
        template=TEMPLATES[outcome],
        context=_offer_context(application=application, offer=offer, terms=terms, language=language),
    )


@transaction.atomic
def apply_decisions(*, call: Call, outcomes: Mapping[int, str], terms: OfferTerms, actor: Any) -> list[Application]:
    """Decide every selected application at once: all are decided or, on any refusal, none is."""
    if not outcomes:
        raise ValidationError(_("Select at least one application."), code="none_selected")
    if terms.respond_by <= timezone.now():
        raise ValidationError(_("The answer deadline must be in the future."), code="deadline_past")
    applications = list(
        Application.objects.filter(call=call, pk__in=list(outcomes)).select_related("applicant__user", "call")
    )
    if len(applications) != len(outcomes):
        raise ValidationError(_("Some selected applications are not in this call."), code="other_call")
    rank = Offer.objects.filter(application__call=call).aggregate(top=Max("wait_rank"))["top"] or 0
    for application in sorted(applications, key=lambda a: list(outcomes).index(a.pk)):
        outcome = outcomes[application.pk]
        if outcome == DecisionOutcome.ACCEPT:
            _make_offer(application=application, terms=terms, actor=actor)
        elif outcome == DecisionOutcome.REJECT:
            _move(application, "rejected", actor)
            _notify_outcome(application, None, outcome, terms)
        elif outcome == DecisionOutcome.WAITLIST:
            if not in_interviews(application) or Offer.objects.filter(application=application).exists():
                raise ValidationError(
                    _("%(person)s cannot be put on the wait list from “%(status)s”.")
                    % {"person": application.applicant, "status": application.get_status_display()},
                    code="not_waitlistable",
                )
            rank += 1
            offer = Offer.objects.create(application=application, status=OfferStatus.WAITLISTED, wait_rank=rank)
            record_audit(actor=actor, action="awards.wait_listed", target=offer, rank=rank)
            _notify_outcome(application, None, outcome, terms)
        else:
            raise ValidationError(_("Unknown decision."), code="bad_outcome")
    return applications


def _project_title(application: Application) -> str:
    response_set = application.response_set
    value = answer_by_key(response_set, "project_title") if response_set is not None else None
    return str(value)[:300] if isinstance(value, str) else ""


def _create_award(*, offer: Offer, listed: bool) -> Award:
    application = offer.application
    person = application.applicant
    affiliation = person.affiliations.select_related("organization").order_by("-is_primary", "id").first()
    track = ApplicationTrack.objects.filter(application=application).select_related("track").first()
    return Award.objects.create(
        person=person,
        program=application.call.cycle.program,
        cycle=application.call.cycle,
        application=application,
        track=track.track if track else None,
        year=application.call.cycle.year,
        project_title=_project_title(application),
        amount=offer.amount,
        currency=offer.currency,
        institution=affiliation.organization if affiliation else None,
        country=person.country_of_practice,
        listed=listed,
    )


@transaction.atomic
def respond_to_offer(
    *,
    offer: Offer,
    accept: bool,
    actor: Any,
    listed: bool = False,
    reason: str = "",
    offered_at: int | None = None,
    now: dt.datetime | None = None,
) -> Offer:
    """The awardee's answer, from the dashboard or the signed link (``offered_at`` names the
    sending the link was made for). A used link, a stale link or a late answer: each refused."""
    now = now or timezone.now()
    offer = Offer.objects.select_for_update().select_related("application__call__cycle__program").get(pk=offer.pk)
    if offer.status != OfferStatus.OFFERED or offer.application.status != "accepted":
        # Answered here, or the application left "accepted" another way (declined on the calls page).
        raise ValidationError(_("This offer was already answered or has closed."), code="link_used")
    if offered_at is not None and (offer.offered_at is None or int(offer.offered_at.timestamp()) != offered_at):
        raise ValidationError(_("This link is out of date; use the newest e-mail or your dashboard."), code="stale")
    if offer.respond_by is not None and now > offer.respond_by:
        raise ValidationError(
            _("The deadline to answer this offer has passed. Please contact the program staff."), code="too_late"
        )
    if accept:
        transition_offer(offer=offer, to=OfferStatus.ACCEPTED, actor=actor, now=now)
        award = _create_award(offer=offer, listed=listed)
        record_audit(actor=actor, action="awards.award_created", target=award)
        from oncoreach.awards.services.benefits import add_default_benefits

        add_default_benefits(award=award, actor=actor)
        return offer
    transition_offer(offer=offer, to=OfferStatus.DECLINED, actor=actor, reason=reason, now=now)
    transition_application(application=offer.application, to="declined", actor=actor, note=reason, notify=False)
    promote_from_wait_list(call=offer.application.call, actor=None, now=now)
    return offer


@transaction.atomic
def promote_from_wait_list(*, call: Call, actor: Any, now: dt.datetime | None = None) -> Offer | None:
    """Offer the award to the first application on the wait list (by rank), if any."""
    now = now or timezone.now()
    offer = selectors.next_on_wait_list(call=call)
    if offer is None:
        return None
    application = Application.objects.select_related("applicant__user", "call").get(pk=offer.application_id)
    previous = Offer.objects.filter(application__call=call, status__in=[OfferStatus.DECLINED, OfferStatus.EXPIRED])
    model = previous.exclude(respond_by=None).order_by("-id").first() or offer
    terms = OfferTerms(
        respond_by=now + dt.timedelta(days=DEFAULT_OFFER_DAYS),
        amount=model.amount,
        currency=model.currency,
        conditions=model.conditions,
    )
    offer = _make_offer(application=application, terms=terms, actor=actor, offer=offer)
    record_audit(actor=actor, action="awards.wait_list_promoted", target=offer)
    return offer


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Offers not answered by their deadline expire; each frees its place for the wait list."""
    now = now or timezone.now()
    expired = 0
    for offer in selectors.offers_past_deadline(now=now):
        with transaction.atomic():
            locked = Offer.objects.select_for_update().get(pk=offer.pk)
            if locked.status != OfferStatus.OFFERED:
                continue
            transition_offer(offer=locked, to=OfferStatus.EXPIRED, actor=None, now=now)
            if offer.application.status == "accepted":
                transition_application(
                    application=offer.application, to="declined", actor=None, note="offer expired", notify=False
                )
            promote_from_wait_list(call=offer.application.call, actor=None, now=now)
            expired += 1
    return expired
