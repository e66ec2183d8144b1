"""The mentorship year's pages: the pair's page (plan, comments, meetings log), the meeting
planner and its .ics invitation, the one-click check-in link, and staff's at-risk list with
ending and re-pairing. Every page is the pair's or staff's (``selectors_year.get_mentorship_for``)."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.ics import vcalendar, vevent
from oncoreach.core.links import absolute_reverse, site_host
from oncoreach.mentoring import matching_adapter, selectors_year
from oncoreach.mentoring.enums import PLANNER_WEEKS, CheckInAnswer, CheckInState, RiskReason
from oncoreach.mentoring.forms import add_service_errors
from oncoreach.mentoring.forms_year import (
    AtRiskFilterForm,
    CheckInForm,
    CommentForm,
    EndForm,
    MeetingForm,
    PlanForm,
    milestones_text,
)
from oncoreach.mentoring.models import CheckIn
from oncoreach.mentoring.permissions import is_mentoring_staff
from oncoreach.mentoring.services.checkins import answer_checkin, click_checkin
from oncoreach.mentoring.services.repairing import end_mentorship
from oncoreach.mentoring.services.year import comment_on_plan, log_meeting, save_plan

MEETING_MINUTES = 60


def _page(request: HttpRequest, access: selectors_year.YearAccess, status: int = 200, **forms: Any) -> HttpResponse:
    mentorship = access.mentorship
    context = {
        "nav_section": "dashboard",
        "access": access,
        "mentorship": mentorship,
        "plan": selectors_year.plan_of(mentorship),
        "meetings": list(selectors_year.meetings_of(mentorship)),
        "checkins": selectors_year.checkins_for(access),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "end_form": forms.get("end_form") or EndForm(),
    }
    return render(request, "mentoring/mentorship.html", context, status=status)


@login_required
def mentorship_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors_year.get_mentorship_for(user=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = selectors_year.get_mentorship_for(user=request.user, pk=pk)
    if not access.can_edit_plan:
        raise PermissionDenied
    plan = selectors_year.plan_of(access.mentorship)
    initial = {"goals": plan.goals, "milestones": milestones_text(plan.milestones.all())} if plan else {}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_plan(
                mentorship=access.mentorship,
                goals=form.cleaned_data["goals"],
                milestones=form.cleaned_data["milestones"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your mentoring plan is saved."))
            return redirect("mentoring:mentorship", pk=pk)
    context = {"nav_section": "dashboard", "mentorship": access.mentorship, "form": form}
    return render(request, "mentoring/plan_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def plan_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = selectors_year.get_mentorship_for(user=request.user, pk=pk)
    if not access.can_comment:
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            author = access.mentorship.mentor
            comment_on_plan(
                mentorship=access.mentorship, author=author, body=form.cleaned_data["body"], actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your comment is added to the plan."))
            return redirect("mentoring:mentorship", pk=pk)
    return _page(request, access, status=400, comment_form=form)


@login_required
@require_POST
def meeting_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = selectors_year.get_mentorship_for(user=request.user, pk=pk)
    if not access.can_log:
        raise PermissionDenied
    form = MeetingForm(request.POST)
    if form.is_valid():
        person = access.mentorship.mentee if access.side == "mentee" else access.mentorship.mentor
        try:
            log_meeting(mentorship=access.mentorship, person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is in your log."))
            return redirect("mentoring:mentorship", pk=pk)
    return _page(request, access, status=400, meeting_form=form)


@login_required
def planner(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = selectors_year.get_mentorship_for(user=request.user, pk=pk)
    mentorship = access.mentorship
    now = timezone.now()
    weeks = matching_adapter.meeting_slots(mentorship, first_day=now.date(), weeks=PLANNER_WEEKS)
    context = {
        "nav_section": "dashboard",
        "access": access,
        "mentorship": mentorship,
        "weeks": selectors_year.planner_rows(mentorship, weeks, now=now),
        "mentee_zone": mentorship.match.request.time_zone,
        "mentor_zone": mentorship.match.offer.time_zone,
    }
    return render(request, "mentoring/planner.html", context)


@login_required
@cache_control(private=True, no_store=True)
def invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An .ics invitation for a chosen start within the pair's shared hours (an hour, or to the
    end of the shared stretch)."""
    access = selectors_year.get_mentorship_for(user=request.user, pk=pk)
    mentorship = access.mentorship
    start = selectors_year.parse_slot_key(request.GET.get("at", ""))
    slot = None
    if start is not None and start > timezone.now():
        weeks = matching_adapter.meeting_slots(mentorship, first_day=start.date(), weeks=1)
        slot = next(((a, b) for a, b in weeks[0][1] if a <= start < b), None)
    if start is None or slot is None:
        messages.error(request, _("Choose a start time from the planner: that one is not in your shared hours ahead."))
        return redirect("mentoring:planner", pk=pk)
    end = min(slot[1], start + dt.timedelta(minutes=MEETING_MINUTES))
    host = site_host()
    summary = _("Mentoring meeting: %(mentee)s and %(mentor)s") % {
        "mentee": mentorship.mentee.full_name,
        "mentor": mentorship.mentor.full_name,
    }
    url = absolute_reverse("mentoring:mentorship", kwargs={"pk": pk})
    event = vevent(
        uid=f"mentoring-{pk}-{selectors_year.slot_key(start)}@{host}",
        stamp=timezone.now(),
        start=start,
        end=end,
        summary=summary,
        url=url,
    )
    response = HttpResponse(vcalendar(host=host, product="Oncoreach mentoring", components=[event]))
    response["Content-Type"] = "text/calendar; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="mentoring-meeting-{start:%Y%m%d-%H%M}.ics"'
    return response


