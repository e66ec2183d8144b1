"""The "past mentorship" conflict-of-interest rule for calls: a reviewer who mentored an applicant,
or was mentored by them, does not review their application.

Registered into calls' conflicts registry from ``MentoringConfig.ready`` (:data:`RULE`, whose
finder reads a whole call's scope in one query). The matching round applies the same rule itself
(the engine's ``past_mentorship`` rule).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.conflicts import ConflictRule, ConflictScope, Found
from oncoreach.calls.models import Application, Call
from oncoreach.mentoring.models import Mentorship

REASON = "past_mentorship"


def past_mentorship_conflicts(*, call: Call, reviewer_ids: set[int]) -> set[tuple[int, int, str]]:
    """(application id, reviewer person id, "past_mentorship") for every application of the call
    whose applicant was in a mentorship (either side, any status) with one of the reviewers."""
    if not reviewer_ids:
        return set()
    applicants = dict(Application.objects.filter(call=call).values_list("applicant_id", "pk"))
    pairs = Mentorship.objects.filter(
        Q(mentee_id__in=applicants.keys(), mentor_id__in=reviewer_ids)
        | Q(mentor_id__in=applicants.keys(), mentee_id__in=reviewer_ids)
    ).values_list("mentee_id", "mentor_id")
    conflicts = set()
    for mentee_id, mentor_id in pairs:
        for applicant_id, reviewer_id in ((mentee_id, mentor_id), (mentor_id, mentee_id)):
            if applicant_id in applicants and reviewer_id in reviewer_ids:
                conflicts.add((applicants[applicant_id], reviewer_id, REASON))
    return conflicts


def find_past_mentorship(scope: ConflictScope) -> Iterator[Found]:
    """The registry's finder: the scope's applications whose applicant was in a mentorship (either
    side, any status) with one of the scope's reviewers. One query."""
    by_applicant = scope.applications_of()
    if not by_applicant or not scope.reviewer_ids:
        return
    pairs = Mentorship.objects.filter(
        Q(mentee_id__in=by_applicant.keys(), mentor_id__in=scope.reviewer_ids)
        | Q(mentor_id__in=by_applicant.keys(), mentee_id__in=scope.reviewer_ids)
    ).values_list("mentee_id", "mentor_id")
    seen: set[tuple[int, int]] = set()
    for mentee_id, mentor_id in pairs:
        for applicant_id, reviewer_id in ((mentee_id, mentor_id), (mentor_id, mentee_id)):
            if reviewer_id in scope.reviewer_ids:
                for application_id in by_applicant.get(applicant_id, ()):
                    if (application_id, reviewer_id) not in seen:
                        seen.add((application_id, reviewer_id))
                        yield application_id, reviewer_id, {}


RULE = ConflictRule(
    code=REASON,
    label=_("Past mentorship"),
    staff_text=_("The reviewer and the applicant were in a mentorship together."),
    reviewer_text=_("You were in a mentorship with this applicant."),
    find=find_past_mentorship,
)
