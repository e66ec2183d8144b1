"""Reads for calls, already permission-scoped and prefetched; fetch-or-deny helpers for views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.conflicts import conflicted_pairs, conflicts_for_call
from oncoreach.calls.enums import DRIVEN_ELSEWHERE, ApplicationStatus, AssignmentStatus, ConflictReason
from oncoreach.calls.models import Application, Call, ReferenceRequest, Review, ReviewAssignment, RubricCriterion
from oncoreach.calls.permissions import can_review, is_call_staff, owns_application
from oncoreach.people.models import Person
from oncoreach.people.selectors import PersonSection, person_search_condition
from oncoreach.programs.models import Answer
from oncoreach.volunteers.enums import VolunteerRole

REFERENCE_SALT = "oncoreach.calls.reference-letter"


def open_calls(*, now: dt.datetime | None = None, kind: str = "", program: str = "") -> QuerySet[Call]:
    """Published calls open now, soonest deadline first; optionally of one kind or program (slug).
    A course's intake call is reached from its course page, never listed."""
    calls = (
        Call.objects.open_on(now or timezone.now()).exclude(kind__in=DRIVEN_ELSEWHERE).select_related("cycle__program")
    )
    if kind:
        calls = calls.filter(kind=kind)
    if program:
        calls = calls.filter(cycle__program__slug=program)
    return calls.order_by("closes_at", "title")


def get_public_call(*, slug: str) -> Call:
    """Fetch-or-deny: a published call (open, upcoming or closed) that people apply to here, or 404."""
    return get_object_or_404(
        Call.objects.select_related("cycle__program", "form")
        .prefetch_related("prior_award_programs", "criteria")
        .exclude(kind__in=DRIVEN_ELSEWHERE),
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


def get_application_file(*, user: Any, application_pk: int, question_pk: int) -> Answer:
    """Fetch-or-deny: a file uploaded with an application, for the applicant, call staff and a
    reviewer who may review it (live assignment, no conflict of interest); 404 for anyone else
    and for a question without a file."""
    if not user.is_authenticated:
        raise Http404
    application = get_object_or_404(Application.objects.select_related("call"), pk=application_pk)
    if not (owns_application(user, application) or is_call_staff(user) or _may_review(user, application)):
        raise Http404
    answer = (
        Answer.objects.filter(response_set_id=application.response_set_id, question_id=question_pk)
        .exclude(file="")
        .first()
    )
    if answer is None:
        raise Http404
    return answer


def _may_review(user: Any, application: Application) -> bool:
    assignment = (
        ReviewAssignment.objects.filter(application=application, reviewer__user=user)
        .select_related("application")
        .first()
    )
    if assignment is None:
        return False
    return can_review(
        user, assignment, conflicts_for_call(call=application.call, reviewer_ids={assignment.reviewer_id})
    )


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


def person_sections(*, user: Any, person: Person) -> list[PersonSection]:
    """The calls part of the staff page of a person: their applications, and their reviewing
    (assignments with the review's score, and the panels they sit on). Three queries."""
    require_call_staff(user=user)
    applications = list(
        Application.objects.filter(applicant=person)
        .select_related("call__cycle__program")
        .order_by("-created_at", "-id")
    )
    assignments = list(
        ReviewAssignment.objects.filter(reviewer=person)
        .select_related("application__call", "application__applicant", "review")
        .order_by("-created_at", "-id")
    )
    panels = list(Call.objects.filter(reviewers=person).order_by("-closes_at", "title"))
    return [
        PersonSection(
            title=_("Applications"),
            template="calls/includes/person_applications.html",
            context={"applications": applications},
            order=20,
        ),
        PersonSection(
            title=_("Reviewing"),
            template="calls/includes/person_reviews.html",
            context={"assignments": assignments, "panels": panels},
            order=30,
        ),
    ]


# --- Call set-up: locks, rubric, reviewer panel ----------------------------------------------------

#: Statuses that mean an application has reached review (the stages after it are then fixed).
REVIEW_REACHED: frozenset[str] = frozenset(ApplicationStatus.values) - {
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.WITHDRAWN,
}
#: How many people a panel search lists at most (refine the words to find others).
PANEL_SEARCH_LIMIT = 20


def form_is_locked(*, call: Call) -> bool:
    """Applications (even drafts) hold answers to the call's form, so it can no longer change."""
    return Application.objects.filter(call=call).exists()


def stages_are_locked(*, call: Call) -> bool:
    return Application.objects.filter(call=call, status__in=REVIEW_REACHED).exists()


def reviewing_started(*, call: Call) -> bool:
    """A reviewer accepted or submitted a review on this call: the rubric is fixed from then on."""
    return ReviewAssignment.objects.filter(
        application__call=call, status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED]
    ).exists()


