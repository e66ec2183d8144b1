"""Mentors and mentees: the mentor's offer, the mentee's application with a browsable mentor list,
the dashboard of proposals and pairings, and the signed answer link."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.mentoring import selectors, selectors_term
from oncoreach.mentoring.enums import MatchStatus
from oncoreach.mentoring.forms import (
    AnswerForm,
    MentorFilterForm,
    OfferForm,
    RequestForm,
    add_service_errors,
    windows_text,
)
from oncoreach.mentoring.models import Match
from oncoreach.mentoring.services.consent import answer_proposal
from oncoreach.mentoring.services.offers import OfferData, save_offer, withdraw_offer
from oncoreach.mentoring.services.requests import RequestData, save_request, start_request, submit_request
from oncoreach.people.selectors import person_for_user


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = person_for_user(user=request.user)
    context = {
        "nav_section": "dashboard",
        "open_cycles": selectors.open_cycles(),
        "matches": selectors.my_matches(person),
        "mentorships": selectors.my_mentorships(person),
        "finished": selectors_term.finished_mentorships(person),
        "person": person,
    }
    return render(request, "mentoring/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentoring = selectors.get_cycle(pk)
    person = person_for_user(user=request.user)
    if person is None or not person.is_volunteer:
        raise Http404
    current = selectors.offer_of(mentoring, person)
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in (
                "capacity",
                "focus_areas",
                "languages",
                "years_in_oncology",
                "low_resource_experience",
                "time_zone",
                "about",
                "contact_note",
            )
        }
        initial["windows"] = windows_text(current.windows.all())
    else:
        initial = {"time_zone": person.time_zone, "languages": person.languages}
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_offer(mentoring=mentoring, person=person, data=OfferData(**form.cleaned_data), actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your offer to mentor is saved."))
            return redirect("mentoring:offer", pk=mentoring.pk)
    context = {"nav_section": "dashboard", "mentoring": mentoring, "form": form, "offer": current}
    return render(request, "mentoring/offer.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def offer_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mentoring = selectors.get_cycle(pk)
    current = selectors.offer_of(mentoring, person_for_user(user=request.user))
    if current is None:
        raise Http404
    try:
        withdraw_offer(offer=current, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect("mentoring:offer", pk=mentoring.pk)


@login_required
def mentors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The mentors of a cycle for a (would-be) mentee: expertise and languages, no contact details."""
    mentoring = selectors.get_cycle(pk)
    if person_for_user(user=request.user) is None:
        raise Http404
    filters = MentorFilterForm(request.GET or None)
    focus = language = ""
    if filters.is_valid():
        focus, language = filters.cleaned_data["focus"], filters.cleaned_data["language"]
    # Paged: a cycle's few hundred mentors on one page weighed over the 50 KB budget.
    cards = paginate(request, selectors.mentor_cards(mentoring, focus=focus, language=language), per_page=25)
    context = {
        "nav_section": "dashboard",
        "mentoring": mentoring,
        "filters": filters,
        "cards": cards,
        "page_query": query_without_page(request),
    }
    return render(request, "mentoring/mentors.html", context)


def _request_initial(mentee_request: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(mentee_request, name)
        for name in ("goal_type", "goals", "focus_areas", "languages", "time_zone", "contact_note")
    }
    initial["track"] = mentee_request.track_id
    initial["windows"] = windows_text(mentee_request.windows.all())
    for preference in mentee_request.preferences.all():
        initial[f"choice_{preference.rank}"] = preference.offer_id
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The mentee's application: start it, save it, submit it (a second button)."""
    mentoring = selectors.get_cycle(pk)
    person = person_for_user(user=request.user)
    if person is None:
        raise Http404
    mentee_request = selectors.request_of(mentoring, person)
    if mentee_request is None:
        if request.method != "POST":
            context = {"nav_section": "dashboard", "mentoring": mentoring}
            return render(request, "mentoring/apply_start.html", context)
        try:
            start_request(mentoring=mentoring, person=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("mentoring:home")
        return redirect("mentoring:apply", pk=mentoring.pk)
    choices = [(c.offer_id, f"{c.name} — {', '.join(c.focus_areas)}") for c in selectors.mentor_cards(mentoring)]
    data = request.POST if request.method == "POST" and "goal_type" in request.POST else None
    form = RequestForm(data, initial=_request_initial(mentee_request), mentoring=mentoring, mentor_choices=choices)
    if request.method == "POST":
        try:
            if data is not None:
                if not form.is_valid():
                    raise ValidationError(_("Please correct the errors below."))
                values = {k: v for k, v in form.cleaned_data.items() if not k.startswith("choice_")}
                save_request(request=mentee_request, data=RequestData(preferences=form.preferences, **values))
            if "submit" in request.POST:
                submit_request(request=mentee_request, actor=request.user)
                messages.success(request, _("Your application is submitted. We will write when the matching is done."))
                return redirect("mentoring:home")
        except ValidationError as exc:
            if not form.errors:
                add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect("mentoring:apply", pk=mentoring.pk)
    context = {
        "nav_section": "dashboard",
        "mentoring": mentoring,
        "form": form,
        "mentee_request": mentee_request,
        "is_draft": mentee_request.application.status == "draft",
    }
    return render(request, "mentoring/apply.html", context, status=400 if form.errors else 200)


def _answer(request: HttpRequest, match: Match, side: str, *, by_link: bool) -> HttpResponse | None:
    """POST accept/decline; None when the page should render again (errors in messages)."""
    form = AnswerForm(request.POST)
    action = request.POST.get("action")
    if action not in ("accept", "decline") or not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return None
    actor = request.user if request.user.is_authenticated else None
    try:
        match = answer_proposal(
            match=match, side=side, accept=action == "accept", actor=actor, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    if action == "accept" and match.status == MatchStatus.ACCEPTED:
        messages.success(request, _("Thank you: you have both accepted. You can now see each other's contact details."))
    elif action == "accept":
        messages.success(request, _("Thank you: you accepted. Contact details appear once both of you have accepted."))
    else:
        messages.success(request, _("Thank you for letting us know."))
    return redirect(request.path) if by_link else redirect("mentoring:match", pk=match.pk)


@login_required
@require_http_methods(["GET", "POST"])
def match_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = selectors.get_my_match(person_for_user(user=request.user), pk)
    if request.method == "POST":
        response = _answer(request, row.match, row.side, by_link=False)
        if response is not None:
            return response
    context = {"nav_section": "dashboard", "row": row, "form": AnswerForm(), "action_url": request.path}
    return render(request, "mentoring/match.html", context)


@require_http_methods(["GET", "POST"])
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a proposal e-mail: answers once without signing in, while the proposal waits.
    GET never answers (mail scanners open links)."""
    lookup = selectors.match_for_link(token)
    if lookup.match is None:
        return render(request, "mentoring/link_invalid.html", {"reason": "invalid"}, status=404)
    if not lookup.usable:
        status = 410 if request.method == "POST" else 200
        return render(request, "mentoring/link_invalid.html", {"reason": lookup.reason}, status=status)
    if request.method == "POST":
        response = _answer(request, lookup.match, lookup.side, by_link=True)
        if response is not None:
            return response
    other = lookup.match.offer.person if lookup.side == "mentee" else lookup.match.request.application.applicant
    context = {
        "side": lookup.side,
        "match": lookup.match,
        "other": other,
        "sentences": selectors.part_sentences(lookup.match.explanation),
        "form": AnswerForm(),
        "action_url": request.path,
    }
    response = render(request, "mentoring/answer_link.html", context)
    # The token must not leak through links to other sites; "no-referrer" would also make the
    # browser post the form with "Origin: null", which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
