"""Staff pages for setting a call up: the call, its stages, its rubric and its reviewer panel.

Each view: fetch-or-deny (selectors) → bind and validate a form → one service → render/redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls import selectors, services, services_setup, services_stages
from oncoreach.calls.enums import ApplicationStatus
from oncoreach.calls.forms import EligibilityOverrideForm
from oncoreach.calls.forms_setup import (
    CallSetupForm,
    CriterionForm,
    MoveCriterionForm,
    PanelPersonForm,
    PanelSearchForm,
    StageForm,
)
from oncoreach.calls.permissions import can_invite_to_next_stage, can_override_eligibility
from oncoreach.calls.rubric_variants import variant_choices, variant_rubrics
from oncoreach.calls.stage_kinds import staff_links_for


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- The call ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_call_staff(user=request.user)
    form = CallSetupForm(request.POST if request.method == "POST" else None, initial={"time_zone": "UTC"})
    if request.method == "POST" and form.is_valid():
        try:
            call = services_setup.create_call(setup=form.setup(), kind=form.cleaned_data["kind"], actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The call is created. Add its rubric and its reviewers next."))
            return redirect("calls:staff-rubric", slug=call.slug)
    return render(request, "calls/staff_call_form.html", {"form": form, "call": None, "nav_section": "dashboard"})


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    initial = CallSetupForm.initial_for(services_setup.setup_for(call))
    form = CallSetupForm(request.POST if request.method == "POST" else None, initial=initial, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services_setup.update_call(call=call, setup=form.setup(), actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("calls:staff-call-edit", slug=call.slug)
    context = {
        "form": form,
        "call": call,
        "form_locked": selectors.form_is_locked(call=call),
        "stages_locked": selectors.stages_are_locked(call=call),
        "nav_section": "dashboard",
    }
    return render(request, "calls/staff_call_form.html", context)


# --- The stages -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def stages(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The call's stages in order, each with what may still change; POST adds one."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    add_form = StageForm(request.POST if request.method == "POST" else None, call=call, prefix="new")
    if request.method == "POST" and add_form.is_valid():
        try:
            stage = services_stages.add_stage(call=call, setup=add_form.setup(), actor=request.user)
        except ValidationError as exc:
            _add_errors(add_form, exc)
        else:
            messages.success(request, _("The stage “%(name)s” is added.") % {"name": stage.name})
            return redirect("calls:staff-stages", slug=call.slug)
    rows = list(selectors.stages_with_use(call=call))
    choices = StageForm.form_choices()
    for stage in rows:
        stage.call = call  # the forms read the call's zone
        # The pages apps above calls add for this stage (awards: interviews, decisions).
        stage.staff_links = staff_links_for(stage)  # type: ignore[attr-defined]
    context = {
        "call": call,
        "rows": [(stage, StageForm.for_stage(stage, form_choices=choices)) for stage in rows],
        "add_form": add_form,
        "nav_section": "dashboard",
    }
    return render(request, "calls/staff_stages.html", context)


def _stage_refused(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def stage_update(request: AuthenticatedHttpRequest, slug: str, key: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    stage = selectors.get_stage_for_staff(user=request.user, call=call, key=key)
    form = StageForm(request.POST, call=call, editing=True, prefix=f"s{stage.pk}")
    if not form.is_valid():
        messages.error(request, _("The stage is not saved: %(errors)s") % {"errors": _form_errors(form)})
        return redirect("calls:staff-stages", slug=call.slug)
    try:
        services_stages.update_stage(call=call, key=stage.key, setup=form.setup(stage.key), actor=request.user)
    except ValidationError as exc:
        _stage_refused(request, exc)
    else:
        messages.success(request, _("The stage “%(name)s” is saved.") % {"name": form.cleaned_data["name"]})
    return redirect("calls:staff-stages", slug=call.slug)


@login_required
@require_POST
def stage_move(request: AuthenticatedHttpRequest, slug: str, key: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    stage = selectors.get_stage_for_staff(user=request.user, call=call, key=key)
    form = MoveCriterionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether to move the stage up or down."))
        return redirect("calls:staff-stages", slug=call.slug)
    try:
        up = form.cleaned_data["direction"] == "up"
        services_stages.move_stage(call=call, key=stage.key, up=up, actor=request.user)
    except ValidationError as exc:
        _stage_refused(request, exc)
    return redirect("calls:staff-stages", slug=call.slug)


@login_required
@require_POST
def stage_remove(request: AuthenticatedHttpRequest, slug: str, key: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    stage = selectors.get_stage_for_staff(user=request.user, call=call, key=key)
    try:
        services_stages.remove_stage(call=call, key=stage.key, actor=request.user)
    except ValidationError as exc:
        _stage_refused(request, exc)
    else:
        messages.success(request, _("The stage “%(name)s” is removed.") % {"name": stage.name})
    return redirect("calls:staff-stages", slug=call.slug)


# --- The rubric -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rubric(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """A stage's criteria in order (``?stage=key``; the first review stage by default), each
    editable while reviewing of that stage has not started; POST adds one."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    review_stages = [stage for stage in call.stage_list if stage.takes_reviews]
    stage = call.stage_by_key(request.GET.get("stage", "")) or (review_stages[0] if review_stages else None)
    if stage is None or not stage.takes_reviews:
        messages.error(request, _("This call has no review stage, so no rubric."))
        return redirect("calls:staff-call-edit", slug=call.slug)
    variants = variant_choices(call)
    add_form = CriterionForm(request.POST if request.method == "POST" else None, prefix="new", variants=variants)
    if request.method == "POST" and add_form.is_valid():
        try:
            services_setup.add_criterion(call=call, setup=add_form.setup(), actor=request.user, stage=stage)
        except ValidationError as exc:
            _add_errors(add_form, exc)
        else:
            messages.success(request, _("The criterion is added."))
            return _rubric_url(stage)
    criteria = selectors.criteria_for_stage(stage=stage)
    labels = dict(variants)
    context = {
        "call": call,
        "stage": stage,
        "review_stages": review_stages,
        "rows": [
            (
                criterion,
                CriterionForm.for_criterion(criterion, variants=variants),
                labels.get(criterion.variant, criterion.variant),
            )
            for criterion in criteria
        ],
        "add_form": add_form,
        "locked": selectors.reviewing_started(stage=stage),
        "variant_rubrics": variant_rubrics(criteria, variants),
        "nav_section": "dashboard",
    }
    return render(request, "calls/staff_rubric.html", context)


