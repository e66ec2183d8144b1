"""End of term pages: each side's evaluation of a completed mentorship, and the mentor's
certificate of mentoring (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.mentoring import documents, selectors_term
from oncoreach.mentoring.services.evaluations import evaluation_form, save_evaluation
from oncoreach.programs.forms_engine import answers_for_display, answers_initial, build_form, raw_answers


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One side's evaluation: editable until its deadline, then shown as answered."""
    record = selectors_term.get_evaluation_for_user(user=request.user, mentorship_pk=pk)
    if record.frozen_at is not None:
        answers = answers_for_display(response_set=record.response_set) if record.response_set else []
        context = {"nav_section": "dashboard", "evaluation": record, "answers": answers, "form": None}
        return render(request, "mentoring/evaluation.html", context, status=400 if request.method == "POST" else 200)
    initial, _files = answers_initial(response_set=record.response_set)
    form = build_form(evaluation_form(), data=request.POST or None, initial=initial, complete=True)
    if request.method == "POST" and form.is_valid():
        try:
            save_evaluation(evaluation=record, values=raw_answers(form=form), actor=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: your evaluation is saved. You may change it until the deadline."))
            return redirect("mentoring:evaluation", pk=pk)
    context = {"nav_section": "dashboard", "evaluation": record, "form": form, "answers": []}
    return render(request, "mentoring/evaluation.html", context, status=400 if request.method == "POST" else 200)


@login_required
def certificate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The certificate of mentoring, for its mentor and program staff."""
    mentorship = selectors_term.get_mentorship_for_certificate(user=request.user, pk=pk)
    response = HttpResponse(documents.certificate_pdf(mentorship=mentorship), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mentoring-certificate-{mentorship.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
