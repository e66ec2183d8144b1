from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoreach.travel.enums import TripStatus


class TripStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move the trip to"), choices=TripStatus.choices)
