"""`make bench-mentoring`, one phase per process (so each phase's peak memory is its own):

* ``build``: a mentoring cycle with N mentors through the services and M mentees, the first
  ``--through-services`` through the services and the rest mirrored in bulk (demo/mentoring.py);
  timed apart, it is not part of the round;
* ``round``: one engine run end to end through the adapter, timed per phase (read the people and
  their past mentorships, candidates with weekly overlap across the term and the hard rules,
  solve, explain every pair, write pairs, unmatched and the snapshot), then publication (not
  timed);
* ``cascade``: the consent window (not timed): ``--declines`` (5%) of the proposals declined,
  half by the mentor (who leaves the round: the mentee is left alone) and half by the mentee (who
  leaves: the mentor has a place again), a tenth of the rest accepted by both and a twentieth by
  the mentee; then one cascade through the adapter, timed, and checked against the database:
  new proposals > 0 and at least a quarter of those left alone, each for a mentee left alone
  with a mentor still in the round, a common language, a weekly hour in common all term and a
  mentor outside the mentee's region; no mentor over capacity, no mentee with two live
  proposals, every accepted and pending pair unchanged. A failed check stops the bench.

Why mentees decline too: at 20,000 x 5,000 with 1-3 places per mentor (at most 15,000) the
round fills almost every place, so mentors' declines alone leave mentees nobody to go to (the
cascade made 0 proposals, measuring nothing). In a real consent window both sides decline, and a
mentee's decline is what frees a place during the round.

Each phase prints a line (wall and CPU seconds, peak RSS, load average) and appends it to
benchmarks/RESULTS.md with ``--record``.
"""

from __future__ import annotations

import os
import random
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oncoreach.demo.mentoring import add_mentees, add_mentors, build_cycle
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import LIVE_MATCH_STATUSES, MatchStatus, Side
from oncoreach.mentoring.models import Match, MatchRound, MatchRun, MentoringCycle, MentorOffer
from oncoreach.mentoring.services import consent, rounds

RESULTS = Path(__file__).resolve().parents[5] / "benchmarks" / "RESULTS.md"


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


