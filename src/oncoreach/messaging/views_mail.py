"""Pages for recipients: the one-click unsubscribe link (RFC 8058) and e-mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.messaging import selectors, services


@csrf_exempt  # RFC 8058: the mail client POSTs without a form of ours; the signed token is the check
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button (a link scanner must not unsubscribe anyone); POST: unsubscribe,
    from that button or from the mail client's one-click request, without signing in."""
    try:
        person, message_id = services.person_for_token(token=token)
    except ValidationError as exc:
        return render(request, "messaging/unsubscribe.html", {"error": " ".join(exc.messages)}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe(person=person, message_id=message_id)
        done = True
    return render(
        request, "messaging/unsubscribe.html", {"done": done, "already": selectors.is_unsubscribed(person=person)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's own choice: cohort messages or not (transactional mail always comes)."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    if request.method == "POST":
        if request.POST.get("subscribe") == "1":
            services.resubscribe(person=person, actor=request.user)
            messages.success(request, _("You will receive program messages again."))
        else:
            services.unsubscribe(person=person, actor=request.user)
            messages.success(request, _("You will receive no more program messages."))
        return redirect("mail:preferences")
    return render(request, "messaging/preferences.html", {"unsubscribed": selectors.is_unsubscribed(person=person)})