def get_criterion_for_staff(*, user: Any, pk: int) -> RubricCriterion:
    require_call_staff(user=user)
    return get_object_or_404(RubricCriterion.objects.select_related("call"), pk=pk)


@dataclass(frozen=True)
class PanelMember:
    """A reviewer on a call's panel, with their load and conflicts there."""

    person: Person
    open_here: int
    submitted_here: int
    open_elsewhere: int
    conflicts: list[tuple[str, int]]

    @property
    def conflict_count(self) -> int:
        return sum(count for _reason, count in self.conflicts)


_OPEN = [AssignmentStatus.PROPOSED, AssignmentStatus.ACCEPTED]


def panel_for_staff(*, user: Any, call: Call) -> list[PanelMember]:
    """The panel with each reviewer's load (open and submitted reviews here, open reviews on
    other calls) and their conflicts of interest in this call by reason. Six queries."""
    require_call_staff(user=user)
    here = Q(review_assignments__application__call=call)
    people = list(
        Person.objects.filter(calls_to_review=call)
        .select_related("country_of_practice")
        .annotate(
            open_here=Count("review_assignments", filter=here & Q(review_assignments__status__in=_OPEN)),
            submitted_here=Count(
                "review_assignments", filter=here & Q(review_assignments__status=AssignmentStatus.SUBMITTED)
            ),
            open_total=Count("review_assignments", filter=Q(review_assignments__status__in=_OPEN)),
        )
        .order_by("family_name", "given_name", "id")
    )
    by_reviewer: dict[int, dict[str, int]] = {}
    if people:
        for _application, reviewer_id, reason in conflicts_for_call(call=call, reviewer_ids={p.pk for p in people}):
            counts = by_reviewer.setdefault(reviewer_id, {})
            counts[reason] = counts.get(reason, 0) + 1
    return [
        PanelMember(
            person=person,
            open_here=person.open_here,  # type: ignore[attr-defined]
            submitted_here=person.submitted_here,  # type: ignore[attr-defined]
            open_elsewhere=person.open_total - person.open_here,  # type: ignore[attr-defined]
            conflicts=[
                (str(ConflictReason(reason).label), count)
                for reason, count in sorted(by_reviewer.get(person.pk, {}).items())
            ],
        )
        for person in people
    ]


def panel_candidates(*, user: Any, call: Call, query: str) -> list[Person]:
    """People to add to the panel: a search (accents ignored) among those not on it yet; with no
    words, the volunteers who offer to review. At most PANEL_SEARCH_LIMIT, by name."""
    require_call_staff(user=user)
    people = Person.objects.exclude(calls_to_review=call).select_related("country_of_practice")
    if query.strip():
        people = people.filter(person_search_condition(query))
    else:
        people = people.filter(
            volunteer_profile__is_active=True,
            volunteer_profile__roles__icontains=f'"{VolunteerRole.REVIEWER.value}"',
        )
    return list(people.order_by("family_name", "given_name", "id")[:PANEL_SEARCH_LIMIT])


def get_panel_person(*, user: Any, pk: int) -> Person:
    """Fetch-or-deny for panel changes: any person, for call staff only."""
    require_call_staff(user=user)
    return get_object_or_404(Person, pk=pk)


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


def get_reference_with_letter(*, pk: int) -> ReferenceRequest:
    """A reference request whose letter has been uploaded (404 otherwise). Callers check who asks."""
    reference = get_object_or_404(ReferenceRequest, pk=pk)
    if not reference.letter:
        raise Http404
    return reference
