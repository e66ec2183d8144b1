"""Mentoring's reads: cycles, offers, the public mentor list (never contact details), runs with
their explanations in words, a person's proposals and mentorships."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.mentoring.enums import (
    MatchStatus,
    OfferStatus,
    Side,
    focus_area_label,
)
from oncoreach.mentoring.models import (
    Match,
    MatchRound,
    MatchRun,
    MenteeRequest,
    MentoringCycle,
    MentorOffer,
    Mentorship,
    RoundAdjustment,
    RunPair,
)
from oncoreach.mentoring.tokens import read_answer_token
from oncoreach.people.enums import language_names
from oncoreach.people.models import Person
from oncoreach.programs.models import Cycle
from oncoreach.volunteers.fit_words import list_in_words, number_in_words, reason_in_words, sentence_in_words


def cycles() -> QuerySet[MentoringCycle]:
    return MentoringCycle.objects.select_related("cycle__program", "call").annotate(
        n_offers=Count("offers", filter=Q(offers__status=OfferStatus.ACTIVE), distinct=True),
        n_requests=Count("requests", distinct=True),
    )


def open_cycles() -> list[MentoringCycle]:
    return [c for c in MentoringCycle.objects.select_related("call", "cycle__program") if c.call.is_open()]


def get_cycle(pk: int) -> MentoringCycle:
    return get_object_or_404(MentoringCycle.objects.select_related("call", "cycle__program"), pk=pk)


def offer_of(mentoring: MentoringCycle, person: Person | None) -> MentorOffer | None:
    if person is None:
        return None
    return MentorOffer.objects.filter(cycle=mentoring, person=person).prefetch_related("windows").first()


def request_of(mentoring: MentoringCycle, person: Person | None) -> MenteeRequest | None:
    if person is None:
        return None
    return (
        MenteeRequest.objects.filter(cycle=mentoring, application__applicant=person)
        .select_related("application")
        .prefetch_related("windows", "preferences__offer__person")
        .first()
    )


@dataclass(frozen=True)
class MentorCard:
    """What a mentee sees of a mentor: expertise, languages, zone, windows — never contact details."""

    offer_id: int
    name: str
    country: str
    focus_areas: list[str]
    languages: list[str]
    years: int
    low_resource: bool
    time_zone: str
    about: str
    windows: list[str]


def mentor_cards(mentoring: MentoringCycle, *, focus: str = "", language: str = "") -> list[MentorCard]:
    offers = (
        MentorOffer.objects.filter(cycle=mentoring, status=OfferStatus.ACTIVE)
        .select_related("person__country_of_practice")
        .prefetch_related("windows")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    # JSON list filters in Python: portable across SQLite and PostgreSQL; a cycle has hundreds of mentors.
    chosen = [o for o in offers if (not focus or focus in o.focus_areas) and (not language or language in o.languages)]
    return [
        MentorCard(
            offer_id=o.pk,
            name=o.person.full_name,
            country=o.person.country_of_practice.name if o.person.country_of_practice else "",
            focus_areas=[focus_area_label(code) for code in o.focus_areas],
            languages=language_names(o.languages),
            years=o.years_in_oncology,
            low_resource=o.low_resource_experience,
            time_zone=o.time_zone,
            about=o.about,
            windows=[str(w) for w in o.windows.all()],
        )
        for o in chosen
    ]


def rounds_of(mentoring: MentoringCycle) -> QuerySet[MatchRound]:
    return mentoring.rounds.all()


def get_round(pk: int) -> MatchRound:
    return get_object_or_404(MatchRound.objects.select_related("cycle__call", "cycle__cycle__program"), pk=pk)


def runs_of(round_: MatchRound) -> QuerySet[MatchRun]:
    return round_.runs.select_related("background").order_by("-number")


def get_run(round_: MatchRound, pk: int | str | None) -> MatchRun | None:
    if pk in (None, ""):
        return round_.runs.select_related("background").order_by("-number").first()
    try:
        return round_.runs.select_related("background").get(pk=int(pk))
    except (MatchRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _tag_words(tags: list[Any]) -> str:
    words = []
    for tag in tags:
        code = str(tag)
        if code == "goal:clinical":
            words.append(_("clinical goals"))
        elif code == "goal:research":
            words.append(_("research goals"))
        else:
            words.append(focus_area_label(code))
    return list_in_words(words)


def part_sentences(explanation: Mapping[str, Any]) -> list[str]:
    """A stored engine explanation in the reader's language."""
    sentences = []
    for part in explanation.get("parts", []):
        code, params = str(part.get("code", "")), part.get("params") or {}
        if code == "shared_interests":
            sentences.append(_("Shared focus: %(tags)s.") % {"tags": _tag_words(list(params.get("tags", [])))})
        elif code == "weekly_overlap":
            low, high = params.get("hours", 0), params.get("max_hours", 0)
            if high and high > low:
                sentences.append(
                    _("%(low)s to %(high)s hours a week in common, as clocks change.")
                    % {"low": number_in_words(low), "high": number_in_words(high)}
                )
            else:
                sentences.append(_("%(hours)s hours a week in common.") % {"hours": number_in_words(low)})
        elif code == "shortlist_rank":
            sentences.append(_("The mentee's choice number %(rank)s.") % {"rank": number_in_words(params.get("rank"))})
        elif code == "not_on_shortlist":
            sentences.append(_("Not on the mentee's shortlist."))
        elif code in ("visited_before", "no_previous_visit"):
            continue
        else:
            sentences.append(sentence_in_words(code, params, part.get("text", "")))
    return sentences


