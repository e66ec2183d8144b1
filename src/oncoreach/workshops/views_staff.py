"""Program staff: the season's courses, and per course its staffing (run the engine, see why
each volunteer was proposed, adjust by hand, send invitations), status and schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.enums import RunStatus
from oncoreach.core.htmx import is_htmx
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.core.selectors import get_run
from oncoreach.volunteers.fit_words import outcome_in_words
from oncoreach.workshops import matching_adapter, selectors, services
from oncoreach.workshops.enums import (
    COURSE_TRANSITIONS,
    INVITATION_TRANSITIONS,
    LIVE_STATUSES,
    TEAM_PROPOSAL_RUN,
    CourseStatus,
    InvitationStatus,
)
from oncoreach.workshops.forms import CancelCourseForm, ProposeForm, ScheduleForm, SessionForm, SlotForm
from oncoreach.workshops.models import Course

STAFF_TRANSITIONS = frozenset({InvitationStatus.INVITED, InvitationStatus.WITHDRAWN, InvitationStatus.COMPLETED})


def _year(request: AuthenticatedHttpRequest) -> int:
    try:
        return int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def course_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    page = paginate(request, selectors.courses_for_staff(user=request.user, year=year))
    context = {
        "nav_section": "workshops",
        "year": year,
        "years": [year - 1, year, year + 1],
        "page_obj": page,
        "courses": page.object_list,
        "page_query": query_without_page(request),
    }
    return render(request, "workshops/staff_course_list.html", context)


def _start_team_proposal(request: AuthenticatedHttpRequest, courses: list[Course], back: str) -> HttpResponse:
    try:
        run = services.start_team_proposal(courses=courses, actor=request.user, return_url=back)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    return redirect("workshops:staff-run", pk=run.pk)


@login_required
@require_POST
def propose_season(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Queue the engine for every course of the season still being staffed (see the run page)."""
    year = _year(request)
    courses = list(
        selectors.courses_for_staff(user=request.user, year=year).filter(
            status__in=[CourseStatus.PLANNING, CourseStatus.OPEN]
        )
    )
    return _start_team_proposal(request, courses, f"{reverse('workshops:staff-course-list')}?year={year}")


@login_required
def staffing_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A staffing engine run: progress while the worker runs it (htmx refreshes the fragment, or
    the page reloads itself without JavaScript), then the proposals with the engine's reasons."""
    selectors.require_course_staff(user=request.user)
    run = get_run(pk=pk, kinds=[TEAM_PROPOSAL_RUN])
    context = {
        "nav_section": "workshops",
        "run": run,
        "title": _("Team proposal"),
        "back_url": run.return_url or reverse("workshops:staff-course-list"),
        "back_label": _("Back to the staffing"),
        "outcome": outcome_in_words(run.result) if run.status == RunStatus.SUCCEEDED else None,
    }
    template = "core/run_detail.html#status" if is_htmx(request) else "core/run_detail.html"
    return render(request, template, context)


def _staffing_context(request: AuthenticatedHttpRequest, course: Course) -> dict[str, object]:
    slots = list(selectors.slots_for_staffing(course=course))
    choices = selectors.faculty_candidate_choices()
    live_by_slot = {slot.pk: [inv for inv in slot.invitations.all() if inv.status in LIVE_STATUSES] for slot in slots}
    suggestions = matching_adapter.suggestions_for_course(
        course=course, slots=[slot for slot in slots if not live_by_slot[slot.pk]]
    )
    rows: list[dict[str, Any]] = [
        {
            "slot": slot,
            "invitations": list(slot.invitations.all()),
            "interests": list(slot.interests.all()),
            "is_open": not live_by_slot[slot.pk],
            "suggestions": suggestions.get(slot.pk, []),
            "form": ProposeForm(choices=choices, auto_id=f"id_slot{slot.pk}_%s"),
        }
        for slot in slots
    ]
    return {
        "nav_section": "workshops",
        "course": course,
        "rows": rows,
        # Cancelling has its own confirmation step (course_cancel), styled apart as destructive.
        "transitions": [
            (to, CourseStatus(to).label)
            for to in sorted(COURSE_TRANSITIONS[course.status])
            if to != CourseStatus.CANCELLED
        ],
        "can_cancel": CourseStatus.CANCELLED in COURSE_TRANSITIONS[course.status],
        "invitation_transitions": {
            status: [
                (to, InvitationStatus(to).label) for to in sorted(INVITATION_TRANSITIONS[status] & STAFF_TRANSITIONS)
            ]
            for status in InvitationStatus.values
        },
        "schedule_form": ScheduleForm(
            initial={"start_date": course.start_date, "end_date": course.end_date, "capacity": course.capacity}
        ),
        "slot_form": SlotForm(auto_id="id_slot_%s"),
        "session_form": SessionForm(auto_id="id_session_%s", initial={"day": course.start_date}),
        "language_gaps": selectors.team_language_gaps(course=course),
        "agenda": selectors.agenda(sessions=selectors.sessions_for_staffing(course=course)),
        "has_proposed": any(inv.status == InvitationStatus.PROPOSED for row in rows for inv in row["invitations"]),
    }


