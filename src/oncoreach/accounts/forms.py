"""Sign-in and password forms: Django's own, with our wording and the recipient's language."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from oncoreach.accounts.models import User
from oncoreach.accounts.services import confirm_user_email
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email

RESET_EMAIL_WINDOW_SECONDS = 10 * 60


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form (it passes ``request`` to ``authenticate``, which django-axes needs),
    labelled for e-mail, refusing accounts whose address is not confirmed yet."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("That e-mail address and password do not match an account. Passwords are case-sensitive."),
        "unconfirmed": _("Please confirm your e-mail address first: open the link we sent you."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.fields["password"].label = _("Password")

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    self.error_messages["unconfirmed"],
                    reverse("people:resend-confirmation"),
                    _("Send the link again"),
                ),
                code="unconfirmed",
            )


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset link through the outbox, in the account's language, with a link built from
    SITE_URL rather than the request's Host header."""

    def send_mail(  # noqa: PLR0917 — Django calls it with this signature
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user: User = context["user"]
        language = user.preferred_language or settings.LANGUAGE_CODE
        reset_url = absolute_reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
            language=language,
        )
        # One mail per account and ten minutes, however often the form is sent: the link in the
        # first one still works, and a flood stays bounded even when the rate limit cannot count.
        window = int(timezone.now().timestamp()) // RESET_EMAIL_WINDOW_SECONDS
        queue_email(
            event_key=f"accounts.password-reset:{context['uid']}:{window}",
            to=to_email,
            template="accounts/email/password_reset",
            context={"name": user.get_short_name(), "reset_url": reset_url},
            language=language,
        )


class ConfirmingSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Setting a password from an e-mailed reset link also proves the e-mail address."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            confirm_user_email(user=user, via="password-reset")
        return user


class ViewAsForm(forms.Form):
    """The reason an administrator gives before viewing the site as someone (kept in the audit log)."""

    reason = forms.CharField(
        label=_("Why do you need to see the site as this person?"),
        help_text=_("For example: “She cannot find her certificate (support request 1234)”. Kept in the audit log."),
        min_length=10,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"min_length": _("Please say why in a few words (at least %(limit_value)d characters).")},
    )

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data["reason"].split())
