"""The API tokens page (program staff): make, list and revoke one's own personal access tokens;
and the error-shaped 404 for paths under /api/ that name no endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.api import selectors, services
from oncoreach.api.forms import TokenForm
from oncoreach.api.handlers import STATUS_CODES, error_response
from oncoreach.api.scopes import SCOPES


def _page(request: AuthenticatedHttpRequest, form: TokenForm, *, secret: str = "", status: int = 200) -> HttpResponse:
    context = {
        "nav_section": "staff",
        "form": form,
        "tokens": selectors.tokens_for_user(user=request.user),
        "scope_labels": SCOPES,
        "secret": secret,
    }
    response = render(request, "api/token_list.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # the page may show a token once
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_token_manager(user=request.user)
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        issued = services.create_token(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            lifetime_days=form.cleaned_data["lifetime_days"],
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _page(request, form, status=400)
    return _page(request, TokenForm(), secret=issued.secret, status=201)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = selectors.get_own_token(user=request.user, pk=pk)
    services.revoke_token(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” is revoked; it stops working at once.") % {"name": token.name})
    return redirect("api:token-list")


def not_found(request: HttpRequest) -> HttpResponse:
    code, message = STATUS_CODES[404]
    return error_response(request, 404, code, message)
