"""Views for calls: public pages, applicants, referees, reviewers and staff.

Each view: fetch-or-deny (selectors) → bind and validate a form → one service → render/redirect.
"""

from __future__ import annotations

import csv
import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls import selectors, services, services_review
from oncoreach.calls.eligibility import rules_in_words, snapshot_in_words, snapshot_is_fixable
from oncoreach.calls.enums import ENTRY_STATUS, REVIEWER_ASSIGNMENT_RUN, ApplicationStatus, AssignmentStatus
from oncoreach.calls.forms import (
    ApplicationFilterForm,
    AssignReviewerForm,
    DecisionForm,
    EligibilityOverrideForm,
    EngineRunForm,
    MoveForm,
    RefereeForm,
    ReferenceLetterForm,
    RespondForm,
    ReviewForm,
    application_form,
    valid_uploads,
)
from oncoreach.calls.packets import reviewer_audience
from oncoreach.calls.permissions import (
    can_decide_here,
    can_decline_offer,
    can_edit_application,
    can_invite_to_next_stage,
    can_override_eligibility,
    can_withdraw_application,
    reference_letter_refusal,
    staff_decisions_for,
    staff_moves_for,
)
from oncoreach.calls.selectors_committee import committee_seats_for_user
from oncoreach.core.cache import mark_public
from oncoreach.core.enums import RunStatus
from oncoreach.core.htmx import is_htmx
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.core.selectors import get_run
from oncoreach.people.selectors import person_for_user
from oncoreach.programs.enums import Audience
from oncoreach.programs.forms_engine import (
    answers_for_display,
    raw_answers,
    shown_file_name,
)
from oncoreach.volunteers.fit_words import outcome_in_words

# --- Public -----------------------------------------------------------------------------------


def call_list(request: HttpRequest) -> HttpResponse:
    calls = selectors.open_calls()
    response = render(request, "calls/call_list.html", {"calls": calls, "nav_section": "calls"})
    return mark_public(response) if not request.user.is_authenticated else response


def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_public_call(slug=slug)
    own = selectors.get_own_application_for_call(user=request.user, call=call)
    context = {
        "call": call,
        "rules": rules_in_words(call=call),
        "is_open": call.is_open(),
        "own_application": own,
        "nav_section": "calls",
    }
    response = render(request, "calls/call_detail.html", context)
    return mark_public(response) if not request.user.is_authenticated else response


# --- Applicants -------------------------------------------------------------------------------


