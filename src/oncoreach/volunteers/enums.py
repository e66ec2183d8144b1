from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerRole(models.TextChoices):
    """What a volunteer offers to do; one person often does all four (PEERS.md §B)."""

    FACULTY = "faculty", _("Faculty (teach at courses and workshops)")
    MENTOR = "mentor", _("Mentor")
    REVIEWER = "reviewer", _("Reviewer")
    AUTHOR = "author", _("Author (write stories)")


class ActivityKind(models.TextChoices):
    """Kinds of contribution counted for recognition and annual reports."""

    TEACHING = "teaching", _("Teaching at a course")
    TRAVEL = "travel", _("Travel for a course")
    PREPARATION = "preparation", _("Course preparation")
    MENTORING = "mentoring", _("Mentoring")
    REVIEWING = "reviewing", _("Reviewing applications")
    WRITING = "writing", _("Writing a story")
    OTHER = "other", _("Other")


MAX_TRIPS_PER_YEAR_LIMIT = 12
EXPERTISE_MAX_TOPICS = 20
