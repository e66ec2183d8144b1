"""Reads for calls, already permission-scoped and prefetched; fetch-or-deny helpers for views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from oncoreach.calls.conflicts import conflicted_pairs, conflicts_for_call
from oncoreach.calls.enums import ApplicationStatus, AssignmentStatus, ConflictReason
from oncoreach.calls.models import Application, Call, ReferenceRequest, Review, ReviewAssignment, RubricCriterion
from oncoreach.calls.permissions import can_review, is_call_staff, owns_application
from oncoreach.people.models import Person
from oncoreach.people.selectors import person_search_condition

REFERENCE_SALT = "oncoreach.calls.reference-letter"


def open_calls(*, now: dt.datetime | None = None) -> QuerySet[Call]:
    return Call.objects.open_on(now or timezone.now()).select_related("cycle__program").order_by("closes_at", "title")


def get_public_call(*, slug: str) -> Call:
    """Fetch-or-deny: a published call (open, upcoming or closed), or 404."""
    return get_object_or_404(
        Call.objects.select_related("cycle__program", "form").prefetch_related("prior_award_programs", "criteria"),
        slug=slug,
        is_published=True,
    )


def require_call_staff(*, user: Any) -> None:
    if not is_call_staff(user):
        raise PermissionDenied


def get_call_for_staff(*, user: Any, slug: str) -> Call:
    require_call_staff(user=user)
    return get_object_or_404(Call.objects.select_related("cycle__program", "form"), slug=slug)


def calls_for_staff(*, user: Any) -> QuerySet[Call]:
    require_call_staff(user=user)
    return (
        Call.objects.select_related("cycle__program")
        .annotate(application_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)))
        .order_by("-closes_at")
    )


def applications_for_applicant(*, user: Any) -> QuerySet[Application]:
    """The signed-in person's own applications (never anyone else's)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant__user=user).select_related("call__cycle__program").order_by("-created_at")
    )


def get_own_application(*, user: Any, pk: int) -> Application:
    """Fetch-or-deny: the applicant's own application, or 404 (never someone else's)."""
    application = get_object_or_404(
        Application.objects.select_related("call__form", "call__cycle__program", "applicant", "response_set"), pk=pk
    )
    if not owns_application(user, application):
        raise Http404
    return application


def get_own_application_for_call(*, user: Any, call: Call) -> Application | None:
    if not user.is_authenticated:
        return None
    return Application.objects.filter(call=call, applicant__user=user).first()


def get_application_for_staff(*, user: Any, pk: int) -> Application:
    require_call_staff(user=user)
    return get_object_or_404(
        Application.objects.select_related(
            "call__form",
            "call__cycle__program",
            "applicant__country_of_practice",
            "applicant__country_of_residence",
            "response_set",
        ),
        pk=pk,
    )


def applications_for_staff(
    *, user: Any, call: Call, status: str = "", eligible: str = "", search: str = ""
) -> QuerySet[Application]:
    """A call's applications for staff (drafts excluded), filtered, with their review progress
    and the mean rubric score of their submitted reviews."""
    require_call_staff(user=user)
    applications = (
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("applicant__country_of_practice", "applicant__country_of_residence")
        .annotate(
            assignment_count=Count(
                "assignments", filter=~Q(assignments__status=AssignmentStatus.DECLINED), distinct=True
            ),
            review_count=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED), distinct=True),
            # None while no submitted review has rubric scores (comment-only reviews have none).
            mean_score=Avg(
                "assignments__review__weighted_total", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)
            ),
        )
        .order_by("submitted_at", "id")
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    if eligible == "yes":
        applications = applications.filter(eligibility__eligible=True)
    elif eligible == "no":
        applications = applications.filter(eligibility__eligible=False)
    if search.strip():
        applications = applications.filter(person_search_condition(search, path="applicant"))
    return applications


def reference_requests_for(*, application: Application) -> QuerySet[ReferenceRequest]:
    return ReferenceRequest.objects.filter(application=application).order_by("created_at", "id")


def criteria_for_call(*, call: Call) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(call=call).order_by("order", "id"))


