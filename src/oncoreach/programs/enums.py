from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramKind(models.TextChoices):
    """The portfolio: what kind of work a program is."""

    COURSE = "course", _("Courses and workshops")
    AWARD = "award", _("Awards and grants")
    MENTORING = "mentoring", _("Mentoring")


class QuestionKind(models.TextChoices):
    """What a question asks for; the form builder picks the field and its checks from this."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("One choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("File upload")
    EMAIL = "email", _("E-mail address")
    URL = "url", _("Web address")


class UploadType(models.TextChoices):
    """File types a file question may accept; each is recognised by its content, not its name."""

    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Picture (JPEG, PNG or WebP)")
