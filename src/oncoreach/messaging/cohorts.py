"""Who a cohort message goes to: staff's filters composed into one query of people.

Each role is a contribution (:data:`ROLES`): a function giving the ids of the people who hold
that role, narrowed by program, cycle and the role's own status when asked. The other filters
(country, income group as of a date, language) narrow the people themselves. Adding a role
(mentor, awardee…) is adding one entry here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from oncoreach.calls.enums import ApplicationStatus, AssignmentStatus
from oncoreach.calls.models import Application, ReviewAssignment
from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.fiscal import fiscal_year_for
from oncoreach.geo.selectors import countries_with_income_group, newest_fiscal_year
from oncoreach.messaging.enums import CohortRole
from oncoreach.people.enums import MembershipStatus
from oncoreach.people.models import Person
from oncoreach.stories.models import StoryAuthor
from oncoreach.workshops.enums import InvitationStatus, RegistrationStatus
from oncoreach.workshops.models import FacultyInvitation, Registration


@dataclass(frozen=True, slots=True)
class CohortCriteria:
    """The filters as chosen, in ids and codes (stored on the message as JSON)."""

    program_id: int | None = None
    cycle_id: int | None = None
    role: str = ""
    status: str = ""
    country_id: int | None = None
    income_group: str = ""
    income_on: str = ""  # ISO date; empty = today
    language: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CohortCriteria:
        return cls(**{key: data[key] for key in cls.__dataclass_fields__ if key in data})


@dataclass(frozen=True, slots=True)
class RoleContribution:
    """People holding one role: ids narrowed by program, cycle and status (``None`` = any)."""

    ids: Callable[[int | None, int | None, str], QuerySet[Any]]
    statuses: type[Any] | None  # the TextChoices the role's status is one of
    by_program: bool = True


def _applicants(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    rows = Application.objects.all()
    if program:
        rows = rows.filter(call__cycle__program_id=program)
    if cycle:
        rows = rows.filter(call__cycle_id=cycle)
    if status:
        rows = rows.filter(status=status)
    return rows.values("applicant_id")


def _reviewers(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    rows = ReviewAssignment.objects.all()
    if program:
        rows = rows.filter(application__call__cycle__program_id=program)
    if cycle:
        rows = rows.filter(application__call__cycle_id=cycle)
    if status:
        rows = rows.filter(status=status)
    return rows.values("reviewer_id")


def _faculty(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    rows = FacultyInvitation.objects.all()
    if program:
        rows = rows.filter(slot__course__program_id=program)
    if cycle:
        rows = rows.filter(slot__course__intake_call__cycle_id=cycle)
    if status:
        rows = rows.filter(status=status)
    return rows.values("person_id")


def _attendees(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    rows = Registration.objects.all()
    if program:
        rows = rows.filter(course__program_id=program)
    if cycle:
        rows = rows.filter(course__intake_call__cycle_id=cycle)
    if status:
        rows = rows.filter(status=status)
    return rows.values("person_id")


def _authors(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    return StoryAuthor.objects.filter(page__live=True).values("person_id")


def _volunteers(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    return Person.objects.filter(is_volunteer=True).values("pk")


def _members(program: int | None, cycle: int | None, status: str) -> QuerySet[Any]:
    return Person.objects.filter(membership_status=MembershipStatus.ACTIVE).values("pk")


ROLES: dict[str, RoleContribution] = {
    CohortRole.APPLICANT: RoleContribution(_applicants, ApplicationStatus),
    CohortRole.REVIEWER: RoleContribution(_reviewers, AssignmentStatus),
    CohortRole.FACULTY: RoleContribution(_faculty, InvitationStatus),
    CohortRole.ATTENDEE: RoleContribution(_attendees, RegistrationStatus),
    CohortRole.AUTHOR: RoleContribution(_authors, None, by_program=False),
    CohortRole.VOLUNTEER: RoleContribution(_volunteers, None, by_program=False),
    CohortRole.MEMBER: RoleContribution(_members, None, by_program=False),
}


def status_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The statuses a cohort may be chosen by, grouped by role: values are ``role:status``."""
    return [
        (str(CohortRole(role).label), [(f"{role}:{value}", str(label)) for value, label in spec.statuses.choices])
        for role, spec in ROLES.items()
        if spec.statuses is not None
    ]


