"""Trip pages: the trip (traveller and staff), its visa letter as a PDF (the one download rule for
every program's letters), and the staff list of every program's trips."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.travel import selectors, services
from oncoreach.travel.forms import TripStatusForm
from oncoreach.travel.permissions import can_have_visa_letter, can_manage_travel


@login_required
@require_http_methods(["GET", "POST"])
@cache_control(private=True, no_store=True)
def trip_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    trip = selectors.get_trip_for_viewer(user=request.user, pk=pk)
    is_staff = can_manage_travel(request.user)
    # A trip another program manages (faculty travel) moves through that program's page, which
    # the traveller and staff both reach from here.
    managed_at = selectors.trip_managed_at(trip)
    can_move = is_staff and managed_at is None
    form = TripStatusForm(request.POST or None, initial={"status": trip.status}) if can_move else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.transition_trip(trip=trip, to=form.cleaned_data["status"], actor=request.user)
            except ValidationError as exc:
                form.add_error("status", exc)
            else:
                messages.success(request, _("The trip is updated."))
                return redirect("travel:trip", pk=trip.pk)
    context = {
        "trip": trip,
        "form": form,
        "is_staff": is_staff,
        "managed_at": managed_at,
        "visa_letter_available": can_have_visa_letter(trip),
    }
    return render(request, "travel/trip_detail.html", context)


@login_required
@cache_control(private=True, no_store=True)
def visa_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The visa invitation letter as a PDF: traveller and staff only, and only when one is needed."""
    trip = selectors.get_trip_for_viewer(user=request.user, pk=pk)
    if not can_have_visa_letter(trip):
        raise Http404
    from oncoreach.travel.documents import trip_visa_letter_pdf

    response = HttpResponse(trip_visa_letter_pdf(trip=trip), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="visa-letter-TR-{trip.pk}.pdf"'
    return response


@login_required
def staff_trips(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every program's trips in one list (awardees' beside faculty's): program staff only."""
    if not can_manage_travel(request.user):
        raise PermissionDenied
    return render(request, "travel/staff_trips.html", {"trips": list(selectors.staff_trips())})