@login_required
@require_POST
def application_start(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_public_call(slug=slug)
    person = person_for_user(user=request.user)
    if person is None:
        raise PermissionDenied
    try:
        application = services.start_application(call=call, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(call.get_absolute_url())
    return redirect("calls:application-edit", pk=application.pk)


@login_required
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    applications = selectors.applications_for_applicant(user=request.user)
    return render(request, "calls/application_list.html", {"applications": applications, "nav_section": "dashboard"})


@login_required
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(user=request.user, pk=pk)
    context = {
        "application": application,
        "call": application.call,
        "answers": answers_for_display(response_set=application.response_set, audience=Audience.APPLICANT),
        "eligibility": snapshot_in_words(application.eligibility),
        "eligibility_fixable": snapshot_is_fixable(application.eligibility)
        and application.status == ApplicationStatus.INELIGIBLE,
        "references": selectors.reference_requests_for(application=application),
        "can_edit": can_edit_application(request.user, application),
        "can_withdraw": can_withdraw_application(request.user, application),
        "can_decline": can_decline_offer(request.user, application),
        "nav_section": "dashboard",
    }
    return render(request, "calls/application_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Fill in the form. "Save draft" keeps everything typed; "Submit" checks it all first."""
    application = selectors.get_own_application(user=request.user, pk=pk)
    if not can_edit_application(request.user, application):
        return redirect("calls:application-detail", pk=application.pk)
    problems: list[str] = []
    if request.method == "POST":
        submitting = request.POST.get("action") == "submit"
        form = application_form(application, request, complete=submitting, caps=application.current_stage.caps)
        valid = form.is_valid()
        files = valid_uploads(request, form)
        services.save_draft(application=application, values=raw_answers(form=form), files=files)
        if submitting and valid:
            try:
                services.submit_application(application=application, actor=request.user)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Your application is submitted."))
                return redirect("calls:application-detail", pk=application.pk)
        elif not submitting and valid:
            messages.success(request, _("Your draft is saved."))
            return redirect("calls:application-edit", pk=application.pk)
    else:
        form = application_form(application, caps=application.current_stage.caps)
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "problems": problems,
        "referee_form": RefereeForm(),
        "references": selectors.reference_requests_for(application=application),
        "nav_section": "dashboard",
    }
    return render(request, "calls/application_edit.html", context)


@login_required
@require_POST
def application_autosave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Autosave endpoint: stores what was typed (even incomplete) and answers "saved at HH:MM"."""
    application = selectors.get_own_application(user=request.user, pk=pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied
    form = application_form(application, request, caps=application.current_stage.caps)
    form.is_valid()
    files = valid_uploads(request, form)
    services.save_draft(application=application, values=raw_answers(form=form), files=files)
    if is_htmx(request):
        return render(request, "calls/application_edit.html#saved", {"application": application})
    messages.success(request, _("Your draft is saved."))
    return redirect("calls:application-edit", pk=application.pk)


@login_required
@require_POST
def application_add_referee(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(user=request.user, pk=pk)
    if not can_edit_application(request.user, application):
        raise PermissionDenied
    form = RefereeForm(request.POST)
    if form.is_valid():
        try:
            services.request_reference(application=application, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("We e-mailed your referee a private link for their letter."))
    else:
        messages.error(request, _("Please give the referee's name and a valid e-mail address."))
    return redirect("calls:application-edit", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(user=request.user, pk=pk)
    if not can_withdraw_application(request.user, application):
        raise PermissionDenied
    services.withdraw_application(application=application, actor=request.user)
    messages.success(request, _("Your application is withdrawn."))
    return redirect("calls:application-detail", pk=application.pk)


@login_required
@require_POST
def application_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_own_application(user=request.user, pk=pk)
    if not can_decline_offer(request.user, application):
        raise PermissionDenied
    services.decline_offer(application=application, actor=request.user)
    messages.success(request, _("We recorded that you decline the offer."))
    return redirect("calls:application-detail", pk=application.pk)


@login_required
@cache_control(private=True, no_store=True)
def application_file(request: AuthenticatedHttpRequest, pk: int, answer_pk: int) -> HttpResponseBase:
    """A file uploaded with an application, under the name it was uploaded with (stored under a
    random one): the applicant, call staff and the application's reviewers only."""
    answer = selectors.get_application_file(user=request.user, application_pk=pk, answer_pk=answer_pk)
    name = shown_file_name(answer)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if selectors.reads_blind(user=request.user, application_pk=pk):  # the name may carry the applicant's
        name = selectors.neutral_file_name(application_pk=pk, answer_pk=answer.pk, name=name)
    return FileResponse(answer.file.open("rb"), as_attachment=True, filename=name, content_type=content_type)


# --- Referees (no account) --------------------------------------------------------------------


#: How a referee's link answers: the form, a thank-you, or why it no longer takes a letter.
_REFERENCE_PAGE_STATUS = {"open": 200, "done": 200, "received": 200, "closed": 410, "expired": 410}


@require_http_methods(["GET", "POST"])
def reference_upload(request: HttpRequest, token: str) -> HttpResponse:
    """The referee's private link (no account): one letter, while the application takes letters."""
    reference = selectors.get_reference_by_token(token=token)
    refusal = reference_letter_refusal(reference, now=timezone.now())
    state = refusal or "open"
    form = ReferenceLetterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            reference = services.upload_reference_letter(reference=reference, letter=form.cleaned_data["letter"])
        except ValidationError as exc:
            if exc.code in _REFERENCE_PAGE_STATUS:
                state = str(exc.code)
            else:
                form.add_error("letter", exc)
        else:
            state = "done"
    status = _REFERENCE_PAGE_STATUS[state]
    if request.method == "POST" and state in {"received", "closed", "expired"}:
        status = 410  # a reused or stale link: nothing was stored
    context = {
        "reference": reference,
        "form": form,
        "state": state,
        "refusal": services.reference_refusal_message(state) if state in {"received", "closed", "expired"} else "",
        "token": token,
    }
    response = render(request, "calls/reference_upload.html", context, status=status)
    # The token must not leak through links to other sites; "no-referrer" would also make the
    # browser send "Origin: null" with the upload form, which the CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


# --- Reviewers --------------------------------------------------------------------------------


@login_required
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    assignments = selectors.assignments_for_reviewer(user=request.user)
    accepted = (AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED)
    packets = {item.stage_id: item for item in assignments if item.status in accepted}  # one PDF per stage
    committees = committee_seats_for_user(user=request.user)  # the committees they sit on
    context = {"assignments": assignments, "packets": list(packets.values()), "committees": committees}
    return render(request, "calls/review_list.html", {**context, "nav_section": "dashboard"})


@login_required
@require_http_methods(["GET", "POST"])
def review_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_review(user=request.user, pk=pk)
    application = assignment.application
    criteria = selectors.criteria_for_application(stage=assignment.stage, application=application)
    review = selectors.review_for_assignment(assignment=assignment)
    initial: dict[str, Any] = {}
    if review is not None:
        initial = {f"c{score.criterion_id}": score.score for score in review.criterion_scores.all()} | {
            "comment": review.comment
        }
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_review(
                assignment=assignment,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                conflict_declared=form.cleaned_data["conflict_declared"],
                conflict_reason=form.cleaned_data["conflict_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except services.TransitionNotAllowed:
            form.add_error(None, _("This review was already submitted."))
        else:
            messages.success(
                request,
                _("Thank you: your review is submitted.") if result else _("Thank you for declaring the conflict."),
            )
            return redirect("calls:review-list")
    context = {
        "assignment": assignment,
        "application": application,
        "answers": answers_for_display(response_set=application.response_set, audience=reviewer_audience(assignment)),
        "blind": assignment.stage.blind,
        "form": form,
        "respond_form": RespondForm(),
        "is_submitted": assignment.status == AssignmentStatus.SUBMITTED,
        "nav_section": "dashboard",
    }
    return render(request, "calls/review_form.html", context)


@login_required
@require_POST
def review_respond(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_review(user=request.user, pk=pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please say whether you will review this application."))
        return redirect("calls:review-form", pk=assignment.pk)
    try:
        services_review.respond_to_request(
            assignment=assignment,
            accept=form.cleaned_data["decision"] == "accept",
            conflict_reason=form.cleaned_data["conflict_reason"],
            actor=request.user,
        )
    except services.TransitionNotAllowed:
        messages.error(request, _("You already answered this request."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("calls:review-list")


# --- Staff ------------------------------------------------------------------------------------


@login_required
def staff_call_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    calls = selectors.calls_for_staff(user=request.user)
    return render(request, "calls/staff_call_list.html", {"calls": calls, "nav_section": "dashboard"})


def _filtered_applications(request: AuthenticatedHttpRequest, call: Any) -> tuple[ApplicationFilterForm, Any]:
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    applications = selectors.applications_for_staff(
        user=request.user,
        call=call,
        status=filters.get("status", ""),
        eligible=filters.get("eligible", ""),
        search=filters.get("q", ""),
    )
    return form, applications


@login_required
def staff_application_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    form, applications = _filtered_applications(request, call)
    page = paginate(request, applications, per_page=50)
    context = {
        "call": call,
        "filter_form": form,
        "page": page,
        "query": query_without_page(request),
        "nav_section": "dashboard",
        "engine_form": EngineRunForm(),
    }
    return render(request, "calls/staff_application_list.html", context)


@login_required
@cache_control(private=True, no_store=True)
def staff_application_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    _form, applications = _filtered_applications(request, call)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-applications.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["id", "name", "email", "country", "status", "eligible", "fiscal_year", "submitted_at", "reviews", "mean_score"]
    )
    for application in applications:
        person = application.applicant
        writer.writerow(
            [
                application.pk,
                _csv_safe(person.full_name),
                _csv_safe(person.email),
                person.country_of_practice.iso3 if person.country_of_practice else "",
                application.status,
                application.eligibility.get("eligible", ""),
                application.eligibility.get("fiscal_year", ""),
                application.submitted_at.isoformat() if application.submitted_at else "",
                application.review_count,
                "" if application.mean_score is None else f"{application.mean_score:.2f}",
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from names people typed."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value


@login_required
def staff_application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_staff(user=request.user, pk=pk)
    call = application.call
    conflicts = selectors.conflicted_reviewer_ids(application=application)
    assignments = list(selectors.assignments_for_application(user=request.user, application=application))
    assigned_ids = {a.reviewer_id for a in assignments}
    panel = (
        selectors.panel_people(call=call)
        .exclude(pk__in=set(conflicts) | assigned_ids)
        .order_by("family_name", "given_name")
    )
    decide_here = can_decide_here(application)
    targets = staff_moves_for(request.user, application)
    outcomes = staff_decisions_for(request.user, application)
    context = {
        "application": application,
        "call": call,
        "answers": answers_for_display(response_set=application.response_set, audience=Audience.STAFF),
        "eligibility": snapshot_in_words(application.eligibility),
        "snapshot": application.eligibility,
        "override_form": EligibilityOverrideForm() if can_override_eligibility(request.user, application) else None,
        "can_invite": can_invite_to_next_stage(request.user, application),
        "references": selectors.reference_requests_for(application=application),
        "assignments": assignments,
        "reviews": selectors.reviews_for_application(user=request.user, application=application),
        "conflicts": selectors.conflicts_in_words(reasons_by_reviewer=conflicts),
        "assign_form": AssignReviewerForm(reviewers=panel) if application.status in services.REVIEWABLE else None,
        "move_form": MoveForm(targets=targets) if targets else None,
        "decision_form": DecisionForm(outcomes=outcomes) if outcomes else None,
        "driven_elsewhere": not decide_here,
        "nav_section": "dashboard",
    }
    return render(request, "calls/staff_application_detail.html", context)


def _back_to_staff_detail(application: Any) -> HttpResponse:
    return redirect("calls:staff-application-detail", pk=application.pk)


@login_required
@require_POST
def staff_assign_reviewer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_staff(user=request.user, pk=pk)
    form = AssignReviewerForm(request.POST, reviewers=selectors.panel_people(call=application.call))
    if form.is_valid():
        try:
            services.assign_reviewer(
                application=application, reviewer=form.cleaned_data["reviewer"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Reviewer assigned."))
    else:
        messages.error(request, _("Choose a reviewer from the call's panel."))
    return _back_to_staff_detail(application)


@login_required
@require_POST
def staff_move_application(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_staff(user=request.user, pk=pk)
    form = MoveForm(request.POST, targets=staff_moves_for(request.user, application))
    if not form.is_valid():
        messages.error(request, _("That step is not possible from the application's current status."))
        return _back_to_staff_detail(application)
    target = form.cleaned_data["to"]
    stage = application.call.stage_by_key(target.removeprefix("stage:")) if target.startswith("stage:") else None
    try:
        services.move_application(
            application=application,
            to=ENTRY_STATUS[stage.kind] if stage is not None else target,
            stage=stage,
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except services.TransitionNotAllowed:
        messages.error(request, _("That step is not possible from the application's current status."))
    return _back_to_staff_detail(application)


@login_required
@require_POST
def staff_decide_application(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = selectors.get_application_for_staff(user=request.user, pk=pk)
    form = DecisionForm(request.POST, outcomes=staff_decisions_for(request.user, application))
    if form.is_valid():
        try:
            services.decide_application(
                application=application,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except services.TransitionNotAllowed:
            messages.error(request, _("A decision is not possible from the application's current status."))
        else:
            messages.success(request, _("Decision recorded; the applicant will be told by e-mail."))
    elif "outcome" in request.POST:
        messages.error(request, _("A decision is not possible from the application's current status."))
    else:
        messages.error(request, _("Choose a decision."))
    return _back_to_staff_detail(application)


@login_required
@cache_control(private=True, no_store=True)
def staff_reference_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Serve a reference letter to staff only (uploaded documents are never public)."""
    selectors.require_call_staff(user=request.user)
    reference = selectors.get_reference_with_letter(pk=pk)
    return FileResponse(reference.letter.open("rb"), content_type="application/pdf", filename="reference-letter.pdf")


@login_required
@require_POST
def staff_assign_with_engine(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Queue the engine (the worker runs it) and follow it on the run page."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    back = reverse("calls:staff-application-list", kwargs={"slug": call.slug})
    form = EngineRunForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.as_data().values():
            for error in errors:
                messages.error(request, " ".join(error.messages))
        return redirect(back)
    try:
        run = services_review.start_assignment_run(
            call=call,
            actor=request.user,
            params=form.run_params(),
            return_url=back,
            stage=call.stage_by_key(request.POST.get("stage", "")),  # the first review stage when none
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    return redirect("calls:staff-run", pk=run.pk)


@login_required
def staff_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An engine run: progress while the worker runs it, then the proposed reviewers with the
    engine's reasons and the applications still short of reviewers, with why."""
    selectors.require_call_staff(user=request.user)
    run = get_run(pk=pk, kinds=[REVIEWER_ASSIGNMENT_RUN, services_review.DECLINE_CASCADE_RUN])
    context = {
        "nav_section": "dashboard",
        "run": run,
        "title": _("Reviewer assignment"),
        "back_url": run.return_url or reverse("calls:staff-call-list"),
        "back_label": _("Back to the applications"),
        "outcome": outcome_in_words(run.result) if run.status == RunStatus.SUCCEEDED else None,
    }
    template = "core/run_detail.html#status" if is_htmx(request) else "core/run_detail.html"
    return render(request, template, context)