def _rubric_url(stage: Any) -> HttpResponse:
    return redirect(reverse("calls:staff-rubric", kwargs={"slug": stage.call.slug}) + f"?stage={stage.key}")


def _back_to_rubric(criterion: Any) -> HttpResponse:
    return _rubric_url(criterion.stage)


@login_required
@require_POST
def criterion_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.get_criterion_for_staff(user=request.user, pk=pk)
    form = CriterionForm.for_criterion(criterion, variants=variant_choices(criterion.stage.call), data=request.POST)
    if not form.is_valid():
        messages.error(request, _("The criterion is not saved: %(errors)s") % {"errors": _form_errors(form)})
        return _back_to_rubric(criterion)
    try:
        services_setup.update_criterion(criterion=criterion, setup=form.setup(), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The criterion is saved."))
    return _back_to_rubric(criterion)


def _form_errors(form: Any) -> str:
    return " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


@login_required
@require_POST
def criterion_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.get_criterion_for_staff(user=request.user, pk=pk)
    try:
        services_setup.remove_criterion(criterion=criterion, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The criterion “%(name)s” is removed.") % {"name": criterion.name})
    return _back_to_rubric(criterion)


@login_required
@require_POST
def criterion_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.get_criterion_for_staff(user=request.user, pk=pk)
    form = MoveCriterionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether to move the criterion up or down."))
        return _back_to_rubric(criterion)
    try:
        services_setup.move_criterion(
            criterion=criterion, up=form.cleaned_data["direction"] == "up", actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back_to_rubric(criterion)


# --- The reviewer panel -----------------------------------------------------------------------


@login_required
def panel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Who reviews in this call, their load and conflicts; a search to add people."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    search_form = PanelSearchForm(request.GET or None)
    query = search_form.query()
    context = {
        "call": call,
        "members": selectors.panel_for_staff(user=request.user, call=call),
        "reviews_per_application": getattr(call.first_review_stage, "reviews_per_application", 0),
        "search_form": search_form,
        "query": query,
        "candidates": selectors.panel_candidates(user=request.user, call=call, query=query),
        "search_limit": selectors.PANEL_SEARCH_LIMIT,
        "nav_section": "dashboard",
    }
    return render(request, "calls/staff_panel.html", context)


def _panel_person(request: AuthenticatedHttpRequest) -> Any:
    form = PanelPersonForm(request.POST)
    if not form.is_valid():
        return None
    return selectors.get_panel_person(user=request.user, pk=form.cleaned_data["person"])


@login_required
@require_POST
def panel_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    person = _panel_person(request)
    if person is None:
        messages.error(request, _("Choose a person to add."))
        return redirect("calls:staff-panel", slug=call.slug)
    try:
        services_setup.add_panel_reviewer(call=call, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is on the panel.") % {"name": person})
    return redirect("calls:staff-panel", slug=call.slug)


@login_required
@require_POST
def panel_remove(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    person = _panel_person(request)
    if person is None:
        messages.error(request, _("Choose a person to remove."))
        return redirect("calls:staff-panel", slug=call.slug)
    try:
        withdrawn = services_setup.remove_panel_reviewer(call=call, person=person, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        message = (
            ngettext(
                "%(name)s is off the panel; %(count)s open review request was withdrawn.",
                "%(name)s is off the panel; %(count)s open review requests were withdrawn.",
                withdrawn,
            )
            if withdrawn
            else _("%(name)s is off the panel.")
        )
        messages.success(request, message % {"name": person, "count": withdrawn})
    return redirect("calls:staff-panel", slug=call.slug)


# --- An application's eligibility and stage ---------------------------------------------------


@login_required
@require_POST
def override_eligibility(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff overturn the eligibility verdict (eligible ↔ ineligible) with a recorded reason."""
    application = selectors.get_application_for_staff(user=request.user, pk=pk)
    if not can_override_eligibility(request.user, application):
        raise PermissionDenied
    form = EligibilityOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_eligibility(
                application=application,
                eligible=application.status == ApplicationStatus.INELIGIBLE,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except (ValidationError, services.TransitionNotAllowed) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("The eligibility verdict is overridden; the reason is recorded."))
    else:
        messages.error(request, _("Please give the reason for the override."))
    return redirect("calls:staff-application-detail", pk=application.pk)


@login_required
@require_POST
def advance_application(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff invite an application to the call's next submission stage (a full application after
    a letter of intent); the applicant gets an empty draft of that stage's form."""
    application = selectors.get_application_for_staff(user=request.user, pk=pk)
    if not can_invite_to_next_stage(request.user, application):
        raise PermissionDenied
    try:
        services.advance_application(application=application, actor=request.user)
    except services.TransitionNotAllowed:
        messages.error(request, _("This application cannot move on to the next stage now."))
    else:
        messages.success(request, _("The applicant is invited to the next stage."))
    return redirect("calls:staff-application-detail", pk=application.pk)


@login_required
@require_POST
def application_recheck(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The applicant asks for their eligibility to be judged again after completing their
    profile (only when the verdict was for missing data). Applicants' page, kept here with the
    other eligibility view."""
    application = selectors.get_own_application(user=request.user, pk=pk)
    try:
        services.recheck_eligibility(application=application, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.TransitionNotAllowed:
        messages.error(request, _("This application is not waiting for missing information."))
    else:
        if application.status == ApplicationStatus.ELIGIBLE:
            messages.success(request, _("Thank you: your application is now eligible."))
        else:
            messages.error(request, _("Your application is still not eligible; see why below."))
    return redirect("calls:application-detail", pk=application.pk)
