"""Upload and confirmation forms for the World Bank classification import."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoreach.geo.fiscal import parse_fiscal_year
from oncoreach.geo.worldbank import MAX_FILE_BYTES


class ClassificationUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("World Bank file"),
        help_text=gettext_lazy("CLASS.xlsx (one fiscal year) or OGHIST.xlsx (every year), as downloaded."),
    )
    fiscal_year = forms.CharField(
        label=gettext_lazy("Fiscal year (optional)"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Only needed when a CLASS.xlsx file does not state it, for example FY2027."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                _("This file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_FILE_BYTES)},
                code="too_large",
            )
        return upload

    def clean_fiscal_year(self) -> int | None:
        value = self.cleaned_data["fiscal_year"].strip()
        return parse_fiscal_year(value) if value else None


class ConfirmImportForm(forms.Form):
    """Carries the previewed file (by its sha256) from the preview page to the real import."""

    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    fiscal_year = forms.IntegerField(required=False, min_value=1970, max_value=2100, widget=forms.HiddenInput)