@login_required
def course_staffing(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    return render(request, "workshops/staff_course.html", _staffing_context(request, course))


@login_required
@require_POST
def course_transition(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    if request.POST.get("to") == CourseStatus.CANCELLED:
        return redirect("workshops:staff-course-cancel", slug=course.slug)  # never without confirming
    try:
        services.transition_course(course=course, to=request.POST.get("to", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The course status is changed."))
    return redirect("workshops:staff-course", slug=course.slug)


@login_required
@require_http_methods(["GET", "POST"])
def course_cancel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The confirmation step: GET says who will be told; POST (with the box ticked) cancels."""
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    form = CancelCourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_course(course=course, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The course is cancelled; registrants and faculty are being told."))
        return redirect("workshops:staff-course", slug=course.slug)
    context = {
        "nav_section": "workshops",
        "course": course,
        "form": form,
        "impact": selectors.cancellation_impact(course=course),
        "can_cancel": CourseStatus.CANCELLED in COURSE_TRANSITIONS[course.status],
    }
    return render(request, "workshops/staff_course_cancel.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def course_schedule(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.update_course_schedule(course=course, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            errors_by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for field, errors in errors_by_field.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The dates and places are saved."))
            return redirect("workshops:staff-course", slug=course.slug)
    context = _staffing_context(request, course)
    context["schedule_form"] = form
    return render(request, "workshops/staff_course.html", context, status=400)


@login_required
@require_POST
def course_propose(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    return _start_team_proposal(request, [course], reverse("workshops:staff-course", kwargs={"slug": course.slug}))


@login_required
@require_POST
def course_send_invitations(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    try:
        sent = services.send_invitations(course=course, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)d invitations sent.") % {"n": len(sent)})
    return redirect("workshops:staff-course", slug=course.slug)


@login_required
@require_POST
def slot_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Adjust by hand: propose a named volunteer for a slot."""
    slot = selectors.get_slot_for_staff(user=request.user, pk=pk)
    form = ProposeForm(request.POST, choices=selectors.faculty_candidate_choices())
    person = (
        selectors.faculty_candidates_for_choice().filter(pk=form.cleaned_data["person"]).first()
        if form.is_valid()
        else None
    )
    if person is None:
        messages.error(request, _("Choose a volunteer from the list."))
    else:
        try:
            services.propose_faculty(slot=slot, person=person, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Proposed. Send the invitations when the team is ready."))
    return redirect("workshops:staff-course", slug=slot.course.slug)


@login_required
@require_POST
def invitation_transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_staff(user=request.user, pk=pk)
    to = request.POST.get("to", "")
    try:
        if to not in STAFF_TRANSITIONS:
            raise ValidationError(_("Staff cannot make this change here."), code="not_staff_transition")
        services.transition_invitation(invitation=invitation, to=to, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The invitation is updated."))
    return redirect("workshops:staff-course", slug=invitation.slot.course.slug)


@login_required
@require_POST
def course_add_slot(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    form = SlotForm(request.POST, auto_id="id_slot_%s")
    if form.is_valid():
        services.add_slot(course=course, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The slot is added."))
        return redirect("workshops:staff-course", slug=course.slug)
    context = _staffing_context(request, course)
    context["slot_form"] = form
    return render(request, "workshops/staff_course.html", context, status=400)


@login_required
@require_POST
def course_add_session(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_course_for_staff(user=request.user, slug=slug)
    form = SessionForm(request.POST, auto_id="id_session_%s")
    if form.is_valid():
        try:
            services.add_session(course=course, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The session is added to the agenda."))
            return redirect("workshops:staff-course", slug=course.slug)
    context = _staffing_context(request, course)
    context["session_form"] = form
    return render(request, "workshops/staff_course.html", context, status=400)