def unmatched_words(code: str, params: Mapping[str, Any]) -> str:
    rules = params.get("rules") or {}
    if isinstance(rules, Mapping) and code in ("no_eligible_candidate", "all_in_conflict"):
        named = list_in_words(f"{rule_words(str(rule))} ({number_in_words(count)})" for rule, count in rules.items())
        return _("No mentor may be proposed: %(rules)s.") % {"rules": named}
    return reason_in_words(code, params)


def rule_words(code: str) -> str:
    words = {
        "no_common_hours": _("no hour in common in some week of the term"),
        "same_region": _("same region"),
        "same_country": _("same country of practice"),
        "no_shared_language": _("no language in common"),
        "past_mentorship": _("past mentorship"),
        "self": _("the same person"),
        "declined": _("declined or expired before"),
    }
    return str(words.get(code, code.replace("_", " ")))


@dataclass(frozen=True)
class PairRow:
    request_id: int
    offer_id: int
    mentee: str
    mentor: str
    score: float
    rank: int
    candidates: int
    pinned: bool
    sentences: list[str]


def run_pairs(run: MatchRun) -> QuerySet[RunPair]:
    """A run's pairs in mentee order, ready for ``pair_rows`` (page them first: a round can
    hold hundreds)."""
    return run.pairs.select_related("request__application__applicant", "offer__person").order_by("request_id")


def pair_rows(pairs: Iterable[RunPair]) -> list[PairRow]:
    return [
        PairRow(
            request_id=p.request_id,
            offer_id=p.offer_id,
            mentee=p.request.application.applicant.full_name,
            mentor=p.offer.person.full_name,
            score=p.score,
            rank=p.rank,
            candidates=p.candidates,
            pinned=p.pinned,
            sentences=part_sentences(p.explanation),
        )
        for p in pairs
    ]


def run_unmatched(run: MatchRun) -> list[tuple[str, str]]:
    rows = run.unmatched.select_related("request__application__applicant").order_by("request_id")
    return [(u.request.application.applicant.full_name, unmatched_words(u.code, u.params)) for u in rows]


def compare_runs(first: MatchRun, second: MatchRun) -> list[tuple[str, str, str]]:
    """Mentees whose mentor differs between two runs: (mentee, mentor in first, in second)."""
    a = dict(first.pairs.values_list("request_id", "offer_id"))
    b = dict(second.pairs.values_list("request_id", "offer_id"))
    changed = sorted(r for r in set(a) | set(b) if a.get(r) != b.get(r))
    names = {
        r.pk: r.application.applicant.full_name
        for r in MenteeRequest.objects.filter(pk__in=changed).select_related("application__applicant")
    }
    mentor_ids = {x for x in (*a.values(), *b.values()) if x}
    mentors = {o.pk: o.person.full_name for o in MentorOffer.objects.filter(pk__in=mentor_ids).select_related("person")}
    return [(names.get(r, str(r)), mentors.get(a.get(r, 0), "—"), mentors.get(b.get(r, 0), "—")) for r in changed]


def adjustments_of(round_: MatchRound) -> QuerySet[RoundAdjustment]:
    return round_.adjustments.select_related("request__application__applicant", "offer__person")


