"""Signing in with the society's account: mozilla-django-oidc's two views, with our checks and
pages. Mounted without a language prefix (``/sso/``) because the provider must be given one fixed
redirect URI; pages still speak the reader's language (Accept-Language)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from oncoreach.accounts.permissions import is_viewing_as
from oncoreach.people.enums import SIGN_IN_PROBLEM_EXPLANATIONS, SignInProblem
from oncoreach.people.oidc import OUTCOME_ATTRIBUTE, callback_url, oidc_enabled, provider_configuration
from oncoreach.people.services_sso import SocietySignIn, SocietySignInError

STATUS_FOR_PROBLEM = {
    SignInProblem.CANCELLED: 200,
    SignInProblem.EMAIL_MISSING: 403,
    SignInProblem.EMAIL_UNVERIFIED: 403,
    SignInProblem.ALREADY_LINKED: 403,
    SignInProblem.ACCOUNT_INACTIVE: 403,
    SignInProblem.PROVIDER_ERROR: 502,
    SignInProblem.PROVIDER_UNAVAILABLE: 503,
}


def sign_in_problem(request: HttpRequest, problem: SignInProblem) -> HttpResponse:
    """The page for one refused sign-in: what happened, that nothing changed, what to do."""
    society = settings.SOCIETY["short_name"]
    context = {
        "problem": problem.value,
        "title": problem.label,
        "explanation": SIGN_IN_PROBLEM_EXPLANATIONS[problem] % {"society": society},
        "can_retry": problem not in {SignInProblem.ALREADY_LINKED, SignInProblem.ACCOUNT_INACTIVE},
    }
    return render(request, "people/sso_problem.html", context, status=STATUS_FOR_PROBLEM.get(problem, 400))


def _refuse_while_viewing_as(request: HttpRequest) -> HttpResponse | None:
    """Signing in (as anyone) would end a "view as" session without its audit row."""
    if is_viewing_as(getattr(request, "session", None)):
        return render(request, "accounts/view_as_read_only.html", status=403)
    return None


class SocietySignInStart(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the browser to the society's authorization endpoint with a fresh state, nonce and PKCE
    challenge (kept in the session by the library)."""

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library reads the endpoint here; ours is discovered on use
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_OP_AUTH_ENDPOINT(self) -> str:  # noqa: N802 — the library's attribute name
        return str(provider_configuration()["authorization_endpoint"])

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        if refusal := _refuse_while_viewing_as(request):
            return refusal
        try:
            response: HttpResponse = super().get(request)
        except SocietySignInError as exc:
            return sign_in_problem(request, exc.problem)
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {"redirect_uri": callback_url(), "ui_locales": request.LANGUAGE_CODE}


class SocietySignInCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider sends the browser back here with a code and the state we gave it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        if refusal := _refuse_while_viewing_as(request):
            return refusal
        if request.GET.get("error"):
            super().get(request)  # forgets the state; signs nobody in
            cancelled = request.GET["error"] == "access_denied"
            return sign_in_problem(request, SignInProblem.CANCELLED if cancelled else SignInProblem.PROVIDER_ERROR)
        state = request.GET.get("state", "")
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            return sign_in_problem(request, SignInProblem.WRONG_STATE)
        try:
            response: HttpResponse = super().get(request)
        except SocietySignInError as exc:
            return sign_in_problem(request, exc.problem)
        return response

    def login_failure(self) -> HttpResponse:
        return sign_in_problem(self.request, SignInProblem.FAILED)

    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        outcome: SocietySignIn | None = getattr(self.request, OUTCOME_ATTRIBUTE, None)
        if outcome is None:
            return response
        society = settings.SOCIETY["short_name"]
        if outcome.email_updated_to:
            messages.info(
                self.request,
                _("Your e-mail address here is now %(email)s, as in your %(society)s account.")
                % {"email": outcome.email_updated_to, "society": society},
            )
        elif outcome.email_not_used_reason == "unverified":
            messages.warning(
                self.request,
                _(
                    "Your %(society)s account has a new e-mail address (%(email)s) that is not verified yet, "
                    "so we kept %(current)s here."
                )
                % {"society": society, "email": outcome.email_not_used, "current": outcome.user.email},
            )
        elif outcome.email_not_used_reason == "taken":
            messages.warning(
                self.request,
                _(
                    "Your %(society)s account has a new e-mail address (%(email)s) that another account here "
                    "already uses, so we kept %(current)s. Please contact us to sort it out."
                )
                % {"society": society, "email": outcome.email_not_used, "current": outcome.user.email},
            )
        if outcome.created:
            messages.success(
                self.request,
                _("Welcome! Your %(society)s account is linked. Please complete your profile.") % {"society": society},
            )
            return redirect("people:profile-edit")
        if outcome.linked:
            messages.success(
                self.request,
                _("Your %(society)s account is now linked to your account here.") % {"society": society},
            )
        return response


society_sign_in_start = SocietySignInStart.as_view()
society_sign_in_callback = SocietySignInCallback.as_view()
