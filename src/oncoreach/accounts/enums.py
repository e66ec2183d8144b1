"""Roles. Only editor, program staff and administrator are groups (ARCHITECTURE.md §7);
member, volunteer, applicant and the rest are derived from data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffGroup(models.TextChoices):
    EDITOR = "Editors", _("Editor")
    PROGRAM_STAFF = "Program staff", _("Program staff")
    ADMINISTRATOR = "Administrators", _("Administrator")


class Role(models.TextChoices):
    """Every role a person can hold, for display and for the demo logins."""

    PUBLIC = "public", _("Public")
    MEMBER = "member", _("Member")
    APPLICANT = "applicant", _("Applicant")
    VOLUNTEER = "volunteer", _("Volunteer")
    EDITOR = "editor", _("Editor")
    PROGRAM_STAFF = "program_staff", _("Program staff")
    ADMINISTRATOR = "administrator", _("Administrator")


# Where the "view as" reason and the id of its start audit row are kept in the session (next to
# django-hijack's own "hijack_history"); login() at the start and at the end clears it.
VIEW_AS_SESSION_KEY = "oncoreach_view_as"