def round_matches(round_: MatchRound) -> QuerySet[Match]:
    return round_.matches.select_related("request__application__applicant", "offer__person").order_by("id")


def status_counts(round_: MatchRound) -> dict[str, int]:
    return dict(round_.matches.values_list("status").annotate(n=Count("id")).values_list("status", "n"))


@dataclass(frozen=True)
class MyMatch:
    match: Match
    side: str
    other: Person
    my_answer: str
    contact: dict[str, str] | None  # only once both accepted
    sentences: list[str]


def my_matches(person: Person | None) -> list[MyMatch]:
    """The person's proposals and pairings on either side; the other side's contact details
    only for a pair both accepted."""
    if person is None:
        return []
    matches = (
        Match.objects.filter(Q(request__application__applicant=person) | Q(offer__person=person))
        .exclude(status=MatchStatus.PROPOSED)
        .select_related("round__cycle__cycle__program", "request__application__applicant", "offer__person")
        .order_by("-id")
    )
    rows = []
    for match in matches:
        side = Side.MENTEE if match.request.application.applicant_id == person.pk else Side.MENTOR
        other = match.offer.person if side == Side.MENTEE else match.request.application.applicant
        contact = None
        if match.status == MatchStatus.ACCEPTED:
            note = match.offer.contact_note if side == Side.MENTEE else match.request.contact_note
            contact = {"email": other.email, "note": note}
        rows.append(MyMatch(match, side, other, match.answer_of(side), contact, part_sentences(match.explanation)))
    return rows


def get_my_match(person: Person | None, pk: int) -> MyMatch:
    for row in my_matches(person):
        if row.match.pk == pk:
            return row
    raise Http404


def my_mentorships(person: Person | None) -> QuerySet[Mentorship]:
    if person is None:
        return Mentorship.objects.none()
    return Mentorship.objects.filter(Q(mentee=person) | Q(mentor=person)).select_related("mentee", "mentor")


@dataclass(frozen=True)
class LinkLookup:
    match: Match | None
    side: str
    usable: bool
    reason: str  # "", "answered", "expired", "closed"


def match_for_link(token: str) -> LinkLookup:
    """What an answer link names, and whether it can still answer (one use, while pending)."""
    link = read_answer_token(token)
    if link is None:
        return LinkLookup(None, "", False, "invalid")
    match = (
        Match.objects.select_related("round__cycle", "request__application__applicant", "offer__person")
        .filter(pk=link.match_pk)
        .first()
    )
    if match is None or (match.approved_at and int(match.approved_at.timestamp()) != link.sent):
        return LinkLookup(None, "", False, "invalid")
    overdue = (
        match.status == MatchStatus.APPROVED and match.respond_by is not None and timezone.now() > match.respond_by
    )
    if match.status == MatchStatus.EXPIRED or overdue:
        return LinkLookup(match, link.side, False, "expired")
    if match.status != MatchStatus.APPROVED or match.answer_of(link.side) != "pending":
        return LinkLookup(match, link.side, False, "answered")
    return LinkLookup(match, link.side, True, "")


def get_request(mentoring: MentoringCycle, pk: int) -> MenteeRequest:
    return get_object_or_404(MenteeRequest, cycle=mentoring, pk=pk)


def get_offer(mentoring: MentoringCycle, pk: int) -> MentorOffer:
    return get_object_or_404(MentorOffer, cycle=mentoring, pk=pk)


def get_program_cycle(pk: int) -> Cycle:
    return get_object_or_404(Cycle.objects.select_related("program"), pk=pk)


def cycles_without_mentoring() -> QuerySet[Cycle]:
    return Cycle.objects.filter(mentoring__isnull=True).select_related("program").order_by("-year", "pk")[:50]


def requests_in_cycle(mentoring: MentoringCycle, ids: list[int]) -> list[MenteeRequest]:
    """The cycle's requests with these ids, with what the engine reads (windows, preferences)."""
    return list(
        MenteeRequest.objects.filter(cycle=mentoring, pk__in=ids)
        .select_related("application__applicant__country_of_practice")
        .prefetch_related("windows", "preferences")
    )


def offers_by_id(ids: list[int]) -> list[MentorOffer]:
    """Offers with their person's country and windows (what the engine reads)."""
    return list(
        MentorOffer.objects.filter(pk__in=ids).select_related("person__country_of_practice").prefetch_related("windows")
    )
