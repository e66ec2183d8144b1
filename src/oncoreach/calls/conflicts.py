"""Conflicts of interest: one vectorised function, used by permissions and the engine adapter.

Four queries for a whole call, however many applications and reviewers it has, so both a
reviewer's list and the matching adapter can ask it freely (STYLE.md §3).
"""

from __future__ import annotations

from collections import defaultdict

from oncoreach.calls.enums import ApplicationStatus, ConflictReason
from oncoreach.calls.models import Application, Call, ConflictDeclaration, ReviewAssignment
from oncoreach.people.models import Affiliation, Person

Conflict = tuple[int, int, str]


def reviewer_ids_for_call(*, call: Call) -> set[int]:
    """Everyone who reviews or might review in this call: the panel and anyone assigned."""
    panel = set(Call.reviewers.through.objects.filter(call=call).values_list("person_id", flat=True))
    assigned = set(ReviewAssignment.objects.filter(application__call=call).values_list("reviewer_id", flat=True))
    return panel | assigned


def _organizations_by_person(person_ids: set[int]) -> dict[int, set[int]]:
    orgs: dict[int, set[int]] = defaultdict(set)
    for person_id, organization_id in Affiliation.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "organization_id"
    ):
        orgs[person_id].add(organization_id)
    return orgs


def _reviewers_by_country(reviewer_ids: set[int]) -> dict[int, set[int]]:
    by_country: dict[int, set[int]] = defaultdict(set)
    for person_id, country_id in Person.objects.filter(pk__in=reviewer_ids).values_list("id", "country_of_practice_id"):
        if country_id is not None:
            by_country[country_id].add(person_id)
    return by_country


def conflicts_for_call(*, call: Call, reviewer_ids: set[int] | None = None) -> set[Conflict]:
    """Every (application id, reviewer person id, reason) pair in conflict in this call.

    Reasons: the reviewer is the applicant (``self``); shares an organization with the applicant
    through an affiliation (``same_institution``); practises in the same country when the call
    says that counts (``same_country``); or declared a conflict (``declared``). ``reviewer_ids``
    narrows the reviewers looked at (default: the panel and everyone assigned).
    """
    if reviewer_ids is None:
        reviewer_ids = reviewer_ids_for_call(call=call)
    applications = list(
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .values_list("id", "applicant_id", "applicant__country_of_practice_id")
    )
    conflicts: set[Conflict] = set()
    if reviewer_ids:
        orgs = _organizations_by_person({applicant for _a, applicant, _c in applications} | reviewer_ids)
        reviewers_by_org: dict[int, set[int]] = defaultdict(set)
        for reviewer_id in reviewer_ids:
            for organization_id in orgs.get(reviewer_id, ()):
                reviewers_by_org[organization_id].add(reviewer_id)
        by_country = _reviewers_by_country(reviewer_ids) if call.conflict_same_country else {}
        for application_id, applicant_id, country_id in applications:
            if applicant_id in reviewer_ids:
                conflicts.add((application_id, applicant_id, ConflictReason.SELF.value))
            colleagues = set().union(*(reviewers_by_org.get(org, set()) for org in orgs.get(applicant_id, ())))
            compatriots = by_country.get(country_id, set()) if country_id is not None else set()
            conflicts.update(
                (application_id, reviewer_id, ConflictReason.SAME_INSTITUTION.value)
                for reviewer_id in colleagues - {applicant_id}
            )
            conflicts.update(
                (application_id, reviewer_id, ConflictReason.SAME_COUNTRY.value)
                for reviewer_id in compatriots - {applicant_id}
            )
    conflicts.update(
        (application_id, reviewer_id, ConflictReason.DECLARED.value)
        for application_id, reviewer_id in ConflictDeclaration.objects.filter(call=call).values_list(
            "application_id", "reviewer_id"
        )
    )
    return conflicts


def conflicted_pairs(conflicts: set[Conflict]) -> set[tuple[int, int]]:
    """The (application id, reviewer id) pairs, whatever the reason."""
    return {(application_id, reviewer_id) for application_id, reviewer_id, _reason in conflicts}
