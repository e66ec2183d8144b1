"""Staff page for the e-mail outbox: mail that failed for good, with a requeue action, and an
alert when mail waits longer than OUTBOX_ALERT_MINUTES (our own UI, not the Django admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oncoreach.core import selectors, services
from oncoreach.core.pagination import paginate
from oncoreach.core.permissions import get_failed_email_for_staff, require_outbox_staff


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    require_outbox_staff(user=request.user)
    context = {
        "nav_section": "staff",
        "health": selectors.outbox_health(),
        "page": paginate(request, selectors.failed_emails(), per_page=50),
    }
    return render(request, "core/outbox.html", context)


@login_required
@require_POST
def outbox_requeue(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_failed_email_for_staff(user=request.user, pk=pk)
    try:
        services.requeue_failed_email(mail=mail, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The e-mail to %(to)s is queued again.") % {"to": mail.to})
    return redirect("core:outbox")
