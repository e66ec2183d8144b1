"""The program catalogue. Names are data, so any society can name its own programs."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoreach.core.files import random_upload_name
from oncoreach.programs.enums import ProgramKind, QuestionKind, UploadType


class Program(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ProgramKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


class Cycle(models.Model):
    """One year (or round) of a program; eligibility is judged as of its reference date."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    reference_date = models.DateField(_("eligibility reference date"), default=dt.date.today)

    class Meta:
        ordering = ["program", "-year"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="cycle_name_unique_per_program")]
        verbose_name = _("cycle")

    def __str__(self) -> str:
        return f"{self.program} {self.name}"


# --- The question/answer engine (calls, registrations and surveys all use it) ---------------


def _default_upload_types() -> list[str]:
    return [UploadType.PDF.value]


class FormDefinition(models.Model):
    """A set of questions staff put together once and attach to a call, registration or survey."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For choice questions: a list of ["value", "label"] pairs or plain labels.'),
    )
    max_words = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    max_chars = models.PositiveIntegerField(_("character limit"), null=True, blank=True)
    max_file_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=5)
    allowed_upload_types = models.JSONField(
        _("accepted file types"),
        default=_default_upload_types,
        blank=True,
        help_text=_('For file questions: "pdf" and/or "image".'),
    )

    class Meta:
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "order"], name="question_order_unique_per_form")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def field_name(self) -> str:
        """The form field's name: stable for the question's life, so drafts map back to it."""
        return f"q{self.pk}"

    @property
    def choice_pairs(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for item in self.choices or []:
            if isinstance(item, list | tuple) and len(item) == 2:
                pairs.append((str(item[0]), str(item[1])))
            else:
                pairs.append((str(item), str(item)))
        return pairs


def answer_upload_to(instance: Answer, filename: str) -> str:
    """A random name (``Answer.file_name`` keeps the person's)."""
    return random_upload_name(f"forms/{instance.response_set.form_id}/{instance.response_set_id}", filename)


class ResponseSet(models.Model):
    """One person's answers to one form; ``submitted_at`` stays empty while it is a draft."""

    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="response_sets")
    respondent = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="response_sets", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response set")

    def __str__(self) -> str:
        return f"{self.form} — {self.respondent}"


class Answer(models.Model):
    response_set = models.ForeignKey(ResponseSet, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    file = models.FileField(upload_to=answer_upload_to, blank=True, max_length=300)
    # The name the file had on the person's computer: shown, and given to downloads. The file
    # itself is stored under a random name.
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response_set", "question"], name="one_answer_per_question")]
        verbose_name = _("answer")

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
