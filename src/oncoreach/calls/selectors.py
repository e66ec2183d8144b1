"""Reads for calls, already permission-scoped and prefetched; fetch-or-deny helpers for views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.conflicts import ConflictIndex, conflict_index, conflict_rule
from oncoreach.calls.enums import DRIVEN_ELSEWHERE, ApplicationStatus, AssignmentStatus
from oncoreach.calls.models import (
    Application,
    ApplicationSubmission,
    Call,
    CallRole,
    CallStage,
    PanelDecision,
    ReferenceRequest,
    Review,
    ReviewAssignment,
    RubricCriterion,
)
from oncoreach.calls.permissions import can_review, is_call_staff, owns_application
from oncoreach.calls.roles import roles_assessing
from oncoreach.people.models import Person
from oncoreach.people.selectors import PersonSection, person_search_condition
from oncoreach.programs.models import Answer
from oncoreach.volunteers.enums import VolunteerRole

REFERENCE_SALT = "oncoreach.calls.reference-letter"
#: A call's stages in order with their forms (most pages need them).
_STAGES = Prefetch("stages", CallStage.objects.select_related("form").order_by("order", "id"))
_SUBMISSION_QS = ApplicationSubmission.objects.select_related("stage", "response_set").order_by("stage__order", "id")
_SUBMISSIONS = Prefetch("submissions", _SUBMISSION_QS)


def _rule_label(code: str) -> str:
    rule = conflict_rule(code)
    return str(rule.label) if rule is not None else code


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
    return calls.with_deadline().prefetch_related(_STAGES).order_by(F("deadline").asc(), "title")


def get_public_call(*, slug: str) -> Call:
    """Fetch-or-deny: a published call (open, upcoming or closed) that people apply to here, or 404."""
    return get_object_or_404(
        Call.objects.select_related("cycle__program")
        .prefetch_related("prior_award_programs", _STAGES, "stages__criteria")
        .exclude(kind__in=DRIVEN_ELSEWHERE),
        slug=slug,
        is_published=True,
    )


def require_call_staff(*, user: Any) -> None:
    if not is_call_staff(user):
        raise PermissionDenied


def get_call_for_staff(*, user: Any, slug: str) -> Call:
    require_call_staff(user=user)
    return get_object_or_404(Call.objects.select_related("cycle__program").prefetch_related(_STAGES), slug=slug)


def calls_for_staff(*, user: Any) -> QuerySet[Call]:
    require_call_staff(user=user)
    return (
        Call.objects.select_related("cycle__program")
        .prefetch_related(_STAGES)
        .with_deadline()
        .annotate(application_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)))
        .order_by(F("deadline").desc(nulls_last=True))
    )


def applications_for_applicant(*, user: Any) -> QuerySet[Application]:
    """The signed-in person's own applications (never anyone else's)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(applicant__user=user)
        .select_related("call__cycle__program", "current_stage")
        .prefetch_related("call__stages")
        .order_by("-created_at")
    )


def get_own_application(*, user: Any, pk: int) -> Application:
    """Fetch-or-deny: the applicant's own application, or 404 (never someone else's)."""
    application = get_object_or_404(
        Application.objects.select_related("call__cycle__program", "applicant", "current_stage").prefetch_related(
            "call__stages__form", _SUBMISSIONS
        ),
        pk=pk,
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
            "call__cycle__program",
            "applicant__country_of_practice",
            "applicant__country_of_residence",
            "current_stage",
        ).prefetch_related("call__stages__form", _SUBMISSIONS),
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


def criteria_for_stage(*, stage: CallStage) -> list[RubricCriterion]:
    """Every criterion of a stage's rubric, of every variant."""
    return list(RubricCriterion.objects.filter(stage=stage).order_by("order", "id"))


def criteria_for_variant(*, stage: CallStage | int, variant: str) -> list[RubricCriterion]:
    """The criteria a rubric variant scores on in a stage: those for every application and the
    variant's own (``calls.rubric_variants``)."""
    variants = (Q(variant="") | Q(variant=variant)) if variant else Q(variant="")
    stage_id = stage if isinstance(stage, int) else stage.pk
    return list(RubricCriterion.objects.filter(variants, stage_id=stage_id).order_by("order", "id"))


def criteria_for_application(*, stage: CallStage | int, application: Application) -> list[RubricCriterion]:
    """The criteria an application is scored on in a stage (its rubric variant's)."""
    return criteria_for_variant(stage=stage, variant=application.rubric_variant)


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
        .select_related("application__call", "application__applicant", "reviewer", "stage")
        .prefetch_related("application__call__stages")
        .order_by("stage__closes_at", "id")
    )
    conflicts_by_call: dict[int, ConflictIndex] = {}
    visible = []
    for assignment in assignments:
        call = assignment.application.call
        if call.pk not in conflicts_by_call:
            conflicts_by_call[call.pk] = conflict_index(call=call, reviewer_ids={assignment.reviewer_id})
        if can_review(user, assignment, conflicts_by_call[call.pk]):
            visible.append(assignment)
    return visible


