"""The form to make a personal access token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoreach.api.scopes import scope_choices
from oncoreach.api.services import LIFETIME_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “Monthly report to the board”.")
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=scope_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give a token only the scopes its job needs."),
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        choices=[(days, _("%(days)s days") % {"days": days}) for days in LIFETIME_DAYS],
    )
