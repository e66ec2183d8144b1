"""Conflicts of interest: a registry of rules that apps add to, and one index per call.

Each rule has a code, words for staff and for reviewers, and a vectorised finder: given the call
(or one of its stages), the reviewers and the applications, it returns every pair in conflict with
the facts that explain it, in a few queries however many pairs there are. ``conflict_index`` runs
every registered rule once for a call and returns a :class:`ConflictIndex`, which answers "may
this reviewer see this application, and if not why" in O(1). Permissions, selectors, services
and the matching adapter all ask the same index (STYLE.md §3).

Rules here: the reviewer is the applicant; same current institution; a shared past affiliation
(with the years); same country of practice when the call says so; co-authors (both have an ORCID
iD and share a DOI in their publication lists); the reviewer is one of the applicant's referees;
a declared conflict. An app adds its own from its ``AppConfig.ready()``::

    register_conflict_rule(ConflictRule(code="past_mentorship", label=..., staff_text=...,
                                        reviewer_text=..., find=my_finder))

where ``my_finder(scope) -> Iterable[tuple[application_id, reviewer_id, params]]``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oncoreach.calls.enums import ApplicationStatus
from oncoreach.calls.models import Application, Call, CallRole, CallStage, ConflictDeclaration, ReferenceRequest
from oncoreach.calls.models import ReviewAssignment as Assignment
from oncoreach.people.models import Affiliation, Organization, Person, Publication

#: A past affiliation shared with an applicant counts when it ended at most this many years ago.
SHARED_AFFILIATION_YEARS = 5


@dataclass(frozen=True)
class ApplicationFacts:
    """What the rules know of one application: its id and the applicant's."""

    application_id: int
    applicant_id: int
    country_id: int | None


@dataclass(frozen=True)
class ConflictScope:
    """What a rule's finder looks at: one call (or one of its stages), the reviewers and the
    applications to pair, and the year that counts as "now" for affiliations."""

    call: Call
    stage: CallStage | None
    reviewer_ids: frozenset[int]
    applications: tuple[ApplicationFacts, ...]
    year: int

    @property
    def applicant_ids(self) -> set[int]:
        return {facts.applicant_id for facts in self.applications}

    def applications_of(self) -> dict[int, list[int]]:
        """Applicant person id → their application ids in this scope."""
        by_applicant: dict[int, list[int]] = defaultdict(list)
        for facts in self.applications:
            by_applicant[facts.applicant_id].append(facts.application_id)
        return by_applicant


Found = tuple[int, int, Mapping[str, Any]]
Finder = Callable[[ConflictScope], Iterable[Found]]


@dataclass(frozen=True)
class ConflictRule:
    """One rule: ``label`` names it in counts and lists (staff); ``staff_text`` says why for one
    pair (``%(name)s`` placeholders filled from the finder's params); ``reviewer_text`` tells the
    reviewer without naming the applicant (blind stages)."""

    code: str
    label: str | Promise
    staff_text: str | Promise
    reviewer_text: str | Promise
    find: Finder


_rules: dict[str, ConflictRule] = {}


def register_conflict_rule(rule: ConflictRule) -> None:
    """Add (or replace, by code) a rule; apps call this from ``AppConfig.ready``."""
    _rules[rule.code] = rule


def unregister_conflict_rule(code: str) -> None:
    """Remove a rule by code (tests; an app switched off)."""
    _rules.pop(code, None)


def conflict_rules() -> list[ConflictRule]:
    return list(_rules.values())


def conflict_rule(code: str) -> ConflictRule | None:
    return _rules.get(code)


def _words(template: str | Promise, params: Mapping[str, Any]) -> str:
    text = str(template)
    try:
        return text % dict(params) if "%(" in text else text
    except (KeyError, TypeError, ValueError):
        return text


@dataclass(frozen=True)
class Conflict:
    """One reason one reviewer may not see one application."""

    application_id: int
    reviewer_id: int
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        rule = conflict_rule(self.code)
        return str(rule.label) if rule else self.code.replace("_", " ")

    @property
    def staff_text(self) -> str:
        rule = conflict_rule(self.code)
        return _words(rule.staff_text, self.params) if rule else self.label

    @property
    def reviewer_text(self) -> str:
        rule = conflict_rule(self.code)
        return _words(rule.reviewer_text, self.params) if rule else self.label


