"""End of term reads: a person's completed mentorships (evaluation, certificate, story prompt),
and the fetch-or-deny helpers of the evaluation and certificate pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse

from oncoreach.mentoring.enums import MentorshipStatus, Side
from oncoreach.mentoring.models import Mentorship
from oncoreach.mentoring.models_term import Evaluation
from oncoreach.mentoring.permissions import is_mentoring_staff
from oncoreach.people.models import Person


def story_path(mentorship: Mentorship) -> str:
    """The story-writing page with the mentorship's program chosen."""
    return f"{reverse('stories:write')}?program={mentorship.cycle.cycle.program_id}"


@dataclass(frozen=True)
class FinishedMentorship:
    mentorship: Mentorship
    side: str
    other: Person
    evaluation: Evaluation | None
    evaluation_open: bool
    has_certificate: bool
    story_url: str


def finished_mentorships(person: Person | None) -> list[FinishedMentorship]:
    """The person's completed mentorships on either side, newest first (two queries)."""
    if person is None:
        return []
    mentorships = (
        Mentorship.objects.filter(Q(mentee=person) | Q(mentor=person), status=MentorshipStatus.COMPLETED)
        .select_related("mentee", "mentor", "cycle__cycle")
        .prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.filter(person=person)))
        .order_by("-ends_on", "-pk")
    )
    rows = []
    for mentorship in mentorships:
        side = Side.MENTOR if mentorship.mentor_id == person.pk else Side.MENTEE
        evaluation = next(iter(mentorship.evaluations.all()), None)
        rows.append(
            FinishedMentorship(
                mentorship=mentorship,
                side=side,
                other=mentorship.mentee if side == Side.MENTOR else mentorship.mentor,
                evaluation=evaluation,
                evaluation_open=evaluation is not None and evaluation.frozen_at is None,
                has_certificate=side == Side.MENTOR,
                story_url=story_path(mentorship),
            )
        )
    return rows


def get_evaluation_for_user(*, user: Any, mentorship_pk: int) -> Evaluation:
    """Fetch-or-deny: the signed-in person's own evaluation of a mentorship (404 for anyone else,
    staff included: an evaluation is written by its side only)."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    evaluation = (
        Evaluation.objects.select_related("mentorship__mentee", "mentorship__mentor", "mentorship__cycle__cycle")
        .select_related("response_set")
        .filter(mentorship_id=mentorship_pk, person=person, mentorship__status=MentorshipStatus.COMPLETED)
        .first()
        if person is not None
        else None
    )
    if evaluation is None:
        raise Http404
    return evaluation


def can_download_certificate(user: Any, mentorship: Mentorship) -> bool:
    """The certificate of mentoring: its mentor and program staff only, once completed."""
    if mentorship.status != MentorshipStatus.COMPLETED or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    return is_mentoring_staff(user) or (person is not None and mentorship.mentor_id == person.pk)


def get_mentorship_for_certificate(*, user: Any, pk: int) -> Mentorship:
    """Fetch-or-deny for the certificate (404 for the mentee and everybody else)."""
    mentorship = Mentorship.objects.select_related("mentor", "mentee", "cycle__cycle__program").filter(pk=pk).first()
    if mentorship is None or not can_download_certificate(user, mentorship):
        raise Http404
    return mentorship
