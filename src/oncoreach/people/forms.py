"""Input parsing for sign-up, profiles, affiliations, inquiries, the staff filters and the
membership upload."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from oncoreach.accounts.models import User
from oncoreach.geo.models import Country
from oncoreach.people.enums import (
    BIO_MAX_LENGTH,
    LANGUAGE_CHOICES,
    SITE_LANGUAGE_CHOICES,
    CareerStage,
    InquiryTopic,
    MembershipStatus,
    Specialty,
)
from oncoreach.people.membership_csv import MAX_FILE_BYTES as MEMBERSHIP_FILE_MAX_BYTES
from oncoreach.people.models import Organization, Person
from oncoreach.people.validators import parse_time_zone, validate_birth_year, validate_doi, validate_orcid


def _countries() -> Any:
    return Country.objects.order_by("name")


def _blank(label: str | Promise, choices: Any = ()) -> list[tuple[str, Any]]:
    """A "nothing chosen" option, then the given choices."""
    return [("", label), *choices]


def _language_choices() -> list[tuple[str, Any]]:
    """Languages in alphabetical order of their names in the reader's language."""
    return sorted(LANGUAGE_CHOICES, key=lambda choice: str(choice[1]))


def _password_help() -> str:
    """The password rules in the reader's language (read when the page renders, not at import)."""
    return " ".join(str(text) for text in password_validators_help_texts())


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to this address; you can sign in once you have opened it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    given_name = forms.CharField(
        label=_("Given name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    family_name = forms.CharField(
        label=_("Family name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(_password_help, str)(),
    )
    country_of_practice = forms.ModelChoiceField(
        label=_("Country where you practise"), queryset=_countries(), empty_label=_("Choose a country")
    )
    consent = forms.BooleanField(
        label=_("I agree that the society stores my profile to run its international programs."),
        help_text=_("You can download your data or ask us to delete it at any time."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            name = f"{cleaned.get('given_name', '')} {cleaned.get('family_name', '')}".strip()
            try:
                validate_password(password, user=User(email=cleaned.get("email", ""), display_name=name))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class OrganizationChoiceMixin(forms.Form):
    """Pick an existing organization or type a new one (created in the country of practice)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.select_related("country").order_by("name", "city"),
        required=False,
        empty_label=_("Not in the list / no change"),
    )
    new_organization_name = forms.CharField(
        label=_("Or the name of an organization not in the list"), max_length=255, required=False
    )
    new_organization_city = forms.CharField(label=_("City of that organization"), max_length=120, required=False)

    def __init__(self, *args: Any, organization_country: Country | None = None, **kwargs: Any) -> None:
        """With a country, offer only that country's organizations: the full list runs to
        thousands and would make the page heavy on slow connections."""
        super().__init__(*args, **kwargs)
        if organization_country is not None:
            field = self.fields["organization"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Organization.objects.select_related("country").filter(country=organization_country)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("organization") and cleaned.get("new_organization_name"):
            self.add_error(
                "new_organization_name", _("Choose an organization from the list or type a new one, not both.")
            )
        if cleaned.get("new_organization_city") and not cleaned.get("new_organization_name"):
            self.add_error("new_organization_name", _("Type the organization's name as well as its city."))
        return cleaned


class ProfileForm(OrganizationChoiceMixin):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    passport_name = forms.CharField(
        label=_("Name as in your passport"),
        max_length=200,
        required=False,
        help_text=_("Used exactly as written on visa letters and certificates."),
    )
    country_of_practice = forms.ModelChoiceField(
        label=_("Country where you practise"), queryset=_countries(), required=False
    )
    country_of_residence = forms.ModelChoiceField(
        label=_("Country where you live"), queryset=_countries(), required=False
    )
    specialty = forms.ChoiceField(label=_("Specialty"), choices=_blank("—", Specialty.choices), required=False)
    career_stage = forms.ChoiceField(label=_("Career stage"), choices=_blank("—", CareerStage.choices), required=False)
    training_completed_year = forms.IntegerField(
        label=_("Year your training ended"), min_value=1950, max_value=2100, required=False
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        validators=[validate_birth_year],
        help_text=_("Optional. It helps program staff tell apart two people with the same name."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=_language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Typed, not picked: a list of the ~600 zones alone weighed over 30 KB (the page budget is 50).
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        help_text=_(
            "Dates and meeting times are shown in this zone. Type its name, like America/Sao_Paulo, "
            "or just the city, like Nairobi."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    orcid = forms.CharField(
        label=_("ORCID iD"),
        max_length=19,
        required=False,
        validators=[validate_orcid],
        help_text=_("Like 0000-0002-1825-0097."),
    )
    bio = forms.CharField(
        label=_("Short biography"),
        max_length=BIO_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, up to %(limit)s characters.") % {"limit": BIO_MAX_LENGTH},
    )
    preferred_language = forms.ChoiceField(label=_("Language for e-mails and pages"), choices=SITE_LANGUAGE_CHOICES)

    field_order = [
        "given_name",
        "family_name",
        "passport_name",
        "country_of_practice",
        "country_of_residence",
        "organization",
        "new_organization_name",
        "new_organization_city",
        "specialty",
        "career_stage",
        "training_completed_year",
        "birth_year",
        "languages",
        "time_zone",
        "orcid",
        "bio",
        "preferred_language",
    ]

    def clean_orcid(self) -> str:
        return str(self.cleaned_data["orcid"]).strip().upper()

    def clean_time_zone(self) -> str:
        return parse_time_zone(str(self.cleaned_data["time_zone"]))

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        user = person.user
        return {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "passport_name": person.passport_name,
            "country_of_practice": person.country_of_practice_id,
            "country_of_residence": person.country_of_residence_id,
            "specialty": person.specialty,
            "career_stage": person.career_stage,
            "training_completed_year": person.training_completed_year,
            "birth_year": person.birth_year,
            "languages": person.languages,
            "time_zone": person.time_zone or (user.time_zone if user else ""),
            "orcid": person.orcid,
            "bio": person.bio,
            "preferred_language": user.preferred_language if user else "en",
        }


class AffiliationForm(OrganizationChoiceMixin):
    title = forms.CharField(label=_("Your position there"), max_length=150, required=False)
    start_year = forms.IntegerField(label=_("From (year)"), min_value=1950, max_value=2100, required=False)
    end_year = forms.IntegerField(
        label=_("Until (year)"),
        min_value=1950,
        max_value=2100,
        required=False,
        help_text=_("Leave empty if you are still there."),
    )

    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.select_related("country").order_by("name", "city"),
        required=False,
        empty_label=_("Not in the list"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("organization") and not cleaned.get("new_organization_name") and not self.errors:
            self.add_error("organization", _("Choose an organization or type the name of a new one."))
        return cleaned


class InquiryForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("Your e-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=_countries(), required=False, empty_label=_("Choose a country")
    )
    topic = forms.ChoiceField(label=_("I would like to"), choices=InquiryTopic.choices, widget=forms.RadioSelect)
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    # Spam trap: hidden from people (and from screen readers); bots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class PersonFilterForm(forms.Form):
    """GET filters of the staff people list (invalid values are ignored, not errors)."""

    q = forms.CharField(label=_("Name or e-mail"), required=False)
    country = forms.ModelChoiceField(
        label=_("Country of practice"),
        queryset=_countries(),
        to_field_name="iso3",
        required=False,
        empty_label=_("All countries"),
    )
    specialty = forms.ChoiceField(label=_("Specialty"), choices=_blank(_("All"), Specialty.choices), required=False)
    membership = forms.ChoiceField(
        label=_("Membership"), choices=_blank(_("All"), MembershipStatus.choices), required=False
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        country = self.cleaned_data.get("country")
        return {
            "search": self.cleaned_data.get("q", "").strip(),
            "country": country.iso3 if country else "",
            "specialty": self.cleaned_data.get("specialty", ""),
            "membership": self.cleaned_data.get("membership", ""),
        }


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, city or country"), required=False)

    def search(self) -> str:
        return str(self.cleaned_data.get("q", "")).strip() if self.is_valid() else ""


class InquiryFilterForm(forms.Form):
    """Which inquiries the staff list shows; open ones unless asked otherwise."""

    status = forms.ChoiceField(
        label=_("Show"),
        choices=[("open", _("Open")), ("handled", _("Handled")), ("all", _("All"))],
        required=False,
    )

    def status_value(self) -> str:
        return (self.cleaned_data.get("status") or "open") if self.is_valid() else "open"

    def handled(self) -> bool | None:
        return {"open": False, "handled": True}.get(self.status_value())


class InquiryHandledForm(forms.Form):
    handled = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
    status = forms.ChoiceField(choices=[("open", "open"), ("handled", "handled"), ("all", "all")], required=False)


class MembershipUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Membership export (CSV)"),
        help_text=_(
            "The society's export: columns member_number, email, category, valid_from, valid_until "
            "(and optionally given_name, family_name); dates as YYYY-MM-DD."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MEMBERSHIP_FILE_MAX_BYTES:
            raise forms.ValidationError(_("This file is larger than 10 MB."), code="too_large")
        return upload


class ConfirmMembershipImportForm(forms.Form):
    """Carries the previewed file (by its sha256) from the preview page to the real import."""

    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)


class PublicationForm(forms.Form):
    doi = forms.CharField(label=_("DOI"), max_length=255, help_text=_("For example 10.1200/JCO.2024.42.16_suppl.1"))
    title = forms.CharField(label=_("Title"), max_length=500)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)

    def clean_doi(self) -> str:
        value = str(self.cleaned_data["doi"])
        validate_doi(value)
        return value


class StaffNoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Seen by program staff only, never by the person."),
    )


class MergeForm(forms.Form):
    """For each field, keep the survivor's value or take the other record's."""

    def __init__(self, *args: Any, survivor: Any, other: Any, **kwargs: Any) -> None:
        from oncoreach.people.services_merge import MERGE_FIELDS

        super().__init__(*args, **kwargs)
        self.rows = []
        for name in MERGE_FIELDS:
            model_field = survivor._meta.get_field(name.removesuffix("_id"))
            self.fields[name] = forms.ChoiceField(
                label=model_field.verbose_name,
                choices=[("keep", _("keep")), ("take", _("take"))],
                initial="keep" if getattr(survivor, name) not in ("", None, []) else "take",
                widget=forms.RadioSelect,
            )
            self.rows.append((self[name], _display(survivor, model_field), _display(other, model_field)))

    def take_from_other(self) -> list[str]:
        return [name for name, choice in self.cleaned_data.items() if choice == "take"]


def _display(person: Any, model_field: Any) -> str:
    if model_field.choices:
        return str(getattr(person, f"get_{model_field.name}_display")()) or "—"
    value = getattr(person, model_field.name)
    if isinstance(value, list):
        return ", ".join(value) or "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value) if value not in ("", None) else "—"
