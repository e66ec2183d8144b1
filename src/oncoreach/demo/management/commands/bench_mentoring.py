"""`make bench-mentoring`, one phase per process (so each phase's peak memory is its own):

* ``build``: a mentoring cycle with N mentors through the services and M mentees, the first
  ``--through-services`` through the services and the rest mirrored in bulk (demo/mentoring.py);
  timed apart, it is not part of the round;
* ``round``: one engine run end to end through the adapter, timed per phase (read the people and
  their past mentorships, candidates with weekly overlap across the term and the hard rules,
  solve, explain every pair, write pairs, unmatched and the snapshot), then publication (not
  timed);
* ``cascade``: 5% of the proposals declined, then one cascade through the adapter.

Each phase prints a line (wall and CPU seconds, peak RSS, load average) and appends it to
benchmarks/RESULTS.md with ``--record``.
"""

from __future__ import annotations

import os
import random
import resource
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from oncoreach.demo.mentoring import add_mentees, add_mentors, build_cycle
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import MatchStatus, Side
from oncoreach.mentoring.models import Match, MatchRound, MatchRun, MentoringCycle
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
        declined = rng.sample(matches, len(matches) // 20)
        accepted = [m for m in matches if m not in set(declined)][: len(matches) // 2]
        for match in accepted:
            consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
        for match in declined:
            consent.answer_proposal(match=match, side=Side.MENTOR, accept=False, actor=None)
        wall, cpu = time.monotonic(), time.process_time()
        out = matching_adapter.compute_cascade(round_)
        wall, cpu = time.monotonic() - wall, time.process_time() - cpu
        self._line(
            f"| mentoring cascade after {len(declined)} declines | {wall:.1f} | {cpu:.1f} | {_peak_mb()} | "
            f"{out['proposed']} new proposals, {out['unmatched']} left alone unmatched, "
            f"load {os.getloadavg()[0]:.1f} |",
            options["record"],
        )
