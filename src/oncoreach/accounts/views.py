"""Sign-in, sign-out and passwords: Django's views with our templates and forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy

from oncoreach.accounts.forms import ConfirmingSetPasswordForm, EmailAuthenticationForm, QueuedPasswordResetForm
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


login = auth_views.LoginView.as_view(
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
