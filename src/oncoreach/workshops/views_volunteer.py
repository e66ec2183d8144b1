"""The volunteer's side: answer an invitation (dashboard or signed e-mail link), see travel (the
visa letter is served through the trip by ``travel.views``), raise a hand for an open slot. A
volunteer only ever reaches their own invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.travel.permissions import can_have_visa_letter
from oncoreach.workshops import selectors, services
from oncoreach.workshops.enums import InvitationStatus
from oncoreach.workshops.forms import DeclineForm, ItineraryForm, TravelForm
from oncoreach.workshops.models import FacultyInvitation
from oncoreach.workshops.permissions import can_edit_itinerary, can_manage_courses


def _respond(
    request: HttpRequest, invitation: FacultyInvitation, action_url: str, *, by_link: bool = False
) -> HttpResponse:
    """GET shows the invitation; POST accepts or declines it. GET never changes anything, so mail
    scanners that open links cannot answer for the volunteer."""
    form = DeclineForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("accept", "decline"):
            errors.append(_("Choose accept or decline."))
        elif form.is_valid():
            actor = request.user if request.user.is_authenticated else None
            try:
                services.respond_to_invitation(
                    invitation=invitation,
                    accept=action == "accept",
                    actor=actor,
                    reason=form.cleaned_data["reason"],
                    by_link=by_link,
                )
            except ValidationError as exc:
                if by_link and exc.code == "link_used":
                    return _link_used(request, invitation, status=410)
                errors.extend(exc.messages)
            else:
                if action == "accept":
                    messages.success(request, _("Thank you! You are on the faculty of this course."))
                else:
                    messages.success(request, _("Thank you for letting us know."))
                return redirect(action_url)
    is_invited = invitation.status == InvitationStatus.INVITED
    context = {
        "nav_section": "dashboard",
        "invitation": invitation,
        "course": invitation.slot.course,
        "form": form,
        "errors": errors,
        "action_url": action_url,
        "can_answer": is_invited,
        # Changing an accepted answer needs the signed-in dashboard, never the e-mailed link.
        "can_decline": is_invited or (not by_link and invitation.status == InvitationStatus.ACCEPTED),
    }
    return render(request, "workshops/invitation_respond.html", context, status=400 if errors else 200)


def _link_used(request: HttpRequest, invitation: FacultyInvitation, *, status: int) -> HttpResponse:
    context = {"nav_section": "workshops", "invitation": invitation, "course": invitation.slot.course}
    return render(request, "workshops/invitation_link_used.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_volunteer(user=request.user, pk=pk)
    return _respond(request, invitation, request.path)


@require_http_methods(["GET", "POST"])
def invitation_respond_token(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail: without signing in, it answers that invitation once.

    A link that was used (or whose invitation was answered on the dashboard) shows what happened
    and where to change the answer; a forged, expired or superseded one says it does not work.
    """
    link = selectors.invitation_for_response_link(token=token)
    if link.invitation is None:
        return render(request, "workshops/invitation_link_invalid.html", {"nav_section": "workshops"}, status=404)
    if not link.usable:
        return _link_used(request, link.invitation, status=410 if request.method == "POST" else 200)
    response = _respond(request, link.invitation, request.path, by_link=True)
    # The token must not leak through links to other sites; "no-referrer" would also make the
    # browser post the form with "Origin: null", which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


def _travel_initial(travel: Any) -> dict[str, Any]:
    if travel is None:
        return {}
    fields = ("itinerary", "booking_status", "per_diem", "per_diem_currency", "reimbursement_status")
    return {"visa_letter_needed": travel.trip.visa_letter_needed, **{field: getattr(travel, field) for field in fields}}


def _save_travel(
    request: AuthenticatedHttpRequest, invitation: FacultyInvitation, form: Any, *, is_staff: bool
) -> bool:
    """Staff save the whole travel record; the traveller their itinerary. True when saved."""
    if not form.is_valid():
        return False
    try:
        if is_staff:
            services.save_travel(invitation=invitation, actor=request.user, **form.cleaned_data)
        else:
            services.save_itinerary(invitation=invitation, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def travel_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The traveller reads it and enters their own itinerary; program staff see and edit it all."""
    invitation = selectors.get_invitation_for_travel(user=request.user, pk=pk)
    is_staff = can_manage_courses(request.user)
    travel = getattr(invitation, "travel", None)
    form: Any = None
    if is_staff:
        form = TravelForm(request.POST or None, initial=_travel_initial(travel))
    elif can_edit_itinerary(request.user, invitation):
        form = ItineraryForm(request.POST or None, initial=_travel_initial(travel))
    if request.method == "POST":
        if form is None:
            raise Http404
        if _save_travel(request, invitation, form, is_staff=is_staff):
            messages.success(request, _("Travel is saved."))
            return redirect("workshops:travel-detail", pk=invitation.pk)
    context = {
        "nav_section": "dashboard",
        "invitation": invitation,
        "course": invitation.slot.course,
        "travel": travel,
        "form": form,
        "is_staff": is_staff,
        # The letter is served through the trip (travel.views.visa_letter: one download rule).
        "visa_letter_available": travel is not None and can_have_visa_letter(travel.trip),
    }
    return render(
        request, "workshops/travel_detail.html", context, status=400 if form is not None and form.errors else 200
    )


@login_required
@require_POST
def express_interest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Raise a hand for a slot from the dashboard's call for faculty (only slots shown there)."""
    slot, person = selectors.get_open_slot_for_volunteer(user=request.user, pk=pk, today=timezone.localdate())
    try:
        services.express_interest(slot=slot, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you! Program staff will see your interest when they build the team."))
    return redirect("volunteers:dashboard")
