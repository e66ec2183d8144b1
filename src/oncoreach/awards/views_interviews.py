"""Interviews: the applicant books, reschedules or cancels; interviewers and staff offer slots.
Every time is shown in the reader's zone and in the other side's zone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.awards import permissions, selectors, services
from oncoreach.awards.forms import InterviewerForm, SlotForm
from oncoreach.awards.ical import interview_calendar
from oncoreach.awards.models import InterviewSlot
from oncoreach.awards.services.common import local_time_text
from oncoreach.core.links import absolute_reverse, site_host


def _times(slot: InterviewSlot, *people: Any) -> list[str]:
    return [local_time_text(slot.starts_at, person=person) for person in people if person is not None]


@login_required
@require_http_methods(["GET", "POST"])
def my_interview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(user=request.user, pk=pk)
    booking = selectors.live_booking(application=application)
    if request.method == "POST":
        try:
            if "cancel" in request.POST and booking is not None:
                services.cancel_booking(booking=booking, actor=request.user)
                messages.success(request, _("Your interview was cancelled."))
            else:
                slot = selectors.slot_in_call(call=application.call, pk=request.POST.get("slot"))
                if slot is None:
                    raise ValidationError(_("Choose one of the offered times."))
                if booking is None:
                    services.book_slot(application=application, slot=slot, actor=request.user)
                else:
                    services.reschedule_booking(booking=booking, slot=slot, actor=request.user)
                messages.success(request, _("Your interview is booked. We sent you the details by e-mail."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("awards:interview", pk=application.pk)
    applicant = application.applicant
    slots = []
    if permissions.can_book_interview(application):
        slots = [
            (slot, _times(slot, applicant, slot.interviewer)) for slot in selectors.open_slots(call=application.call)
        ]
    context = {
        "application": application,
        "booking": booking,
        "booking_times": _times(booking.slot, applicant, booking.slot.interviewer) if booking else [],
        "slots": slots,
        "can_book": permissions.can_book_interview(application),
    }
    return render(request, "awards/interview.html", context)


@login_required
@cache_control(private=True, no_store=True)
def interview_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The invitation for the applicant, the interviewer and staff only."""
    booking = selectors.booking_with_parties(pk=pk)
    if booking is None:
        raise Http404
    user = request.user
    if not (permissions.is_applicant(user, booking.application) or permissions.can_change_slot(user, booking.slot)):
        raise Http404
    body = interview_calendar(
        booking=booking,
        host=site_host(),
        summary=_("Interview: %(call)s") % {"call": booking.slot.call.title},
        url=absolute_reverse("awards:interview", kwargs={"pk": booking.application_id}),
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{booking.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def call_interviews(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Staff see every slot and booking of a call and add slots for any interviewer; an
    interviewer adds their own (entered in their own zone)."""
    call = selectors.get_call_for_interviews(user=request.user, slug=slug)
    is_staff = permissions.can_manage_awards(request.user)
    me = getattr(request.user, "person", None)
    zone = (me.time_zone if me else "") or "UTC"
    interviewers = selectors.interviewers_for_call(call=call) if is_staff else None
    form = SlotForm(request.POST or None, zone=zone, interviewers=interviewers)
    panel_form = InterviewerForm(prefix="panel") if is_staff else None
    if request.method == "POST" and "panel-person" in request.POST:
        if not is_staff:
            raise PermissionDenied
        panel_form = InterviewerForm(request.POST, prefix="panel")
        if panel_form.is_valid():
            services.add_interviewer(call=call, person=panel_form.cleaned_data["person"], actor=request.user)
            return redirect("awards:call-interviews", slug=call.slug)
    elif request.method == "POST" and form.is_valid():
        interviewer = form.cleaned_data.get("interviewer") or me
        try:
            if interviewer is None:
                raise ValidationError(_("Choose the interviewer."))
            services.offer_slot(
                call=call,
                interviewer=interviewer,
                starts_at=form.cleaned_data["starts_local"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                video_link=form.cleaned_data["video_link"],
                place=form.cleaned_data["place"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The slot is offered."))
            return redirect("awards:call-interviews", slug=call.slug)
    slots = selectors.slots_for_call(call=call, interviewer=None if is_staff else me)
    bookings = {b.slot_id: b for b in selectors.bookings_for_call(call=call)}
    rows = [
        (
            slot,
            bookings.get(slot.pk),
            _times(slot, me, bookings[slot.pk].application.applicant if slot.pk in bookings else None),
        )
        for slot in slots
    ]
    context = {"call": call, "rows": rows, "form": form, "panel_form": panel_form, "zone": zone}
    return render(request, "awards/call_interviews.html", context)


@login_required
@require_POST
def slot_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    slot = selectors.get_slot_for_change(user=request.user, pk=pk)
    try:
        services.withdraw_slot(slot=slot, actor=request.user)
        messages.success(request, _("The slot was withdrawn."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("awards:call-interviews", slug=slot.call.slug)