def assignments_for_application(*, user: Any, application: Application) -> QuerySet[ReviewAssignment]:
    """Staff only: who reviews this application, with their reviews."""
    require_call_staff(user=user)
    return ReviewAssignment.objects.filter(application=application).select_related("reviewer", "review").order_by("id")


def assignments_for_reviewer(*, user: Any) -> list[ReviewAssignment]:
    """The signed-in reviewer's live assignments, never one in conflict of interest."""
    if not user.is_authenticated:
        return []
    assignments = list(
        ReviewAssignment.objects.filter(
            reviewer__user=user,
            status__in=[AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED],
        )
        .select_related("application__call", "application__applicant", "reviewer")
        .order_by("application__call__closes_at", "id")
    )
    conflicts_by_call: dict[int, set[tuple[int, int, str]]] = {}
    visible = []
    for assignment in assignments:
        call = assignment.application.call
        if call.pk not in conflicts_by_call:
            conflicts_by_call[call.pk] = conflicts_for_call(call=call, reviewer_ids={assignment.reviewer_id})
        if can_review(user, assignment, conflicts_by_call[call.pk]):
            visible.append(assignment)
    return visible


def get_assignment_for_review(*, user: Any, pk: int) -> ReviewAssignment:
    """Fetch-or-deny: the reviewer's own assignment, without a conflict; otherwise 404."""
    if not user.is_authenticated:
        raise Http404
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "application__call__form", "application__response_set", "application__applicant", "reviewer"
        ).prefetch_related(Prefetch("application__call__criteria")),
        pk=pk,
        reviewer__user=user,
    )
    conflicts = conflicts_for_call(call=assignment.application.call, reviewer_ids={assignment.reviewer_id})
    if not can_review(user, assignment, conflicts):
        raise Http404
    return assignment


def review_for_assignment(*, assignment: ReviewAssignment) -> Review | None:
    return Review.objects.filter(assignment=assignment).first()


def reviews_for_application(*, user: Any, application: Application) -> list[Review]:
    """Submitted reviews, for staff only; the applicant never gets them."""
    require_call_staff(user=user)
    if owns_application(user, application):
        raise PermissionDenied
    return list(
        Review.objects.filter(assignment__application=application, submitted_at__isnull=False)
        .select_related("assignment__reviewer")
        .order_by("submitted_at")
    )


def conflicted_reviewer_ids(*, application: Application) -> dict[int, list[str]]:
    """Reviewers in conflict with one application and why (for the staff assignment form)."""
    reasons: dict[int, list[str]] = {}
    for application_id, reviewer_id, reason in sorted(conflicts_for_call(call=application.call)):
        if application_id == application.pk:
            reasons.setdefault(reviewer_id, []).append(reason)
    return reasons


def conflicts_in_words(*, reasons_by_reviewer: dict[int, list[str]]) -> list[tuple[Person, list[str]]]:
    """The same conflicts with each reviewer and the reasons as labels, for staff pages."""
    people = Person.objects.filter(pk__in=reasons_by_reviewer).order_by("family_name", "given_name")
    return [
        (person, [str(ConflictReason(reason).label) for reason in reasons_by_reviewer[person.pk]]) for person in people
    ]


def reviewer_may_see(*, reviewer_id: int, application: Application) -> bool:
    return (application.pk, reviewer_id) not in conflicted_pairs(
        conflicts_for_call(call=application.call, reviewer_ids={reviewer_id})
    )


# --- Referee links ----------------------------------------------------------------------------


def reference_token(reference: ReferenceRequest) -> str:
    """The private link's token: signed, and bound to the request's random nonce."""
    return signing.dumps({"id": reference.pk, "n": reference.nonce}, salt=REFERENCE_SALT, compress=True)


def get_reference_by_token(*, token: str) -> ReferenceRequest:
    """Fetch-or-deny for referees (no account): a valid signature and matching nonce, else 404."""
    try:
        payload = signing.loads(token, salt=REFERENCE_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        raise Http404
    reference = (
        ReferenceRequest.objects.select_related("application__call", "application__applicant")
        .filter(pk=int(payload["id"]))
        .first()
    )
    if reference is None or not constant_time_compare(reference.nonce, str(payload.get("n", ""))):
        raise Http404
    return reference