class ConflictIndex:
    """Every conflict of one call, looked up by pair in O(1) after one precomputation."""

    def __init__(self, conflicts: Iterable[Conflict] = ()) -> None:
        self._by_pair: dict[tuple[int, int], list[Conflict]] = defaultdict(list)
        for conflict in sorted(conflicts, key=lambda c: (c.application_id, c.reviewer_id, c.code)):
            self._by_pair[(conflict.application_id, conflict.reviewer_id)].append(conflict)

    def reasons(self, application_id: int, reviewer_id: int) -> list[Conflict]:
        """Why this reviewer may not see this application (empty: they may)."""
        return list(self._by_pair.get((application_id, reviewer_id), ()))

    def has(self, application_id: int, reviewer_id: int) -> bool:
        return (application_id, reviewer_id) in self._by_pair

    def pairs(self) -> set[tuple[int, int]]:
        return set(self._by_pair)

    def for_application(self, application_id: int) -> dict[int, list[Conflict]]:
        """Reviewer id → reasons, for one application (staff pages)."""
        return {reviewer: list(found) for (app, reviewer), found in self._by_pair.items() if app == application_id}

    def __iter__(self) -> Iterator[Conflict]:
        for found in self._by_pair.values():
            yield from found

    def __len__(self) -> int:
        return sum(len(found) for found in self._by_pair.values())

    def __bool__(self) -> bool:
        return bool(self._by_pair)


# --- The scope ---------------------------------------------------------------------------------


def reviewer_ids_for_call(*, call: Call, stage: CallStage | None = None) -> set[int]:
    """Everyone on the call's panel (any role, the call's or its cycle's; one stage's and the
    call-wide roles when ``stage`` is given) and everyone assigned there."""
    roles = CallRole.objects.filter(Q(call=call) | Q(cycle_id=call.cycle_id))
    assigned = Assignment.objects.filter(application__call=call)
    if stage is not None:
        roles = roles.filter(Q(stage__isnull=True) | Q(stage=stage))
        assigned = assigned.filter(stage=stage)
    return set(roles.values_list("person_id", flat=True)) | set(assigned.values_list("reviewer_id", flat=True))


def conflict_index(
    *,
    call: Call,
    stage: CallStage | None = None,
    reviewer_ids: Iterable[int] | None = None,
    application_ids: Iterable[int] | None = None,
    on: dt.date | None = None,
) -> ConflictIndex:
    """Run every registered rule once over the call's submitted applications (or
    ``application_ids``) and ``reviewer_ids`` (default: the panel and everyone assigned). A few
    queries per rule, whatever the size of the call."""
    reviewers = frozenset(reviewer_ids if reviewer_ids is not None else reviewer_ids_for_call(call=call, stage=stage))
    applications = Application.objects.filter(call=call).exclude(status=ApplicationStatus.DRAFT)
    if application_ids is not None:
        applications = applications.filter(pk__in=list(application_ids))
    scope = ConflictScope(
        call=call,
        stage=stage,
        reviewer_ids=reviewers,
        applications=tuple(
            ApplicationFacts(*row)
            for row in applications.values_list("id", "applicant_id", "applicant__country_of_practice_id")
        ),
        year=(on or timezone.localdate()).year,
    )
    if not scope.reviewer_ids or not scope.applications:
        return ConflictIndex()
    found: list[Conflict] = []
    for rule in conflict_rules():
        found.extend(
            Conflict(application_id=a, reviewer_id=r, code=rule.code, params=dict(params))
            for a, r, params in rule.find(scope)
        )
    return ConflictIndex(found)


def conflicts_for_call(*, call: Call, reviewer_ids: set[int] | None = None) -> set[tuple[int, int, str]]:
    """Every (application id, reviewer id, rule code) in conflict in this call."""
    index = conflict_index(call=call, reviewer_ids=reviewer_ids)
    return {(c.application_id, c.reviewer_id, c.code) for c in index}


