"""Awardees' benefits: the awardee's own page (Annual Meeting trip with its visa letter, mentor),
the staff page that arranges a cycle's Annual Meeting travel, and the staff page that pairs a
track's awardees with mentors, with the engine's proposal in words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.awards import selectors, services
from oncoreach.awards.forms import MeetingForm, parse_pairs
from oncoreach.awards.matching_adapter import propose_mentors


@login_required
def my_awards(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "awards/my_awards.html", {"awards": list(selectors.own_awards(user=request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_travel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: the cycle's awardees with Annual Meeting travel and their trips; POST makes the trips."""
    cycle = selectors.get_cycle_for_staff(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trips = services.arrange_meeting_travel(
                cycle=cycle, meeting=services.Meeting(**form.cleaned_data), actor=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, ngettext("%(n)s trip arranged.", "%(n)s trips arranged.", len(trips)) % {"n": len(trips)}
            )
            return redirect("awards:cycle-travel", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "form": form,
        "benefits": list(selectors.meeting_travel_benefits(cycle=cycle)),
        "tracks": list(selectors.tracks_for_cycle(cycle=cycle)),
    }
    return render(request, "awards/cycle_travel.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def track_mentors(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: the engine's mentor proposal for the track. POST ``propose`` re-solves with the
    pairs pinned and excluded; POST ``confirm`` records the chosen pairs (all or nothing)."""
    track = selectors.get_track_for_staff(user=request.user, pk=pk)
    pinned = parse_pairs(request.POST.getlist("pin"))
    excluded = parse_pairs(request.POST.getlist("exclude"))
    if request.method == "POST" and "confirm" in request.POST:
        try:
            confirmed = services.confirm_mentor_pairs(
                track=track, pairs=parse_pairs(request.POST.getlist("confirm_pair")), actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext("%(n)s pair confirmed.", "%(n)s pairs confirmed.", len(confirmed)) % {"n": len(confirmed)},
            )
            return redirect("awards:track-mentors", pk=track.pk)
    context = {
        "track": track,
        "proposal": propose_mentors(track=track, pinned=pinned, excluded=excluded),
        "pinned": {f"{b}:{p}" for b, p in pinned},
        "excluded": sorted(f"{b}:{p}" for b, p in excluded),
        "confirmed": list(selectors.mentor_pairs_confirmed(track=track)),
    }
    return render(request, "awards/track_mentors.html", context)
