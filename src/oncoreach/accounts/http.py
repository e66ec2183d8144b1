"""Typed request for views behind @login_required (STYLE.md §5)."""

from django.http import HttpRequest

from oncoreach.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