def conflicted_pairs(conflicts: ConflictIndex | set[tuple[int, int, str]]) -> set[tuple[int, int]]:
    """The (application id, reviewer id) pairs, whatever the reason."""
    if isinstance(conflicts, ConflictIndex):
        return conflicts.pairs()
    return {(application_id, reviewer_id) for application_id, reviewer_id, _reason in conflicts}


# --- The rules ---------------------------------------------------------------------------------


def find_self(scope: ConflictScope) -> Iterator[Found]:
    for facts in scope.applications:
        if facts.applicant_id in scope.reviewer_ids:
            yield facts.application_id, facts.applicant_id, {}


def _is_current(end_year: int | None, year: int) -> bool:
    return end_year is None or end_year >= year


def _affiliations(scope: ConflictScope) -> list[tuple[int, int, int | None, int | None]]:
    people = scope.applicant_ids | set(scope.reviewer_ids)
    return list(
        Affiliation.objects.filter(person_id__in=people).values_list(
            "person_id", "organization_id", "start_year", "end_year"
        )
    )


def _organization_names(ids: set[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


def find_same_institution(scope: ConflictScope) -> Iterator[Found]:
    """Both hold a current affiliation (no end year, or ending this year or later) at one place."""
    current: dict[int, set[int]] = defaultdict(set)  # organization → people there now
    for person, organization, _start, end in _affiliations(scope):
        if _is_current(end, scope.year):
            current[organization].add(person)
    applications = scope.applications_of()
    hits: list[tuple[int, int, int]] = []
    for organization, people in current.items():
        reviewers = people & scope.reviewer_ids
        for applicant in people & set(applications):
            hits.extend(
                (application, reviewer, organization)
                for application in applications[applicant]
                for reviewer in reviewers - {applicant}
            )
    names = _organization_names({organization for _a, _r, organization in hits})
    for application, reviewer, organization in hits:
        yield application, reviewer, {"organization": names.get(organization, "")}


def _years_text(start: int | None, end: int | None) -> str:
    if start is None:
        return f"…–{end}"
    return str(start) if start == end else f"{start}–{end}"


def find_shared_affiliation(scope: ConflictScope) -> Iterator[Found]:
    """Both were at one organization at the same time (their years overlap), the overlap ended
    within SHARED_AFFILIATION_YEARS, and they are not both there now (that is same_institution).
    An unknown start counts as "always", an unknown end as "still there"."""
    spans: dict[int, list[tuple[int, int | None, int | None]]] = defaultdict(list)  # org → (person, start, end)
    for person, organization, start, end in _affiliations(scope):
        spans[organization].append((person, start, end))
    applications = scope.applications_of()
    hits: list[tuple[int, int, int, str]] = []
    for organization, rows in spans.items():
        applicants = [row for row in rows if row[0] in applications]
        reviewers = [row for row in rows if row[0] in scope.reviewer_ids]
        for applicant, a_start, a_end in applicants:
            for reviewer, r_start, r_end in reviewers:
                if reviewer == applicant or (_is_current(a_end, scope.year) and _is_current(r_end, scope.year)):
                    continue
                ends = [year for year in (a_end, r_end) if year is not None]
                starts = [year for year in (a_start, r_start) if year is not None]
                last = min(ends) if ends else scope.year
                first = max(starts) if starts else None
                if (first is not None and first > last) or last < scope.year - SHARED_AFFILIATION_YEARS:
                    continue
                years = _years_text(first, last)
                hits.extend((application, reviewer, organization, years) for application in applications[applicant])
    names = _organization_names({organization for _a, _r, organization, _y in hits})
    for application, reviewer, organization, years in hits:
        yield application, reviewer, {"organization": names.get(organization, ""), "years": years}


def find_same_country(scope: ConflictScope) -> Iterator[Found]:
    """Only when the call says a compatriot has a conflict."""
    if not scope.call.conflict_same_country:
        return
    rows = Person.objects.filter(pk__in=scope.reviewer_ids, country_of_practice__isnull=False)
    by_country: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for person, country, name in rows.values_list("id", "country_of_practice_id", "country_of_practice__name"):
        by_country[country].add(person)
        names[country] = name
    for facts in scope.applications:
        if facts.country_id is None:
            continue
        for reviewer in by_country.get(facts.country_id, set()) - {facts.applicant_id}:
            yield facts.application_id, reviewer, {"country": names[facts.country_id]}


def find_coauthors(scope: ConflictScope) -> Iterator[Found]:
    """Both have an ORCID iD and the same DOI in their publication lists (one query)."""
    people = scope.applicant_ids | set(scope.reviewer_ids)
    by_doi: dict[str, list[tuple[int, str, int | None]]] = defaultdict(list)
    for person, doi, title, year in (
        Publication.objects.filter(person_id__in=people)
        .exclude(person__orcid="")
        .values_list("person_id", "doi", "title", "year")
    ):
        by_doi[doi].append((person, title, year))
    applications = scope.applications_of()
    seen: set[tuple[int, int]] = set()
    for doi in sorted(by_doi):
        authors = by_doi[doi]
        for applicant, title, year in authors:
            for reviewer, _title, _year in authors:
                if reviewer == applicant or reviewer not in scope.reviewer_ids or applicant not in applications:
                    continue
                for application in applications[applicant]:
                    if (application, reviewer) not in seen:
                        seen.add((application, reviewer))
                        yield application, reviewer, {"title": title, "year": year or "", "doi": doi}


def find_referees(scope: ConflictScope) -> Iterator[Found]:
    """The reviewer's e-mail address is one the applicant named a referee with."""
    emails: dict[str, set[int]] = defaultdict(set)
    for person, email in Person.objects.filter(pk__in=scope.reviewer_ids).exclude(email="").values_list("id", "email"):
        emails[email.lower()].add(person)
    if not emails:
        return
    ids = [facts.application_id for facts in scope.applications]
    requests = ReferenceRequest.objects.filter(application_id__in=ids).values_list("application_id", "referee_email")
    for application, email in requests:
        for reviewer in emails.get(email.lower(), ()):
            yield application, reviewer, {}


def find_declared(scope: ConflictScope) -> Iterator[Found]:
    declarations = ConflictDeclaration.objects.filter(application__call=scope.call, reviewer_id__in=scope.reviewer_ids)
    for application, reviewer, reason in declarations.values_list("application_id", "reviewer_id", "reason"):
        yield application, reviewer, {"reason": reason}


for _rule in (
    ConflictRule(
        "self",
        _("The reviewer is the applicant"),
        _("The reviewer is the applicant."),
        _("This is your own application."),
        find_self,
    ),
    ConflictRule(
        "same_institution",
        _("Same organization as the applicant"),
        _("Both are at %(organization)s now."),
        _("You work at the applicant's organization."),
        find_same_institution,
    ),
    ConflictRule(
        "shared_affiliation",
        _("Shared past affiliation"),
        _("Both were at %(organization)s in %(years)s."),
        _("You and the applicant were at the same organization in %(years)s."),
        find_shared_affiliation,
    ),
    ConflictRule(
        "same_country",
        _("Same country of practice as the applicant"),
        _("Both practise in %(country)s, and this call counts that as a conflict."),
        _("You practise in the applicant's country, and this call counts that as a conflict."),
        find_same_country,
    ),
    ConflictRule(
        "coauthor",
        _("Co-authors"),
        _("Co-authors of “%(title)s” (%(year)s)."),
        _("You and the applicant published together (%(year)s)."),
        find_coauthors,
    ),
    ConflictRule(
        "referee",
        _("Referee of the applicant"),
        _("The reviewer was named as one of the applicant's referees."),
        _("You were named as one of the applicant's referees."),
        find_referees,
    ),
    ConflictRule(
        "declared",
        _("Conflict declared"),
        _("Declared: %(reason)s"),
        _("You declared a conflict of interest."),
        find_declared,
    ),
):
    register_conflict_rule(_rule)
