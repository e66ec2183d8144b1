"""The staff form builder: forms, their questions (with sections, groups, conditions,
translations and audiences), a preview as the applicant sees it, and the versions.

Each view: fetch-or-deny (selectors) → bind and validate a form → one service → render/redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.programs import selectors, services
from oncoreach.programs.enums import DEFAULT_AUDIENCES, Audience, QuestionKind
from oncoreach.programs.forms import FormDefinitionForm, PreviewAudienceForm, QuestionForm
from oncoreach.programs.forms_engine import build_form
from oncoreach.programs.models import FormDefinition
from oncoreach.programs.services.builder import SECTION_AUDIENCES


def _add_errors(form: Form, exc: ValidationError) -> None:
    """A service's refusal, shown at the field it is about (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def form_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    forms = selectors.forms_for_staff(user=request.user)
    return render(request, "programs/form_list.html", {"forms": forms, "nav_section": "dashboard"})


@login_required
@require_http_methods(["GET", "POST"])
def form_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_form_builder(user=request.user)
    form = FormDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_form(
                name=form.cleaned_data["name"], description=form.cleaned_data["description"], actor=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The form is created. Add its questions."))
            return redirect("programs:form-detail", pk=created.pk)
    return render(request, "programs/form_edit.html", {"form": form, "nav_section": "dashboard"})


@login_required
@require_http_methods(["GET", "POST"])
def form_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    initial = {"name": definition.name, "description": definition.description}
    form = FormDefinitionForm(request.POST or None, initial=initial, instance=definition)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_form(
                form=definition,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The form is saved."))
            return redirect("programs:form-detail", pk=definition.pk)
    return render(
        request, "programs/form_edit.html", {"form": form, "definition": definition, "nav_section": "dashboard"}
    )


@login_required
def form_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    versions = selectors.versions_for_form(form=definition)
    current = versions[0] if versions else None
    context = {
        "definition": definition,
        "current": current,
        "locked": bool(current and getattr(current, "submitted_count", 0)),
        "rows": selectors.builder_rows(version=current),
        "versions": versions,
        "nav_section": "dashboard",
    }
    return render(request, "programs/form_detail.html", context)


def _question_context(definition: FormDefinition, form: QuestionForm, **extra: Any) -> dict[str, Any]:
    return {"definition": definition, "form": form, "nav_section": "dashboard", **extra}


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    group_pk = request.POST.get("group") or request.GET.get("group") or ""
    if group_pk and not group_pk.isdigit():
        raise Http404
    group = selectors.get_question_for_staff(user=request.user, form=definition, pk=int(group_pk)) if group_pk else None
    if group is not None and group.kind != QuestionKind.GROUP:
        raise Http404
    items = selectors.questions_for(definition)
    kind = request.GET.get("kind", "")
    audiences = SECTION_AUDIENCES if kind == QuestionKind.SECTION else DEFAULT_AUDIENCES
    initial = {"audiences": list(audiences), "required": True, "kind": kind}
    form = QuestionForm(request.POST or None, items=items, is_column=group is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.save_question(form=definition, spec=form.spec, actor=request.user, parent=group)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("“%(question)s” is added.") % {"question": question.label})
            return redirect("programs:form-detail", pk=definition.pk)
    return render(request, "programs/question_form.html", _question_context(definition, form, group=group))


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    question = selectors.get_question_for_staff(user=request.user, form=definition, pk=question_pk)
    items = [item for item in selectors.questions_for(definition) if item.pk != question.pk]
    form = QuestionForm(
        request.POST or None,
        items=items,
        is_column=question.parent_id is not None,
        initial=QuestionForm.initial_for(question),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_question(form=definition, spec=form.spec, actor=request.user, question=question)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("“%(question)s” is saved.") % {"question": saved.label})
            return redirect("programs:form-detail", pk=definition.pk)
    return render(
        request,
        "programs/question_form.html",
        _question_context(definition, form, question=question, group=question.parent),
    )


@login_required
@require_POST
def question_move(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    question = selectors.get_question_for_staff(user=request.user, form=definition, pk=question_pk)
    try:
        services.move_question(question=question, direction=request.POST.get("direction", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("programs:form-detail", pk=definition.pk)


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    question = selectors.get_question_for_staff(user=request.user, form=definition, pk=question_pk)
    if request.method == "POST":
        try:
            services.delete_question(question=question, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("“%(question)s” is deleted.") % {"question": question.label})
        return redirect("programs:form-detail", pk=definition.pk)
    context = {"definition": definition, "question": question, "nav_section": "dashboard"}
    return render(request, "programs/question_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def form_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The form as the chosen audience fills it in; "Check my answers" validates, saves nothing."""
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    chooser = PreviewAudienceForm(request.GET or None)
    audience = chooser.cleaned_data.get("audience") if chooser.is_valid() else ""
    audience = audience or Audience.APPLICANT
    data = request.POST if request.method == "POST" else None
    form = build_form(definition, data=data, files=request.FILES or None, complete=True, audience=audience)
    checked = request.method == "POST" and form.is_valid()
    context = {
        "definition": definition,
        "form": form,
        "chooser": chooser,
        "audience": Audience(audience).label,
        "checked": checked,
        "nav_section": "dashboard",
    }
    return render(request, "programs/form_preview.html", context)


@login_required
def version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    definition = selectors.get_form_for_staff(user=request.user, pk=pk)
    version = selectors.get_version_for_staff(user=request.user, form=definition, number=number)
    current = selectors.current_version(definition)
    context = {
        "definition": definition,
        "version": version,
        "is_current": current is not None and current.pk == version.pk,
        "rows": selectors.builder_rows(version=version),
        "nav_section": "dashboard",
    }
    return render(request, "programs/version_detail.html", context)