def get_assignment_for_review(*, user: Any, pk: int) -> ReviewAssignment:
    """Fetch-or-deny: the reviewer's own assignment, without a conflict; otherwise 404."""
    if not user.is_authenticated:
        raise Http404
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related(
            "application__call", "application__applicant", "application__current_stage", "reviewer", "stage"
        ).prefetch_related("application__call__stages__form", Prefetch("application__submissions", _SUBMISSION_QS)),
        pk=pk,
        reviewer__user=user,
    )
    conflicts = conflict_index(
        call=assignment.application.call,
        reviewer_ids={assignment.reviewer_id},
        application_ids=[assignment.application_id],
    )
    if not can_review(user, assignment, conflicts):
        raise Http404
    return assignment


def assignments_for_packet(*, user: Any, slug: str, stage_key: str) -> tuple[CallStage, list[ReviewAssignment]]:
    """Fetch-or-deny: the signed-in reviewer's accepted (or submitted) assignments in one stage,
    with their answers, never one in conflict of interest; 404 for anyone without one there."""
    if not user.is_authenticated:
        raise Http404
    stage = get_object_or_404(CallStage.objects.select_related("call"), call__slug=slug, key=stage_key)
    assignments = list(
        ReviewAssignment.objects.filter(
            stage=stage,
            reviewer__user=user,
            status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED],
        )
        .select_related("application__call", "application__applicant", "stage", "reviewer")
        .prefetch_related(Prefetch("application__submissions", _SUBMISSION_QS))
        .order_by("application_id")
    )
    if not assignments:
        raise Http404
    conflicts = conflict_index(
        call=stage.call,
        reviewer_ids={assignments[0].reviewer_id},
        application_ids=[assignment.application_id for assignment in assignments],
    )
    return stage, [assignment for assignment in assignments if can_review(user, assignment, conflicts)]


def get_packet_run(*, user: Any, pk: int) -> Any:
    """Fetch-or-deny: a packet run the signed-in user started; 404 for anyone else."""
    from oncoreach.calls.enums import REVIEW_PACKET_RUN
    from oncoreach.core.models import BackgroundRun

    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        BackgroundRun.objects.select_related("started_by"), pk=pk, kind=REVIEW_PACKET_RUN, started_by=user
    )


def get_application_file(*, user: Any, application_pk: int, answer_pk: int) -> Answer:
    """Fetch-or-deny: a file uploaded with an application (by its Answer id, as the display's
    ``ShownItem.answer_id`` gives it), for the applicant, call staff and a reviewer who may review
    it (live assignment, no conflict of interest); 404 for anyone else and for an answer without
    a file or of another application. Reviewers' audience rules are the form engine's (a staff-only
    file is never shown to them)."""
    if not user.is_authenticated:
        raise Http404
    application = get_object_or_404(Application.objects.select_related("call"), pk=application_pk)
    if not (owns_application(user, application) or is_call_staff(user) or _may_review(user, application)):
        raise Http404
    response_sets = ApplicationSubmission.objects.filter(application=application).values("response_set_id")
    answer = Answer.objects.filter(pk=answer_pk, response_set_id__in=response_sets).exclude(file="").first()
    if answer is None:
        raise Http404
    return answer


def reads_blind(*, user: Any, application_pk: int) -> bool:
    """The user opens this application as a reviewer (or committee member) in a blind stage: the
    applicant and call staff never read blind; a reviewer with any assignment in a blind stage of
    it always does (the stricter reading wins)."""
    if not user.is_authenticated or is_call_staff(user):
        return False
    if Application.objects.filter(pk=application_pk, applicant__user=user).exists():
        return False
    return ReviewAssignment.objects.filter(
        application_id=application_pk, reviewer__user=user, stage__blind=True
    ).exists()


def neutral_file_name(*, application_pk: int, answer_pk: int, name: str) -> str:
    """A file's name for a blind reader: the application's and file's numbers and the type only."""
    suffix = Path(name).suffix.lower()
    suffix = suffix if suffix[1:].isalnum() and len(suffix) <= 6 else ""
    return f"application-{application_pk}-file-{answer_pk}{suffix}"


