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
from django.views.decorators.http import require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.workshops import matching_adapter, selectors, services
from oncoreach.workshops.enums import (
    COURSE_TRANSITIONS,
    INVITATION_TRANSITIONS,
    LIVE_STATUSES,
    CourseStatus,
    InvitationStatus,
)
from oncoreach.workshops.forms import ProposeForm, ScheduleForm, SessionForm, SlotForm
from oncoreach.workshops.models import Course
from oncoreach.workshops.services import TeamProposal

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


def _report(request: AuthenticatedHttpRequest, proposal: TeamProposal) -> None:
    messages.success(
        request, _("%(n)d volunteers proposed. Check them, then send the invitations.") % {"n": len(proposal.proposed)}
    )
    for unfilled in proposal.unfilled:
        messages.warning(request, f"{unfilled.slot}: {unfilled.message}")
    for course, language in proposal.uncovered_languages:
        messages.warning(
            request, _("%(course)s: nobody on the team speaks %(language)s.") % {"course": course, "language": language}
        )
    if not proposal.optimal:
        messages.warning(request, _("The engine stopped at its time limit; this team is good but may not be the best."))


@login_required
@require_POST
def propose_season(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    courses = list(
        selectors.courses_for_staff(user=request.user, year=year).filter(
            status__in=[CourseStatus.PLANNING, CourseStatus.OPEN]
        )
    )
    try:
        _report(request, services.propose_team(courses=courses, actor=request.user))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('workshops:staff-course-list')}?year={year}")


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
        "transitions": [(to, CourseStatus(to).label) for to in sorted(COURSE_TRANSITIONS[course.status])],
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
    try:
        services.transition_course(course=course, to=request.POST.get("to", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The course status is changed."))
    return redirect("workshops:staff-course", slug=course.slug)


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
    try:
        _report(request, services.propose_team(courses=[course], actor=request.user))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workshops:staff-course", slug=course.slug)


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
