"""Sign-in, sign-out and passwords (Django's views with our templates and forms), and "view as"
(django-hijack's views behind our reason form, permission rule and audit trail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from hijack.views import AcquireUserView, ReleaseUserView

from oncoreach.accounts import services
from oncoreach.accounts.enums import VIEW_AS_SESSION_KEY
from oncoreach.accounts.forms import (
    ConfirmingSetPasswordForm,
    EmailAuthenticationForm,
    QueuedPasswordResetForm,
    ViewAsForm,
)
from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.accounts.models import User
from oncoreach.accounts.permissions import get_user_to_view_as, is_viewing_as
from oncoreach.accounts.throttle import TOO_MANY_EMAILS, email_link_allowed


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, limited per address and per client. Every well-formed request counts,
    for a registered address or not, and the refusal reads the same: it reveals no account."""

    def form_valid(self, form: Any) -> HttpResponse:
        if not email_link_allowed(self.request, scope="password-reset", address=form.cleaned_data["email"]):
            form.add_error(None, TOO_MANY_EMAILS)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response: HttpResponse = super().form_valid(form)
        return response


class LoginView(auth_views.LoginView):
    """Django's login view; the page also offers "Sign in with <society>" when single sign-on is
    configured (the local e-mail login stays for people who are not members)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["society_sign_in"] = bool(getattr(settings, "OIDC_ENABLED", False))
        return context


login = LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=EmailAuthenticationForm,
    redirect_authenticated_user=True,
)
# Django's LogoutView accepts POST only (the header's "Sign out" button posts).
logout = auth_views.LogoutView.as_view()
password_reset = ThrottledPasswordResetView.as_view(
    template_name="accounts/password_reset_form.html",
    form_class=QueuedPasswordResetForm,
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=ConfirmingSetPasswordForm,
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change_form.html",
    success_url=reverse_lazy("accounts:password-change-done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")


# --- View as (administrators only, read-only, audited) ------------------------------------------
# django-hijack switches the session; these views put our reason form, our permission rule and the
# audit rows around its two views, and its own URLs are not mounted, so there is no way around them.
_acquire = AcquireUserView.as_view()
_release = ReleaseUserView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def view_as_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    administrator = request.user
    target = get_user_to_view_as(user=administrator, pk=pk)
    form = ViewAsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        with transaction.atomic():
            posted = request.POST.copy()  # hijack's view reads the account from user_pk
            posted["user_pk"] = str(target.pk)
            request.POST = posted  # type: ignore[assignment]
            response = _acquire(request)
            if response.status_code != 302 or request.user.pk != target.pk:  # refused by hijack's own check
                transaction.set_rollback(True)
                return render(request, "accounts/view_as_form.html", {"form": form, "target": target}, status=403)
            event_id = services.record_view_as_started(administrator=administrator, target=target, reason=reason)
        request.session[VIEW_AS_SESSION_KEY] = {
            "reason": reason,
            "started_event_id": event_id,
            "administrator": administrator.get_full_name(),
        }
        return redirect("people:dashboard")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/view_as_form.html", {"form": form, "target": target}, status=status)


@login_required
@require_POST
def view_as_stop(request: HttpRequest) -> HttpResponse:
    """Back to the administrator's own account (the one action allowed while viewing as someone)."""
    if not is_viewing_as(request.session):
        return redirect("people:dashboard")
    target = request.user
    state = request.session.get(VIEW_AS_SESSION_KEY) or {}
    with transaction.atomic():
        response = _release(request)
        administrator = request.user
        if response.status_code != 302 or not isinstance(administrator, User) or administrator.pk == target.pk:
            transaction.set_rollback(True)
            return response
        services.record_view_as_ended(
            administrator=administrator,
            target=target,  # type: ignore[arg-type]
            reason=str(state.get("reason", "")),
            started_event_id=state.get("started_event_id"),
        )
    messages.info(request, _("You are signed in as yourself again."))
    return redirect("people:person-list")
