"""Staff pages for cohort messages: templates, compose (count, preview, send), sent messages."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.htmx import is_htmx
from oncoreach.core.pagination import paginate
from oncoreach.messaging import selectors, services
from oncoreach.messaging.forms import CohortForm, TemplateForm
from oncoreach.messaging.permissions import get_message_for_staff, get_template_for_staff, require_messaging_staff


@login_required
@require_GET
def message_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_messaging_staff(user=request.user)
    context = {"nav_section": "staff", "page": paginate(request, selectors.sent_messages(), per_page=25)}
    return render(request, "messaging/message_list.html", context)


@login_required
@require_GET
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_messaging_staff(user=request.user)
    context = {"nav_section": "staff", "page": paginate(request, selectors.message_templates(), per_page=50)}
    return render(request, "messaging/template_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    template = get_template_for_staff(user=request.user, pk=pk) if pk else None
    require_messaging_staff(user=request.user)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        subjects, bodies = form.texts()
        try:
            services.save_template(
                actor=request.user,
                name=form.cleaned_data["name"],
                subjects=subjects,
                bodies=bodies,
                template=template,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("messaging:template-list")
    context = {"nav_section": "staff", "form": form, "template": template, "placeholders": form.placeholders()}
    return render(request, "messaging/template_form.html", context)


def _compose_context(request: AuthenticatedHttpRequest, form: CohortForm, action: str) -> dict[str, Any]:
    """Count the cohort, and for a preview render the message for the person picked."""
    today = timezone.localdate()
    context: dict[str, Any] = {}
    criteria = form.criteria()
    context["count"] = selectors.count_cohort(criteria, today=today)
    if action == "preview" and context["count"].matched:
        choices = selectors.preview_choices(criteria, today=today)
        picked = form.cleaned_data.get("preview_person")
        person = next((p for p in choices if p.pk == picked), choices[0])
        context["preview_choices"], context["preview_for"] = choices, person
        context["preview"] = services.preview_message(
            template=form.cleaned_data["template"],
            person=person,
            language=form.cleaned_data.get("preview_language") or "",
            names=form.names(),
        )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One form: "Count" and "Preview" show who it reaches and what they read; "Send" sends."""
    require_messaging_staff(user=request.user)
    form = CohortForm(request.POST or None)
    action = request.POST.get("action", "count")
    context: dict[str, Any] = {"nav_section": "staff", "form": form}
    if request.method == "POST" and form.is_valid():
        if action == "send":
            try:
                message, created = services.send_cohort_message(
                    actor=request.user,
                    template=form.cleaned_data["template"],
                    criteria=form.criteria(),
                    names=form.names(),
                    submission_token=form.cleaned_data["submission_token"],
                    today=timezone.localdate(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if created:
                    messages.success(request, _("The message is being queued for its recipients."))
                return redirect("messaging:message-detail", pk=message.pk)
        if not form.errors:
            context.update(_compose_context(request, form, action))
    template = "messaging/compose.html#count" if is_htmx(request) else "messaging/compose.html"
    return render(request, template, context)


@login_required
@require_GET
def message_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    message = get_message_for_staff(user=request.user, pk=pk)
    context = {
        "nav_section": "staff",
        "message": message,
        "run": message.run,
        "page": paginate(request, selectors.recipients_of(message=message), per_page=50),
    }
    template = "messaging/message_detail.html#progress" if is_htmx(request) else "messaging/message_detail.html"
    return render(request, template, context)


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def message_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The recipients and their delivery, as CSV."""
    message = get_message_for_staff(user=request.user, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}-recipients.csv"'
    writer = csv.writer(response)
    writer.writerow(["person_id", "name", "email", "language", "outcome", "delivery", "attempts", "sent_at", "error"])
    for row in selectors.recipients_of(message=message).iterator(chunk_size=2000):
        mail = row.outbox
        name = "'" + row.name if row.name[:1] in ("=", "+", "-", "@") else row.name
        writer.writerow(
            [
                row.person_id or "",
                name,
                row.email,
                row.language,
                row.outcome,
                mail.status if mail else "",
                mail.attempts if mail else "",
                mail.sent_at.isoformat() if mail and mail.sent_at else "",
                mail.last_error if mail else "",
            ]
        )
    return response
