"""The guest author's story form: plain fields, checked here, written by ``stories.services``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.utils import parse_tags

from oncoreach.core.validators import validate_image_upload
from oncoreach.geo.models import Country
from oncoreach.programs.models import Program
from oncoreach.stories.selectors_authoring import ExistingImage
from oncoreach.stories.services import MAX_IMAGES, TEASER_MAX_LENGTH, GuestImage

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def initial_from_query(query: Mapping[str, Any]) -> dict[str, Any]:
    """A new story's fields chosen by the link that led here: ``?program=<id>`` (repeatable), as
    the mentoring and course invitations to write a story give it. Anything else is ignored."""
    getlist = getattr(query, "getlist", None)
    values = getlist("program") if getlist is not None else [query.get("program", "")]
    programs = [int(value) for value in values if str(value).isdigit()]
    return {"programs": programs} if programs else {}


class StoryForm(forms.Form):
    """Title, teaser, body as plain text, up to three pictures with alt text, tags, privacy check.

    ``existing_images`` (revision only) lists the pictures already in the story; the author may
    remove them, and new uploads count against the same limit of three.
    """

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=255)
    teaser = forms.CharField(
        label=_("Summary"),
        max_length=TEASER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One short paragraph shown in lists and feeds (at most 600 characters)."),
    )
    body = forms.CharField(
        label=_("Your story"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Plain text. Leave an empty line between paragraphs. Web addresses (https://…) become links; "
            'you may also write <a href="https://…">link text</a>.'
        ),
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("The countries the story is about. Hold Ctrl (or Cmd) to choose several."),
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Programs"),
        queryset=Program.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("The programs the story is about, if any. Hold Ctrl (or Cmd) to choose several."),
    )
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=500,
        help_text=_("Separate topics with commas, for example: palliative care, nursing, tumor boards."),
    )
    no_patient_identifiers = forms.BooleanField(
        label=_("My story and pictures contain no patient-identifiable details"),
        help_text=_(
            "No names, faces, dates, places or record numbers that could identify a patient. "
            "Photos of people need their consent."
        ),
    )

    def __init__(self, *args: Any, existing_images: Sequence[ExistingImage] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.existing_images = list(existing_images)
        if self.existing_images:
            self.fields["remove_images"] = forms.MultipleChoiceField(
                label=_("Remove pictures"),
                required=False,
                choices=[(image.block_id, image.alt_text) for image in self.existing_images],
                widget=forms.CheckboxSelectMultiple,
            )
        for number in range(1, MAX_IMAGES + 1):
            self.fields[f"image_{number}"] = forms.FileField(
                label=_("Picture %(number)d") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
                help_text=_("JPEG, PNG or WebP. Location data (GPS) is removed from photos when you send them."),
            )
            self.fields[f"image_{number}_alt"] = forms.CharField(
                label=_("Description of picture %(number)d (alternative text)") % {"number": number},
                required=False,
                max_length=250,
                help_text=_("Required with a picture: describe it for people who cannot see it."),
            )
            self.fields[f"image_{number}_caption"] = forms.CharField(
                label=_("Caption of picture %(number)d") % {"number": number}, required=False, max_length=300
            )
        if not self.is_bound and not self.initial.get("submission_token"):
            self.initial["submission_token"] = uuid.uuid4()

    def image_rows(self) -> list[dict[str, forms.BoundField]]:
        """The three picture field groups, for the template's fieldsets."""
        return [
            {
                "number": number,  # type: ignore[dict-item]
                "file": self[f"image_{number}"],
                "alt": self[f"image_{number}_alt"],
                "caption": self[f"image_{number}_caption"],
            }
            for number in range(1, MAX_IMAGES + 1)
        ]

    def clean_topics(self) -> list[str]:
        return [topic[:100] for topic in parse_tags(self.cleaned_data.get("topics") or "")]

    def _clean_image(self, number: int) -> None:
        upload = self.cleaned_data.get(f"image_{number}")
        alt = (self.cleaned_data.get(f"image_{number}_alt") or "").strip()
        if not upload:
            return
        try:
            validate_image_upload(upload)
        except ValidationError as error:
            self.add_error(f"image_{number}", error)
            return
        if not alt:
            self.add_error(
                f"image_{number}_alt", _("Describe this picture for people who cannot see it (alternative text).")
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number in range(1, MAX_IMAGES + 1):
            self._clean_image(number)
        kept = len(self.existing_images) - len(cleaned.get("remove_images") or [])
        new = len([number for number in range(1, MAX_IMAGES + 1) if cleaned.get(f"image_{number}")])
        if kept + new > MAX_IMAGES:
            raise ValidationError(
                _("A story can have at most %(max)d pictures. Remove one of the current pictures first.")
                % {"max": MAX_IMAGES}
            )
        if self.errors and any(self.files.get(f"image_{n}") for n in range(1, MAX_IMAGES + 1)):
            # Browsers cannot keep a chosen file across a failed submit.
            self.add_error(None, _("For your safety the browser forgets chosen pictures: please choose them again."))
        return cleaned

    def story_data(self) -> dict[str, Any]:
        """The cleaned fields the services take."""
        keys = ("submission_token", "title", "teaser", "body", "countries", "programs", "topics")
        data = {key: self.cleaned_data[key] for key in keys}
        data["no_patient_identifiers"] = self.cleaned_data["no_patient_identifiers"]
        return data

    def images(self) -> list[GuestImage]:
        return [
            GuestImage(
                file=self.cleaned_data[f"image_{number}"],
                alt_text=self.cleaned_data[f"image_{number}_alt"],
                caption=self.cleaned_data.get(f"image_{number}_caption") or "",
            )
            for number in range(1, MAX_IMAGES + 1)
            if self.cleaned_data.get(f"image_{number}")
        ]

    def removed_image_ids(self) -> list[str]:
        return list(self.cleaned_data.get("remove_images") or [])
