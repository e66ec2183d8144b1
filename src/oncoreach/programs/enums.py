from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramKind(models.TextChoices):
    """The portfolio: what kind of work a program is."""

    COURSE = "course", _("Courses and workshops")
    AWARD = "award", _("Awards and grants")
    MENTORING = "mentoring", _("Mentoring")
