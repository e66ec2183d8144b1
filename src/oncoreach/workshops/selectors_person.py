"""The workshops part of the staff page of a person: their faculty invitations and course
registrations (registered with ``people.selectors.register_person_section``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from oncoreach.people.models import Person
from oncoreach.people.selectors import PersonSection
from oncoreach.workshops.models import FacultyInvitation, Registration
from oncoreach.workshops.selectors import require_course_staff


def person_sections(*, user: Any, person: Person) -> list[PersonSection]:
    """Two queries whatever the person did: every invitation (proposals too) and registration."""
    require_course_staff(user=user)
    invitations = list(
        FacultyInvitation.objects.filter(person=person)
        .select_related("slot__course__country")
        .order_by("-slot__course__start_date", "-id")
    )
    registrations = list(
        Registration.objects.filter(person=person)
        .select_related("course__country")
        .order_by("-course__start_date", "-id")
    )
    return [
        PersonSection(
            title=_("Courses"),
            template="workshops/includes/person_courses.html",
            context={"invitations": invitations, "registrations": registrations},
            order=40,
        )
    ]
