"""Courses in the JSON API: the public catalogue and a course with its sessions; for staff, a
course's registrations (``courses:read``) and recording attendance (``courses:write``).

The same selectors and services as the catalogue and the staff intake pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from oncoreach.core.apikit import (
    Cursor,
    CursorPage,
    Id,
    Iso3,
    Limit,
    Slug,
    TokenAuth,
    TokenRequest,
    Year,
    paginate,
    site_url,
    token_user,
)
from oncoreach.geo.enums import Region
from oncoreach.workshops import selectors
from oncoreach.workshops.enums import CourseType, RegistrationStatus
from oncoreach.workshops.models import Course, Registration, Session
from oncoreach.workshops.selectors_participants import get_registration_for_staff, registrations_for_intake
from oncoreach.workshops.services import record_attendance

router = Router(tags=["courses"])


class CourseQuery(Schema):
    when: Literal["upcoming", "past", "all"] = Field("all", description="Courses not yet over, over, or both.")
    country: Iso3 | None = Field(None, description="Host country (ISO3).")
    region: Region | None = Field(None, description="World Bank region of the host country.")
    course_type: CourseType | None = None
    language: str | None = Field(None, pattern=r"^[a-z]{2}$", description="A language taught in (ISO 639-1).")
    year: Year | None = Field(None, description="Courses starting in this year.")
    cursor: Cursor | None = None
    limit: Limit = 20


class CourseOut(Schema):
    slug: str
    title: str
    summary: str
    course_type: str
    program: str = Field(description="The program's slug.")
    status: str
    country: str = Field(description="Host country (ISO3).")
    city: str
    host_organization: str
    start_date: dt.date = Field(description="First day, in the course's own time zone.")
    end_date: dt.date
    time_zone: str = Field(description="The course's IANA time zone.")
    utc_offset: str = Field(description="The time zone's UTC offset on the first day, e.g. +05:45.")
    languages: list[str]
    capacity: int
    seats_taken: int
    is_full: bool
    url: str


class SessionOut(Schema):
    title: str
    day: dt.date
    starts_at: dt.datetime = Field(description="ISO 8601 in the course's time zone, with its UTC offset.")
    ends_at: dt.datetime
    module: str | None
    faculty: list[str]


class FacultyOut(Schema):
    name: str
    role: str = Field(description="The faculty role, empty for session faculty without one.")


class CourseDetailOut(CourseOut):
    sessions: list[SessionOut]
    faculty: list[FacultyOut]


class CourseList(CursorPage):
    items: list[CourseOut]


def _course(course: Course) -> dict[str, object]:
    return {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "course_type": course.template.course_type,
        "program": course.program.slug,
        "status": course.status,
        "country": course.country.iso3,
        "city": course.city,
        "host_organization": course.host_organization.name,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "time_zone": course.time_zone,
        "utc_offset": course.utc_offset(),
        "languages": list(course.languages),
        "capacity": course.capacity,
        "seats_taken": course.seats_taken(),
        "is_full": course.is_full,
        "url": site_url(course.get_absolute_url()),
    }


def _session(session: Session) -> SessionOut:
    return SessionOut(
        title=session.title,
        day=session.day,
        starts_at=session.starts_at(),
        ends_at=session.ends_at(),
        module=session.module.name if session.module else None,
        faculty=[person.full_name for person in session.faculty.all()],
    )


@router.get("/courses", response=CourseList)
def list_courses(request: HttpRequest, query: Query[CourseQuery]) -> CourseList:
    """Public courses by first day, filtered like the catalogue."""
    filters = selectors.CourseFilters(
        country=(query.country or "").upper(),
        region=query.region or "",
        course_type=query.course_type or "",
        language=query.language or "",
        year=query.year,
    )
    today = timezone.localdate()
    courses = {
        "upcoming": lambda: selectors.upcoming_courses(today=today, filters=filters),
        "past": lambda: selectors.past_courses(today=today, filters=filters),
        "all": lambda: selectors.public_courses(filters=filters),
    }[query.when]()
    page = paginate(request, courses, order=("start_date", "pk"), cursor=query.cursor, limit=query.limit)
    return CourseList(
        items=[CourseOut(**_course(course)) for course in page.items],  # type: ignore[arg-type]
        next_cursor=page.next_cursor,
        next=page.next,
    )


@router.get("/courses/{slug}", response=CourseDetailOut)
def get_course(request: HttpRequest, slug: Slug) -> CourseDetailOut:
    """One public course with its sessions and faculty."""
    course = selectors.get_public_course_or_404(slug=slug)
    return CourseDetailOut(
        **_course(course),  # type: ignore[arg-type]
        sessions=[_session(session) for session in course.sessions.all()],
        faculty=[
            FacultyOut(name=person.full_name, role=role) for person, role in selectors.faculty_for_course(course=course)
        ],
    )


# --- Staff ----------------------------------------------------------------------------------------


class RegistrationQuery(Schema):
    status: RegistrationStatus | None = None
    cursor: Cursor | None = None
    limit: Limit = 50


class ParticipantOut(Schema):
    id: int
    given_name: str
    family_name: str
    email: str
    country_of_practice: str | None = Field(description="ISO3 code.")


class RegistrationOut(Schema):
    id: int
    course: str = Field(description="The course's slug.")
    participant: ParticipantOut
    status: str
    waitlisted_at: dt.datetime | None
    certificate_code: str | None
    pre_test_score: Decimal | None
    post_test_score: Decimal | None


class RegistrationList(CursorPage):
    items: list[RegistrationOut]


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    attended: bool = Field(strict=True, description="true: attended (a certificate code is issued); false: no-show.")


def _registration(registration: Registration, course_slug: str) -> RegistrationOut:
    person = registration.person
    return RegistrationOut(
        id=registration.pk,
        course=course_slug,
        participant=ParticipantOut(
            id=person.pk,
            given_name=person.given_name,
            family_name=person.family_name,
            email=person.email,
            country_of_practice=person.country_of_practice.iso3 if person.country_of_practice else None,
        ),
        status=registration.status,
        waitlisted_at=registration.waitlisted_at,
        certificate_code=registration.certificate_code,
        pre_test_score=registration.pre_test_score,
        post_test_score=registration.post_test_score,
    )


@router.get("/courses/{slug}/registrations", auth=TokenAuth("courses:read"), response=RegistrationList)
def list_course_registrations(request: TokenRequest, slug: Slug, query: Query[RegistrationQuery]) -> RegistrationList:
    """A course's registrations (unsubmitted drafts are never shown), oldest first."""
    user = token_user(request)
    course = selectors.get_course_for_staff(user=user, slug=slug)
    registrations = registrations_for_intake(user=user, course=course, status=query.status or "")
    page = paginate(request, registrations, order=("pk",), cursor=query.cursor, limit=query.limit)
    return RegistrationList(
        items=[_registration(registration, course.slug) for registration in page.items],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@router.post("/registrations/{registration_id}/attendance", auth=TokenAuth("courses:write"), response=RegistrationOut)
def record_registration_attendance(
    request: TokenRequest, registration_id: Id, payload: AttendanceIn
) -> RegistrationOut:
    """Mark an accepted participant present (a certificate code is issued) or absent, once the
    course has started: the same service as the staff attendance page."""
    user = token_user(request)
    registration = get_registration_for_staff(user=user, pk=registration_id)
    registration = record_attendance(registration=registration, attended=payload.attended, actor=user)
    return _registration(registration, registration.course.slug)
