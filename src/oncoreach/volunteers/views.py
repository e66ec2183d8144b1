"""Volunteer dashboard and profile: the volunteer's own data only (fetch-or-deny by user)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.people.models import Person
from oncoreach.volunteers import selectors, services
from oncoreach.volunteers.dashboard import panels_for
from oncoreach.volunteers.forms import ActivityForm, AvailabilityForm, VolunteerProfileForm
from oncoreach.volunteers.models import VolunteerProfile

RECENT_ACTIVITIES = 10


def _own_person_or_404(request: AuthenticatedHttpRequest) -> Person:
    """Fetch-or-deny: the signed-in user's Person; a login without one has no volunteer pages."""
    person = selectors.person_for_user(user=request.user)
    if person is None:
        raise Http404
    return person


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Invitations, travel and open calls for faculty (panels from workshops), hours, availability."""
    person = _own_person_or_404(request)
    profile = selectors.profile_for_person(person=person)
    today = timezone.localdate()
    context = {
        "nav_section": "dashboard",
        "person": person,
        "profile": profile,
        "availability": selectors.upcoming_availability(profile=profile, today=today) if profile else [],
        "activities": list(selectors.activities_for_person(person=person)[:RECENT_ACTIVITIES]),
        "hours_this_year": selectors.hours_for_person(person=person, year=today.year),
        "hours_total": selectors.hours_for_person(person=person),
        "panels": panels_for(request=request, person=person) if profile else [],
        "activity_form": ActivityForm(initial={"date": today}),
    }
    return render(request, "volunteers/dashboard.html", context)


@login_required
@require_POST
def activity_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Log your own hours (preparing a course, reviewing, mentoring…)."""
    person = _own_person_or_404(request)
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.log_own_hours(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your hours are logged. Thank you!"))
            return redirect("volunteers:dashboard")
    messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("volunteers:dashboard")


@login_required
@require_POST
def activity_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_own_activity_to_remove(user=request.user, pk=pk)
    services.remove_activity(entry=entry, actor=request.user)
    messages.success(request, _("The entry is removed."))
    return redirect("volunteers:dashboard")


# --- Program staff: see and correct a volunteer's hours ------------------------------------------


@login_required
def staff_activities(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_staff(user=request.user, pk=pk)
    today = timezone.localdate()
    context = {
        "nav_section": "dashboard",
        "person": person,
        "activities": list(selectors.activities_for_person(person=person)),
        "hours_this_year": selectors.hours_for_person(person=person, year=today.year),
        "hours_total": selectors.hours_for_person(person=person),
    }
    return render(request, "volunteers/staff_activities.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_activity_for_staff(user=request.user, pk=pk)
    initial = {"kind": entry.kind, "date": entry.date, "hours": entry.hours, "description": entry.description}
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.remove_activity(entry=entry, actor=request.user)
        messages.success(request, _("The entry is removed."))
        return redirect("volunteers:staff-activities", pk=entry.person_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_activity(entry=entry, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The entry is corrected."))
            return redirect("volunteers:staff-activities", pk=entry.person_id)
    context = {"nav_section": "dashboard", "entry": entry, "person": entry.person, "form": form}
    return render(request, "volunteers/staff_activity_edit.html", context, status=400 if form.errors else 200)


def _render_profile(
    request: AuthenticatedHttpRequest,
    profile: VolunteerProfile | None,
    form: VolunteerProfileForm,
    availability_form: AvailabilityForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav_section": "dashboard",
        "form": form,
        "availability_form": availability_form,
        "profile": profile,
        "windows": list(selectors.availability_for_profile(profile=profile)) if profile else [],
    }
    return render(request, "volunteers/profile_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    profile = selectors.profile_for_person(person=person)
    form = VolunteerProfileForm(
        request.POST or None, initial=VolunteerProfileForm.initial_for(profile, specialty=person.specialty)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_volunteer_profile(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteers:dashboard")
    return _render_profile(request, profile, form, AvailabilityForm(), status=400 if form.errors else 200)


@login_required
@require_POST
def availability_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person_or_404(request)
    profile = selectors.profile_for_person(person=person)
    if profile is None:
        messages.error(request, _("Save your volunteer profile first."))
        return redirect("volunteers:profile-edit")
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            services.add_availability(profile=profile, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("end" if exc.code == "end_before_start" else None, exc)
        else:
            messages.success(request, _("Your availability is saved."))
            return redirect("volunteers:profile-edit")
    profile_form = VolunteerProfileForm(initial=VolunteerProfileForm.initial_for(profile))
    return _render_profile(request, profile, profile_form, form, status=400)


@login_required
@require_POST
def availability_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    window = selectors.get_own_availability(user=request.user, pk=pk)
    services.remove_availability(window=window, actor=request.user)
    messages.success(request, _("The window is removed."))
    return redirect("volunteers:profile-edit")