#: Headers browsers and link previewers send when they fetch a page nobody opened yet.
_PREFETCH_HEADERS = ("HTTP_PURPOSE", "HTTP_SEC_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
#: Link-preview bots (chat apps, social sites) that fetch a link pasted or forwarded to them.
_PREVIEW_AGENTS = (
    "slackbot",
    "twitterbot",
    "telegrambot",
    "discordbot",
    "linkedinbot",
    "applebot",
    "googlebot",
    "bingbot",
    "bingpreview",
    "facebookexternalhit",
    "whatsapp",
    "skypeuripreview",
    "embedly",
    "python-requests",
    "curl/",
    "wget/",
)


def _is_preview(request: HttpRequest) -> bool:
    """A request that must never answer a check-in: HEAD, a prefetch, a link previewer, or a
    fetch that does not ask for a page (every browser's navigation accepts text/html)."""
    if request.method == "HEAD":
        return True
    if any(request.META.get(h, "").lower().startswith(("prefetch", "preview", "prerender")) for h in _PREFETCH_HEADERS):
        return True
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    return any(name in agent for name in _PREVIEW_AGENTS) or "text/html" not in request.META.get("HTTP_ACCEPT", "")


def _checkin_page(
    request: HttpRequest,
    checkin: CheckIn,
    link_answer: str,
    outcome: str,
    *,
    form: CheckInForm | None = None,
    status: int = 200,
) -> HttpResponse:
    labels = dict(CheckInAnswer.choices)
    settled = checkin.state in (CheckInState.CLICKED, CheckInState.CONFIRMED)
    if settled:  # "change my answer": the other answers
        choices = [v for v in CheckInAnswer.values if v != checkin.answer]
    else:  # confirm: the link's own answer first
        choices = [link_answer, *(v for v in CheckInAnswer.values if v != link_answer)]
    context = {
        "checkin": checkin,
        "outcome": outcome,
        "settled": settled,
        "recorded": labels.get(checkin.answer, ""),
        "link_answer": labels[link_answer],
        "choices": [(v, labels[v]) for v in choices],
        "form": form or CheckInForm(),
        "action_url": request.path,
    }
    response = render(request, "mentoring/checkin_link.html", context, status=status)
    # The token must not leak through links to other sites; "no-referrer" would also make the
    # browser post the form with "Origin: null", which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@cache_control(private=True, no_store=True)
def checkin_link(request: HttpRequest, token: str) -> HttpResponse:
    """An answer link in a monthly check-in e-mail, without signing in. Opening it records the
    answer (one click) and offers to change it and to add a comment (buttons: POST, CSRF). A
    preview, or several answers opened at once (a mail scanner), records nothing: the page asks
    for a button (``services.checkins``; docs/mentoring.md)."""
    lookup = selectors_year.checkin_for_link(token)
    if not lookup.usable:
        status = 404 if lookup.reason == "invalid" else 410
        return render(request, "mentoring/checkin_invalid.html", {"reason": lookup.reason}, status=status)
    checkin = lookup.checkin
    assert checkin is not None
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                checkin = answer_checkin(checkin=checkin, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _checkin_page(request, checkin, lookup.answer, "confirmed")
        return _checkin_page(request, checkin, lookup.answer, "invalid", form=form, status=400)
    if _is_preview(request):
        return _checkin_page(request, checkin, lookup.answer, "preview")
    try:
        checkin, outcome = click_checkin(checkin=checkin, answer=lookup.answer)
    except ValidationError as exc:
        return render(request, "mentoring/checkin_invalid.html", {"reason": exc.code}, status=410)
    return _checkin_page(request, checkin, lookup.answer, outcome)


# --- Staff ----------------------------------------------------------------------------------


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not is_mentoring_staff(request.user):
        raise PermissionDenied


def _at_risk_rows(request: AuthenticatedHttpRequest) -> tuple[AtRiskFilterForm, list[selectors_year.AtRiskRow]]:
    form = AtRiskFilterForm(request.GET or None, cycles=selectors_year.risk_cycles())
    cycle_id, reason = None, ""
    if form.is_valid():
        cycle_id, reason = form.cleaned_data["cycle"], form.cleaned_data["reason"]
    rows = selectors_year.at_risk(today=timezone.localdate(), cycle_id=cycle_id, reason=reason)
    return form, rows


@login_required
def at_risk(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    form, rows = _at_risk_rows(request)
    labels = dict(RiskReason.choices)
    context = {
        "nav_section": "staff",
        "form": form,
        "rows": [(row, [labels[r] for r in row.reasons]) for row in rows],
        "answers": dict(CheckInAnswer.choices),
        "query": request.GET.urlencode(),
    }
    return render(request, "mentoring/staff_at_risk.html", context)


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from names people typed."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value


@login_required
@cache_control(private=True, no_store=True)
def at_risk_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    _form, rows = _at_risk_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentorships-at-risk.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "mentorship",
            "cycle",
            "mentee",
            "mentee_email",
            "mentor",
            "mentor_email",
            "starts_on",
            "last_meeting",
            "latest_checkin",
            "reasons",
        ]
    )
    for row in rows:
        m = row.mentorship
        writer.writerow(
            [
                m.pk,
                _csv_safe(str(m.cycle)),
                _csv_safe(m.mentee.full_name),
                _csv_safe(m.mentee.email),
                _csv_safe(m.mentor.full_name),
                _csv_safe(m.mentor.email),
                m.starts_on.isoformat(),
                row.last_meeting.isoformat() if row.last_meeting else "",
                row.latest_answer,
                " ".join(row.reasons),
            ]
        )
    return response


@login_required
@require_POST
def mentorship_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = selectors_year.get_mentorship_for(user=request.user, pk=pk)
    if not access.can_end:
        raise PermissionDenied
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            end_mentorship(mentorship=access.mentorship, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["repair"]:
                messages.success(request, _("The mentorship has ended; the engine is proposing a new mentor."))
            else:
                messages.success(request, _("The mentorship has ended; both sides are told."))
            return redirect("mentoring:staff-at-risk")
    return _page(request, access, status=400, end_form=form)
