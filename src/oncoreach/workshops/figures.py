"""The impact figures courses contribute (programs.impact; reporting shows them).

Each function is one grouped query; its docstring says exactly what it counts. ``apps.py``
registers them. Every row is dated by the course's last day: the year a course counts in, and the
fiscal year whose income group applies, are those of its last day.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from oncoreach.programs.impact import FigureFamily, FigureRow, JourneyRow, JourneySource
from oncoreach.workshops.enums import CourseStatus, InvitationStatus, RegistrationStatus
from oncoreach.workshops.models import Course, FacultyInvitation, Registration

HELD_STATUSES = (CourseStatus.HELD, CourseStatus.CLOSED)


def participant_figures() -> list[FigureRow]:
    """Per participant's country, course program and course last day:

    - ``people_trained``: registrations with status *attended* (not accepted, not no-show); one
      per person and course, so a person who attended two courses counts twice. The country is
      the participant's country of practice, or the course's when the person has none.
    - ``followup_1y_answers``: attended registrations whose one-year impact survey was submitted.
    - ``followup_1y_practice_changed``: of those, answers "yes" to "has your practice changed".
    - ``followup_1y_colleagues_trained``: the sum of "how many colleagues have you trained" in them.
    """
    rows = (
        Registration.objects.filter(status=RegistrationStatus.ATTENDED)
        .annotate(where=Coalesce("person__country_of_practice", "course__country"))
        .values("where", "course__program", "course__end_date")
        .annotate(
            trained=Count("pk"),
            answers=Count("pk", filter=Q(impact_survey__submitted_at__isnull=False)),
            changed=Count("pk", filter=Q(impact_survey__submitted_at__isnull=False, practice_changed=True)),
            colleagues=Sum("colleagues_trained", filter=Q(impact_survey__submitted_at__isnull=False)),
        )
        .order_by()
    )
    return [
        FigureRow(
            country_id=row["where"],
            program_id=row["course__program"],
            day=row["course__end_date"],
            values={
                "people_trained": row["trained"],
                "followup_1y_answers": row["answers"],
                "followup_1y_practice_changed": row["changed"],
                "followup_1y_colleagues_trained": row["colleagues"] or 0,
            },
        )
        for row in rows
    ]


def course_figures() -> list[FigureRow]:
    """``courses_held``: courses with status *held* or *closed* (they took place; cancelled and
    planned ones do not count), per course country, program and last day."""
    rows = (
        Course.objects.filter(status__in=HELD_STATUSES)
        .values("country", "program", "end_date")
        .annotate(held=Count("pk"))
        .order_by()
    )
    return [
        FigureRow(
            country_id=row["country"],
            program_id=row["program"],
            day=row["end_date"],
            values={"courses_held": row["held"]},
        )
        for row in rows
    ]


def _completed_visits() -> QuerySet[FacultyInvitation]:
    """Completed faculty invitations by volunteers who practise in another country than the course's."""
    return (
        FacultyInvitation.objects.filter(status=InvitationStatus.COMPLETED, person__country_of_practice__isnull=False)
        .exclude(person__country_of_practice=F("slot__course__country"))
        .order_by()
    )


def faculty_figures() -> list[FigureRow]:
    """``faculty_trips``: faculty invitations with status *completed* whose volunteer practises in
    another country than the course's (local faculty do not travel; a volunteer with no country
    of practice is not counted), per course country (the host), program and last day."""
    rows = (
        _completed_visits()
        .values("slot__course__country", "slot__course__program", "slot__course__end_date")
        .annotate(trips=Count("pk"))
    )
    return [
        FigureRow(
            country_id=row["slot__course__country"],
            program_id=row["slot__course__program"],
            day=row["slot__course__end_date"],
            values={"faculty_trips": row["trips"]},
        )
        for row in rows
    ]


def faculty_journeys() -> list[JourneyRow]:
    """The same visits as ``faculty_trips``, from the volunteer's country to the course's."""
    rows = (
        _completed_visits()
        .values(
            "person__country_of_practice", "slot__course__country", "slot__course__program", "slot__course__end_date"
        )
        .annotate(trips=Count("pk"))
    )
    return [
        JourneyRow(
            origin_id=row["person__country_of_practice"],
            destination_id=row["slot__course__country"],
            program_id=row["slot__course__program"],
            day=row["slot__course__end_date"],
            count=row["trips"],
        )
        for row in rows
    ]


PARTICIPANTS = FigureFamily(
    name="workshops.participants",
    provides=(
        "people_trained",
        "followup_1y_answers",
        "followup_1y_practice_changed",
        "followup_1y_colleagues_trained",
    ),
    rows=participant_figures,
)
COURSES = FigureFamily(name="workshops.courses", provides=("courses_held",), rows=course_figures)
FACULTY = FigureFamily(name="workshops.faculty", provides=("faculty_trips",), rows=faculty_figures)
JOURNEYS = JourneySource(name="workshops.faculty", label=_("Faculty journeys"), rows=faculty_journeys)
