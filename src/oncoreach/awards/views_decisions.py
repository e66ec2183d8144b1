"""Decisions: the staff table (accept, reject or wait-list shortlisted applications, preview each
e-mail, then send), and the awardee's answer to an offer (dashboard page or signed link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.awards import permissions, selectors, services
from oncoreach.awards.enums import DecisionOutcome
from oncoreach.awards.forms import DecisionTermsForm, OfferAnswerForm, parse_outcomes
from oncoreach.awards.models import Offer
from oncoreach.awards.tokens import read_offer_token


@login_required
@require_http_methods(["GET", "POST"])
def decisions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """GET: the table. POST ``preview``: every e-mail as its recipient will read it. POST
    ``send``: decide and queue the e-mails (all or nothing)."""
    call = selectors.get_call_for_decisions(user=request.user, slug=slug)
    candidates = list(selectors.decision_candidates(call=call))
    terms_form = DecisionTermsForm(
        request.POST or None,
        initial={"respond_by": services.default_terms().respond_by},
        zone=request.user.time_zone or "UTC",  # the zone the page shows times in (ReaderTimezoneMiddleware)
    )
    outcomes = parse_outcomes(request.POST, [a.pk for a in candidates]) if request.method == "POST" else {}
    previews = []
    if request.method == "POST" and terms_form.is_valid():
        terms = services.OfferTerms(**terms_form.cleaned_data)
        if not outcomes:
            messages.error(request, _("Select at least one application."))
        elif "send" in request.POST:
            try:
                services.apply_decisions(call=call, outcomes=outcomes, terms=terms, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The decisions are recorded and the e-mails are on their way."))
                return redirect("awards:decisions", slug=call.slug)
        else:
            previews = services.preview_decisions(call=call, outcomes=outcomes, terms=terms)
    context = {
        "call": call,
        "candidates": candidates,
        "outcomes": outcomes,
        "outcome_choices": DecisionOutcome.choices,
        "terms_form": terms_form,
        "previews": previews,
    }
    return render(request, "awards/decisions.html", context)


def _answer(request: HttpRequest, offer: Offer, *, offered_at: int | None, template: str) -> HttpResponse:
    form = OfferAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.respond_to_offer(
                offer=offer,
                accept=accept,
                listed=form.cleaned_data["listed"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                offered_at=offered_at,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "awards/offer_answered.html", {"offer": offer, "accepted": accept})
    context = {"offer": offer, "form": form, "can_answer": permissions.can_answer_offer(offer)}
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    offer = selectors.get_own_offer(user=request.user, pk=pk)
    return _answer(request, offer, offered_at=None, template="awards/offer.html")


@require_http_methods(["GET", "POST"])
@cache_control(private=True, no_store=True)
def offer_token(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: no sign-in; refused when forged, used, stale or past the deadline."""
    link = read_offer_token(token)
    offer = selectors.offer_for_link(pk=link.offer_pk if link else None)
    if link is None or offer is None:
        return render(request, "awards/offer_link_invalid.html", status=404)
    return _answer(request, offer, offered_at=link.offered_at, template="awards/offer.html")


@login_required
def my_offers(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "awards/my_offers.html", {"offers": list(selectors.own_offers(user=request.user))})
