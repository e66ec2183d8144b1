"""The program catalogue. Names are data, so any society can name its own programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from oncoreach.core.files import random_upload_name
from oncoreach.programs.enums import DEFAULT_AUDIENCES, ProgramKind, QuestionKind, UploadType


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
        # Cycles are usually named after their program ("Palliative Care Workshop 2027"): say it once.
        program = str(self.program)
        return self.name if self.name.startswith(program) else f"{program} {self.name}"


# --- The question/answer engine (calls, registrations and surveys all use it) ---------------
#
# A FormDefinition is the form staff name and attach; its questions belong to a FormVersion.
# Editing a form whose current version already has a submitted response makes a new version
# (see services/builder.py), so a submitted response always points at the questions it answered.
# Each answer also keeps the question's key, text and choice labels as shown, so rewording or
# deleting a question never changes or loses an answer.


def _default_upload_types() -> list[str]:
    return [UploadType.PDF.value]


def _default_audiences() -> list[str]:
    return list(DEFAULT_AUDIENCES)


def in_language(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text for ``language`` (default: the active one), falling back to English."""
    texts = texts or {}
    code = (language or get_language() or "en").split("-")[0].lower()
    return texts.get(code) or texts.get("en") or ""


validate_question_key = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z",
    _("Use lower-case letters, digits and underscores, starting with a letter (for example project_title)."),
    code="bad_key",
)


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

    @property
    def questions(self) -> models.QuerySet[Question]:
        """The current version's questions (top level, in order): what a new response answers."""
        newest = FormVersion.objects.filter(form=self).order_by("-number").values("pk")[:1]
        return Question.objects.filter(version=models.Subquery(newest), parent__isnull=True).order_by("order", "id")


class FormVersion(models.Model):
    """One version of a form's questions. The newest is current; older ones keep the questions
    that submitted responses answered."""

    form = models.ForeignKey(FormDefinition, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_number_unique")]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"


class Question(models.Model):
    """One item of a form version: a question, a section heading (``kind=section``: the label is
    the heading, the help text its introduction) or a repeating group (``kind=group``: its columns
    are questions whose ``parent`` is the group).

    ``key`` is the question's stable name: it stays the same in every version, so other apps can
    ask for ``answer_by_key(response_set, "budget")`` whichever version was answered.
    """

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="questions")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="columns", verbose_name=_("group")
    )
    key = models.CharField(_("key"), max_length=50, validators=[validate_question_key])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    labels = models.JSONField(
        _("question"), default=dict, help_text=_("The text in each language; English is required.")
    )
    help_texts = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_(
            'For choice questions: a list of ["value", "label"] pairs (the label may be a mapping of '
            "language to text) or plain labels."
        ),
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
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("For amounts of money: an ISO 4217 code such as USD.")
    )
    max_rows = models.PositiveSmallIntegerField(_("most rows"), null=True, blank=True)
    audiences = models.JSONField(
        _("shown to"),
        default=_default_audiences,
        blank=True,
        help_text=_("Who may see this question and its answer; program staff always see everything."),
    )
    condition = models.JSONField(
        _("show only if"),
        default=dict,
        blank=True,
        help_text=_("When set, the question shows only if an earlier question's answer meets this rule."),
    )

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"], condition=Q(parent__isnull=True), name="question_key_unique_per_version"
            ),
            models.UniqueConstraint(
                fields=["parent", "key"], condition=Q(parent__isnull=False), name="column_key_unique_per_group"
            ),
            models.UniqueConstraint(
                fields=["version", "order"],
                condition=Q(parent__isnull=True),
                name="question_order_unique_per_version",
            ),
            models.UniqueConstraint(
                fields=["parent", "order"], condition=Q(parent__isnull=False), name="column_order_unique_per_group"
            ),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The question's text in the reader's language (English when not translated)."""
        return in_language(self.labels)

    @label.setter
    def label(self, text: str) -> None:
        self.labels = {**(self.labels or {}), "en": text}

    @property
    def help_text(self) -> str:
        return in_language(self.help_texts)

    @help_text.setter
    def help_text(self, text: str) -> None:
        self.help_texts = {**(self.help_texts or {}), "en": text}

    @property
    def field_name(self) -> str:
        """The form field's name: stable for the question's life, so drafts map back to it."""
        return f"q{self.pk}"

    @property
    def is_section(self) -> bool:
        return self.kind == QuestionKind.SECTION

    @property
    def is_group(self) -> bool:
        return self.kind == QuestionKind.GROUP

    @property
    def choice_pairs(self) -> list[tuple[str, str]]:
        """``(value, label)`` for each choice, the label in the reader's language."""
        pairs: list[tuple[str, str]] = []
        for item in self.choices or []:
            if isinstance(item, list | tuple) and len(item) == 2:
                label = item[1]
                text = in_language(label) if isinstance(label, dict) else str(label)
                pairs.append((str(item[0]), text))
            else:
                pairs.append((str(item), str(item)))
        return pairs


def answer_upload_to(instance: Answer, filename: str) -> str:
    """A random name (``Answer.file_name`` keeps the person's)."""
    return random_upload_name(f"forms/{instance.response_set.form_id}/{instance.response_set_id}", filename)


class ResponseSet(models.Model):
    """One person's answers to one form; ``submitted_at`` stays empty while it is a draft.

    ``version`` is the version answered (empty until the first answer is saved: then the form's
    current one). Drafts always answer the current version: making a new version moves them to it.
    ``frozen_at`` and ``snapshot`` are set by ``freeze_response_set``: from then on no service
    changes the answers, and the snapshot (questions as shown, answers as text) renders the same
    forever.
    """

    form = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="response_sets")
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="response_sets", null=True, blank=True
    )
    respondent = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="response_sets", null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response set")

    def __str__(self) -> str:
        return f"{self.form} — {self.respondent}"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Answer(models.Model):
    """One answer. ``question_key``, ``question_label`` and ``question_snapshot`` (kind, language,
    choice labels, group columns) keep what the person saw, so the answer outlives its question."""

    response_set = models.ForeignKey(ResponseSet, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, blank=True, related_name="answers")
    question_key = models.CharField(_("key"), max_length=50, blank=True, db_index=True)
    question_label = models.TextField(_("question"), blank=True)
    question_snapshot = models.JSONField(default=dict, blank=True)
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
        return f"{self.question_label}: {self.value}"