def _may_review(user: Any, application: Application) -> bool:
    assignment = (
        ReviewAssignment.objects.filter(application=application, reviewer__user=user)
        .select_related("application")
        .first()
    )
    if assignment is None:
        return False
    return can_review(
        user,
        assignment,
        conflict_index(call=application.call, reviewer_ids={assignment.reviewer_id}, application_ids=[application.pk]),
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
    """Reviewers in conflict with one application and why, in words for staff (the assignment form)."""
    index = conflict_index(call=application.call, application_ids=[application.pk])
    return {
        reviewer_id: [conflict.staff_text for conflict in conflicts]
        for reviewer_id, conflicts in index.for_application(application.pk).items()
    }


def conflicts_in_words(*, reasons_by_reviewer: dict[int, list[str]]) -> list[tuple[Person, list[str]]]:
    """The same conflicts with each reviewer, for staff pages."""
    people = Person.objects.filter(pk__in=reasons_by_reviewer).order_by("family_name", "given_name")
    return [(person, list(reasons_by_reviewer[person.pk])) for person in people]


def reviewer_may_see(*, reviewer_id: int, application: Application) -> bool:
    index = conflict_index(call=application.call, reviewer_ids={reviewer_id}, application_ids=[application.pk])
    return not index.has(application.pk, reviewer_id)


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
    panels = list(Call.objects.filter(roles__person=person).distinct().order_by("-created_at", "title"))
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
    """Applications reached review: the stages after the first can no longer change."""
    return Application.objects.filter(call=call, status__in=REVIEW_REACHED).exists()


def get_stage_for_staff(*, user: Any, call: Call, key: str) -> CallStage:
    require_call_staff(user=user)
    return get_object_or_404(CallStage.objects.select_related("call"), call=call, key=key)


def stages_with_use(*, call: Call) -> QuerySet[CallStage]:
    """The call's stages in order, each with what already uses it (``has_applications``,
    ``has_submissions``, ``has_assignments``, ``has_criteria``, ``has_decisions``): what the stage editor may still
    change. One query, however many stages."""
    here = OuterRef("pk")
    return (
        CallStage.objects.filter(call=call)
        .select_related("form")
        .annotate(
            has_applications=Exists(Application.objects.filter(current_stage=here)),
            has_submissions=Exists(ApplicationSubmission.objects.filter(stage=here)),
            has_assignments=Exists(ReviewAssignment.objects.filter(stage=here)),
            has_criteria=Exists(RubricCriterion.objects.filter(stage=here)),
            has_decisions=Exists(PanelDecision.objects.filter(stage=here)),
        )
        .order_by("order", "id")
    )


def reviewing_started(*, call: Call | None = None, stage: CallStage | None = None) -> bool:
    """A reviewer accepted or submitted a review in this stage (any stage of the call when only
    the call is named): its rubric is fixed from then on."""
    assignments = ReviewAssignment.objects.filter(status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED])
    assignments = assignments.filter(stage=stage) if stage is not None else assignments.filter(application__call=call)
    return assignments.exists()


def get_criterion_for_staff(*, user: Any, pk: int) -> RubricCriterion:
    require_call_staff(user=user)
    return get_object_or_404(RubricCriterion.objects.select_related("stage__call"), pk=pk)


def panel_people(*, call: Call, stage: CallStage | None = None) -> QuerySet[Person]:
    """Everyone with a role on the call (or its cycle); one stage's and the call-wide roles when
    ``stage`` is named."""
    roles = CallRole.objects.filter(Q(call=call) | Q(cycle_id=call.cycle_id))
    if stage is not None:
        roles = roles.filter(Q(stage__isnull=True) | Q(stage=stage))
    return Person.objects.filter(pk__in=roles.values("person_id"))


def stage_panel(*, call: Call, stage: CallStage) -> QuerySet[Person]:
    """The panel of one assessment stage: people whose role on the call (or its cycle), call-wide
    or on this stage, assesses this kind of stage (``roles.roles_assessing``)."""
    roles = CallRole.objects.filter(Q(call=call) | Q(cycle_id=call.cycle_id)).filter(
        Q(stage__isnull=True) | Q(stage=stage), role__in=roles_assessing(stage.kind)
    )
    return Person.objects.filter(pk__in=roles.values("person_id")).order_by("id")


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
        panel_people(call=call)
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
        for conflict in conflict_index(call=call, reviewer_ids={p.pk for p in people}):
            counts = by_reviewer.setdefault(conflict.reviewer_id, {})
            counts[conflict.code] = counts.get(conflict.code, 0) + 1
    return [
        PanelMember(
            person=person,
            open_here=person.open_here,  # type: ignore[attr-defined]
            submitted_here=person.submitted_here,  # type: ignore[attr-defined]
            open_elsewhere=person.open_total - person.open_here,  # type: ignore[attr-defined]
            conflicts=[
                (_rule_label(reason), count) for reason, count in sorted(by_reviewer.get(person.pk, {}).items())
            ],
        )
        for person in people
    ]


def panel_candidates(*, user: Any, call: Call, query: str) -> list[Person]:
    """People to add to the panel: a search (accents ignored) among those not on it yet; with no
    words, the volunteers who offer to review. At most PANEL_SEARCH_LIMIT, by name."""
    require_call_staff(user=user)
    people = Person.objects.exclude(pk__in=panel_people(call=call).values("pk")).select_related("country_of_practice")
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
