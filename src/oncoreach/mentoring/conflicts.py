"""The "past mentorship" conflict-of-interest rule for calls: a reviewer who mentored an applicant,
or was mentored by them, does not review their application.

Written for calls' conflicts registry (``calls/conflicts.py``, rules registered from
``AppConfig.ready``) once it lands; see docs/mentoring.md for the one line that registers it. The
matching round applies the same rule itself (the engine's ``past_mentorship`` rule).
"""

from __future__ import annotations

from django.db.models import Q

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