class Command(BaseCommand):
    help = "Mentoring round benchmark (phases: build, round, cascade)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("phase", choices=["build", "round", "cascade"])
        parser.add_argument("--mentees", type=int, default=20000)
        parser.add_argument("--mentors", type=int, default=5000)
        parser.add_argument(
            "--through-services",
            type=int,
            default=100,
            help="mentees built one by one through the services; the rest mirror their rows in bulk",
        )
        parser.add_argument(
            "--declines",
            type=float,
            default=0.05,
            help="cascade: the share of proposals declined, half by the mentor and half by the mentee",
        )
        parser.add_argument("--record", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['phase']}")(options)

    def _line(self, text: str, record: bool) -> None:
        self.stdout.write(text)
        if record:
            with RESULTS.open("a") as out:
                out.write(text + "\n")

    def _build(self, options: dict[str, Any]) -> None:
        from oncoreach.geo.models import Country
        from oncoreach.geo.services import load_reference_data

        if not Country.objects.exists():
            load_reference_data()
        rng = random.Random(20261204)
        started = time.monotonic()

        def tick(what: str, total: int) -> Any:
            return lambda i: self.stdout.write(f"  {what} {i:,} / {total:,} ({time.monotonic() - started:.0f} s)")

        mentoring = build_cycle(name="Benchmark")
        offers = add_mentors(mentoring, options["mentors"], rng, tick=tick("mentors", options["mentors"]))
        mentors_s = time.monotonic() - started
        add_mentees(
            mentoring,
            options["mentees"],
            rng,
            offers,
            tick=tick("mentees", options["mentees"]),
            through_services=options["through_services"],
        )
        total = time.monotonic() - started
        self._line(
            f"| build {options['mentees']} x {options['mentors']} (not part of the round) | {total:.1f} | "
            f"{time.process_time():.1f} | {_peak_mb()} | mentors through save_offer {mentors_s:.0f} s; "
            f"{min(options['through_services'], options['mentees'])} mentees through start/save/submit_request, "
            f"the rest mirrored in bulk; load {os.getloadavg()[0]:.1f} |",
            options["record"],
        )

    def _round(self, options: dict[str, Any]) -> None:
        mentoring = MentoringCycle.objects.order_by("-pk").first()
        assert mentoring is not None
        round_ = rounds.open_round(mentoring=mentoring, actor=None)
        run = MatchRun.objects.create(round=round_, number=1)
        wall, cpu = time.monotonic(), time.process_time()
        stats = matching_adapter.compute_run(run)
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        peak = _peak_mb()
        run.refresh_from_db()
        rounds.publish_round(round_=round_, run=run, actor=None)
        load = os.getloadavg()[0]
        phases = ", ".join(
            f"{name} {stats['seconds'][name]:.1f} s (cpu {stats['cpu_seconds'][name]:.1f})" for name in stats["seconds"]
        )
        self._line(
            f"| mentoring round {stats['mentees']} x {stats['mentors']} | {wall:.1f} | {cpu:.1f} | {peak} | "
            f"{phases}; {stats['candidates']:,} candidates, {stats['pairs']} pairs, {stats['unmatched']} unmatched, "
            f"total {stats['total_score']}, min pair {stats['min_score']}, load {load:.1f} |",
            options["record"],
        )

    def _cascade(self, options: dict[str, Any]) -> None:
        round_ = MatchRound.objects.select_related("cycle").order_by("-pk").first()
        assert round_ is not None
        matches = list(Match.objects.filter(round=round_, status=MatchStatus.APPROVED).order_by("pk"))
        rng = random.Random(5)
        rng.shuffle(matches)
        n_declines = round(len(matches) * options["declines"])
        by_mentor = n_declines // 2 + n_declines % 2
        declined_by_mentor, declined_by_mentee = matches[:by_mentor], matches[by_mentor:n_declines]
        answering = matches[n_declines:]
        # A tenth both accepted (they must never move), a twentieth accepted by the mentee only.
        accepted = answering[: len(answering) // 10]
        half = answering[len(accepted) : len(accepted) + len(answering) // 20]
        for match in accepted:
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
            consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
        for match in half:
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
        for match in declined_by_mentor:
            consent.answer_proposal(match=match, side=Side.MENTOR, accept=False, actor=None)
        for match in declined_by_mentee:
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=False, actor=None)
        before = _live_pairs(round_)
        wall, cpu = time.monotonic(), time.process_time()
        out = matching_adapter.compute_cascade(round_)
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        left_alone = {m.request_id for m in declined_by_mentor}
        new = _check_cascade(
            round_,
            before=before,
            left_alone=left_alone,
            gone_mentors={m.offer_id for m in declined_by_mentor},
            proposed=out["proposed"],
        )
        freed = len(declined_by_mentee)
        self._line(
            f"| mentoring cascade after {n_declines} declines | {wall:.1f} | {cpu:.1f} | {_peak_mb()} | "
            f"{len(declined_by_mentor)} declined by their mentor (who leaves), {freed} by their mentee "
            f"(a place freed); {len(left_alone)} mentees left alone, {new} new proposals "
            f"({new / max(len(left_alone), 1):.0%}), {out['unmatched']} still alone; checked: common language, "
            f"weekly overlap > 0, outside the region, capacity, {len(before[MatchStatus.ACCEPTED])} accepted and "
            f"{len(before[MatchStatus.APPROVED])} pending pairs unchanged; load {os.getloadavg()[0]:.1f} |",
            options["record"],
        )


def _live_pairs(round_: MatchRound) -> dict[str, set[tuple[int, int]]]:
    pairs: dict[str, set[tuple[int, int]]] = {MatchStatus.ACCEPTED: set(), MatchStatus.APPROVED: set()}
    for request_id, offer_id, status in Match.objects.filter(round=round_, status__in=pairs).values_list(
        "request_id", "offer_id", "status"
    ):
        pairs[status].add((request_id, offer_id))
    return pairs


def _check_cascade(
    round_: MatchRound,
    *,
    before: dict[str, set[tuple[int, int]]],
    left_alone: set[int],
    gone_mentors: set[int],
    proposed: int,
) -> int:
    """Check what the cascade did against the database; returns the number of new proposals."""
    new = list(
        Match.objects.filter(round=round_, by_cascade=True)
        .select_related("request__application__applicant__country_of_practice", "offer__person__country_of_practice")
        .prefetch_related("request__windows", "offer__windows")
    )
    problems = []
    if not new or len(new) != proposed:
        problems.append(f"{len(new)} new proposals in the database, {proposed} reported (expected > 0)")
    if len(new) < len(left_alone) // 4:
        problems.append(f"only {len(new)} new proposals for {len(left_alone)} mentees left alone (expected >= 25%)")
    after = _live_pairs(round_)
    if after[MatchStatus.ACCEPTED] != before[MatchStatus.ACCEPTED]:
        problems.append("accepted pairs changed")
    if not before[MatchStatus.APPROVED] <= after[MatchStatus.APPROVED]:
        problems.append("pending pairs changed")
    mentoring = round_.cycle
    for match in new:
        problems += _pair_problems(match, mentoring, left_alone=left_alone, gone_mentors=gone_mentors)
    problems += _load_problems(mentoring)
    if problems:
        raise CommandError("The cascade broke its guarantees:\n" + "\n".join(problems[:20]))
    return len(new)


def _pair_problems(
    match: Match, mentoring: MentoringCycle, *, left_alone: set[int], gone_mentors: set[int]
) -> list[str]:
    """A new proposal is for a mentee left alone, with a mentor still in the round, and keeps the
    hard rules: a common language, some hour in common every week of the term, and (when the
    cycle says so) a mentor outside the mentee's country and region."""
    request, offer = match.request, match.offer
    pair = f"new pair request {request.pk} / offer {offer.pk}"
    problems = []
    if match.status != MatchStatus.APPROVED or request.pk not in left_alone or offer.pk in gone_mentors:
        problems.append(f"{pair}: {match.status}, not for a mentee left alone or with a mentor who left")
    if not set(request.languages) & set(offer.languages):
        problems.append(f"{pair}: no common language")
    hours = matching_adapter.weekly_overlap_hours(
        (request.time_zone, [w.as_tuple for w in request.windows.all()]),
        (offer.time_zone, [w.as_tuple for w in offer.windows.all()]),
        mentoring,
    )
    if hours <= 0:
        problems.append(f"{pair}: no weekly hour in common")
    mentee_country = request.application.applicant.country_of_practice
    mentor_country = offer.person.country_of_practice
    if (
        mentoring.mentor_outside_region
        and mentee_country
        and mentor_country
        and (mentee_country.pk == mentor_country.pk or mentee_country.region == mentor_country.region)
    ):
        problems.append(f"{pair}: the mentor is in the mentee's country or region")
    return problems


def _load_problems(mentoring: MentoringCycle) -> list[str]:
    """No mentor has more live matches than places, no mentee more than one."""
    live = Match.objects.filter(offer__cycle=mentoring, status__in=LIVE_MATCH_STATUSES)
    load = Counter(live.values_list("offer_id", flat=True))
    problems = [
        f"offer {offer_id}: {load[offer_id]} live matches for {capacity} places"
        for offer_id, capacity in MentorOffer.objects.filter(pk__in=load).values_list("pk", "capacity")
        if load[offer_id] > capacity
    ]
    twice = [r for r, n in Counter(live.values_list("request_id", flat=True)).items() if n > 1]
    if twice:
        problems.append(f"{len(twice)} mentees with two live matches, e.g. request {twice[0]}")
    return problems
