"""Reads for participants, hosts and impact; fetch-or-deny helpers for their views."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from oncoreach.calls.enums import CallKind
from oncoreach.calls.models import Application
from oncoreach.programs.enums import QuestionKind
from oncoreach.programs.models import Answer
from oncoreach.workshops.enums import DECIDABLE_APPLICATION_STATUSES, RegistrationStatus
from oncoreach.workshops.models import Course, Registration
from oncoreach.workshops.permissions import can_manage_courses
from oncoreach.workshops.selectors import require_course_staff
from oncoreach.workshops.tokens import read_survey_token

R = RegistrationStatus


def _person(user: Any) -> Any:
    return getattr(user, "person", None) if user.is_authenticated else None


def registration_for(*, user: Any, course: Course) -> Registration | None:
    person = _person(user)
    if person is None:
        return None
    return Registration.objects.filter(course=course, person=person).first()


def registrations_for_person(*, user: Any) -> QuerySet[Registration]:
    """The signed-in person's own registrations (drafts included: they can finish them)."""
    person = _person(user)
    if person is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(person=person)
        .select_related("course__country", "application")
        .order_by("-course__start_date", "id")
    )


def courses_hosted_by(*, user: Any) -> QuerySet[Course]:
    """Courses the signed-in person is a host contact of."""
    person = _person(user)
    if person is None:
        return Course.objects.none()
    return Course.objects.filter(host_contacts=person).select_related("country").order_by("-start_date", "id")


def get_own_registration(*, user: Any, pk: int) -> Registration:
    """Fetch-or-deny: the participant's own registration (or any, for course staff); else 404."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "course__country",
            "course__host_organization",
            "course__template",
            "person",
            "application",
            "follow_up",
            "evaluation",
        ),
        pk=pk,
    )
    person = _person(user)
    if not can_manage_courses(user) and (person is None or registration.person_id != person.pk):
        raise Http404
    return registration


def get_registration_of_participant(*, user: Any, pk: int) -> Registration:
    """Fetch-or-deny for what only the participant does (answer, submit, cancel): their own
    registration, never someone else's, staff included; else 404."""
    person = _person(user)
    if person is None:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related(
            "course__country", "application__call", "application__current_stage", "person"
        ).prefetch_related("application__call__stages", "application__submissions__stage"),
        pk=pk,
        person=person,
    )


def registrations_for_intake(*, user: Any, course: Course, status: str = "") -> QuerySet[Registration]:
    """Staff: the course's registrations (drafts excluded), wait list in order; optionally one status."""
    require_course_staff(user=user)
    registrations = (
        Registration.objects.filter(course=course)
        .exclude(application__status="draft")
        .select_related("person__country_of_practice", "application")
        .order_by("status", "waitlisted_at", "id")
    )
    return registrations.filter(status=status) if status else registrations


def get_registration_for_staff(*, user: Any, pk: int) -> Registration:
    require_course_staff(user=user)
    return get_object_or_404(Registration.objects.select_related("course", "application__call", "person"), pk=pk)


def host_applications_for_staff(*, user: Any) -> QuerySet[Application]:
    """Host applications awaiting a decision (eligible or in review), oldest first."""
    require_course_staff(user=user)
    return (
        Application.objects.filter(call__kind=CallKind.HOST, status__in=DECIDABLE_APPLICATION_STATUSES)
        .select_related("call", "applicant__country_of_practice")
        .order_by("submitted_at", "id")
    )


def get_host_application_for_staff(*, user: Any, pk: int) -> Application:
    """Fetch-or-deny: a host application, for program staff only."""
    require_course_staff(user=user)
    return get_object_or_404(
        Application.objects.select_related("call__cycle__program", "applicant"), pk=pk, call__kind=CallKind.HOST
    )


def get_course_for_host(*, user: Any, slug: str) -> Course:
    """Fetch-or-deny: a course whose host contact is the signed-in person (staff too); else 404."""
    course = get_object_or_404(Course.objects.select_related("country", "host_organization"), slug=slug)
    person = _person(user)
    if can_manage_courses(user):
        return course
    if person is None or not course.host_contacts.filter(pk=person.pk).exists():
        raise Http404
    return course


def registrations_for_host(*, course: Course) -> QuerySet[Registration]:
    """What a host sees: names, countries and status of their own course's participants only."""
    return (
        Registration.objects.filter(course=course)
        .exclude(status__in=[R.PENDING, R.CANCELLED, R.REJECTED])
        .select_related("person__country_of_practice")
        .order_by("person__family_name", "person__given_name", "id")
    )


def get_certificate(*, code: str) -> Registration:
    """Fetch-or-deny for the public verification page: an attended registration with this code."""
    return get_object_or_404(
        Registration.objects.select_related("course__country", "person"),
        certificate_code=code.strip().upper(),
        status=R.ATTENDED,
    )


def get_registration_by_survey_token(*, token: str) -> Registration:
    pk = read_survey_token(token)
    if pk is None:
        raise Http404
    return get_object_or_404(
        Registration.objects.select_related("course", "person", "impact_survey"),
        pk=pk,
        status=R.ATTENDED,
        impact_survey_sent_at__isnull=False,
    )


@dataclass(frozen=True)
class Impact:
    attendees: int
    evaluations: int
    evaluation_average: Decimal | None
    pre_average: Decimal | None
    post_average: Decimal | None
    follow_up_answers: int
    practice_changes: int
    tumor_boards_started: int
    colleagues_trained: int

    @property
    def score_gain(self) -> Decimal | None:
        if self.pre_average is None or self.post_average is None:
            return None
        return self.post_average - self.pre_average


def _rounded(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def impact_for_course(*, course: Course) -> Impact:
    """The course's impact figures (two queries): attendance, evaluation, scores, one-year answers."""
    figures = Registration.objects.filter(course=course).aggregate(
        attendees=Count("id", filter=Q(status=R.ATTENDED)),
        evaluations=Count("id", filter=Q(evaluation__submitted_at__isnull=False)),
        pre=Avg("pre_test_score", filter=Q(status=R.ATTENDED, post_test_score__isnull=False)),
        post=Avg("post_test_score", filter=Q(status=R.ATTENDED, pre_test_score__isnull=False)),
        follow_ups=Count("id", filter=Q(impact_survey__submitted_at__isnull=False)),
        changes=Count("id", filter=Q(practice_changed=True)),
        boards=Sum("tumor_boards_started"),
        colleagues=Sum("colleagues_trained"),
    )
    ratings = [
        Decimal(str(value))
        for value in Answer.objects.filter(
            response_set__in=Registration.objects.filter(course=course, evaluation__submitted_at__isnull=False).values(
                "evaluation"
            ),
            question__kind__in=[QuestionKind.SINGLE_CHOICE, QuestionKind.NUMBER],
        ).values_list("value", flat=True)
        if str(value).isdigit()
    ]
    return Impact(
        attendees=figures["attendees"],
        evaluations=figures["evaluations"],
        evaluation_average=_rounded(sum(ratings) / len(ratings)) if ratings else None,
        pre_average=_rounded(figures["pre"]),
        post_average=_rounded(figures["post"]),
        follow_up_answers=figures["follow_ups"],
        practice_changes=figures["changes"],
        tumor_boards_started=figures["boards"] or 0,
        colleagues_trained=figures["colleagues"] or 0,
    )