def split_status(value: str) -> tuple[str, str]:
    role, _sep, status = value.partition(":")
    return role, status


def validate_criteria(criteria: CohortCriteria) -> None:
    """Raise a ``ValidationError`` for filters that cannot go together."""
    if criteria.status:
        role, status = split_status(criteria.status)
        spec = ROLES.get(role)
        if spec is None or spec.statuses is None or status not in spec.statuses.values:
            raise ValidationError(_("This status is not one a cohort can be chosen by."), code="status")
        if criteria.role and criteria.role != role:
            raise ValidationError(
                _("The status “%(status)s” belongs to the role “%(role)s”: choose that role or no role.")
                % {"status": spec.statuses(status).label, "role": CohortRole(role).label},
                code="status_role",
            )
    role = criteria.role or (split_status(criteria.status)[0] if criteria.status else "")
    if role and (criteria.program_id or criteria.cycle_id) and not ROLES[role].by_program:
        raise ValidationError(
            _("The role “%(role)s” is not tied to a program or cycle: clear those, or choose another role.")
            % {"role": CohortRole(role).label},
            code="role_program",
        )


def _income_countries(group: str, on: dt.date) -> QuerySet[Any]:
    year = fiscal_year_for(on)
    newest = newest_fiscal_year()
    if newest is not None and year > newest:
        year = newest  # after the newest year shipped, the newest one counts (ARCHITECTURE.md §7)
    return countries_with_income_group(fiscal_year=year, income_group=group).values("pk")


def cohort_people(criteria: CohortCriteria, *, today: dt.date) -> QuerySet[Person]:
    """Everyone the filters choose, once each, by name; people with no role filter are everyone
    in the program (any role that has one) or, without a program, everyone."""
    validate_criteria(criteria)
    people = Person.objects.all()
    role = criteria.role or (split_status(criteria.status)[0] if criteria.status else "")
    status = split_status(criteria.status)[1] if criteria.status else ""
    if role:
        people = people.filter(pk__in=ROLES[role].ids(criteria.program_id, criteria.cycle_id, status))
    elif criteria.program_id or criteria.cycle_id:
        anyone = Q()
        for spec in ROLES.values():
            if spec.by_program:
                anyone |= Q(pk__in=spec.ids(criteria.program_id, criteria.cycle_id, ""))
        people = people.filter(anyone)
    if criteria.country_id:
        people = people.filter(country_of_practice_id=criteria.country_id)
    if criteria.income_group:
        on = dt.date.fromisoformat(criteria.income_on) if criteria.income_on else today
        people = people.filter(country_of_practice__in=_income_countries(criteria.income_group, on))
    if criteria.language:
        wanted = Q(user__preferred_language=criteria.language)
        if criteria.language == "en":  # no login, or no language chosen: English (recipient_language)
            wanted |= Q(user__isnull=True) | Q(user__preferred_language="")
        people = people.filter(wanted)
    return people


def describe(criteria: CohortCriteria, *, names: Mapping[str, str]) -> str:
    """The cohort in words for the staff pages (``names``: program, cycle and country names)."""
    parts: list[str] = []
    if criteria.role:
        parts.append(str(CohortRole(criteria.role).label))
    if criteria.status:
        role, status = split_status(criteria.status)
        statuses = ROLES[role].statuses
        parts.append(str(statuses(status).label) if statuses is not None else status)
    for key in ("program", "cycle", "country"):
        if names.get(key):
            parts.append(names[key])
    if criteria.income_group:
        parts.append(str(IncomeGroup(criteria.income_group).label))
    if criteria.language:
        parts.append(criteria.language)
    return " · ".join(parts) or _("Everyone")
