"""Awards and grants in the demo, through the awards services: this year's IDEA cycle with its
IDEA-PC track at real volume (``award_cycle``: applications, reviews, committee, interviews,
decisions, awards with their benefits), last year's IIG grant cycle with a letter-of-intent stage
and grants to institutions with tranches in every state and a report overdue (``grant_cycle``);
and ~8,000 past awardees over 20 years for the public directory (bulk inserts: history
has no lifecycle to replay)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from oncoreach.accounts.enums import Role
from oncoreach.awards import services
from oncoreach.awards.models import Award, Track
from oncoreach.calls.models import Call
from oncoreach.demo.award_cycle import CycleSize, seed_award_cycle
from oncoreach.demo.clock import replay_at
from oncoreach.demo.grant_cycle import seed_grant_cycle
from oncoreach.demo.world import LMIC, World
from oncoreach.people.models import Affiliation, Person
from oncoreach.programs.models import Program

IDEA = "international-development-and-education-award"
PCDA = "palliative-care-development-award"
IIG = "international-innovation-grant"
LIFE = "long-term-international-fellowship"
TOPICS = (
    "Cervical cancer screening with community health workers",
    "A hospital-based cancer registry",
    "Palliative care at home for advanced cancer",
    "Breast cancer early diagnosis in primary care",
    "Tumour boards by video link",
    "Oral morphine access for cancer pain",
    "Childhood cancer treatment abandonment",
    "Chemotherapy safety training for nurses",
    "Tobacco cessation among young people",
    "Rapid pathology second opinions",
)


def seed_awards(world: World, *, size: CycleSize, grant_applications: int) -> dict[str, int]:
    """This year's IDEA / IDEA-PC cycle and last year's IIG grant cycle; counts for the report."""
    cycle = seed_award_cycle(world, size=size)
    world.made["awards_call"] = cycle.call
    seed_awardee_travel_and_mentors(world, cycle.call, keep_open=world.cast.person(Role.APPLICANT))
    grants = seed_grant_cycle(world, applications=grant_applications)
    return {**cycle.counts, "shortlisted": len(cycle.interviewed), **grants}


def seed_awardee_travel_and_mentors(world: World, call: Call, *, keep_open: Person) -> None:
    """The awardee promoted from the wait list accepts (the demo applicant's offer stays open);
    staff arrange the Annual Meeting trips (visa letters for awardees from abroad) and confirm
    the mentor pairs the engine proposes for each track."""
    from oncoreach.awards.enums import OfferStatus
    from oncoreach.awards.matching_adapter import propose_mentors

    with replay_at(world.days(-1)):
        offers = call.applications.filter(award_offer__status=OfferStatus.OFFERED).exclude(applicant=keep_open)
        for application in offers.select_related("applicant__user", "award_offer"):
            services.respond_to_offer(
                offer=application.award_offer, accept=True, listed=True, actor=application.applicant.user
            )
        start = dt.date(world.today.year + 1, 6, 1)
        meeting = services.Meeting(
            title=f"Annual Meeting {start.year}",
            city="Chicago",
            country=world.country("USA"),
            start_date=start,
            end_date=start + dt.timedelta(days=4),
        )
        services.arrange_meeting_travel(cycle=call.cycle, meeting=meeting, actor=world.staff)
        for track in Track.objects.filter(cycle=call.cycle).order_by("code"):
            pairs = [(pair.benefit.pk, pair.mentor.pk) for pair in propose_mentors(track=track).pairs]
            if pairs:
                services.confirm_mentor_pairs(track=track, pairs=pairs, actor=world.staff)


# --- Twenty years of past awardees, for the directory ------------------------------------------


def _past_programs() -> dict[str, Program]:
    programs = {p.slug: p for p in Program.objects.filter(slug__in=[IDEA, PCDA, IIG])}
    programs[LIFE], _created = Program.objects.get_or_create(
        slug=LIFE,
        defaults={"name": "Long-term International Fellowship", "short_name": "LIFe", "kind": "award"},
    )
    return programs


def plan_past_awardees(
    *, rng: Any, people: list[tuple[int, int | None, int]], count: int, first_year: int, last_year: int
) -> list[dict[str, Any]]:
    """Awards for past years: each person an IDEA (or palliative care award), some later a LIFe
    fellowship and an IIG grant (the alumni pathway), until ``count`` awards."""
    plan: list[dict[str, Any]] = []
    amounts = {IDEA: "5000.00", PCDA: "5000.00", LIFE: "50000.00", IIG: "20000.00"}
    for person_pk, organization_pk, country_pk in people * (1 + count // max(1, len(people))):
        if len(plan) >= count:
            break
        year = rng.randint(first_year, last_year)
        steps = [(PCDA if rng.random() < 0.2 else IDEA, year)]
        if rng.random() < 0.15 and year + 2 <= last_year:
            steps.append((LIFE, year + 2))
            if rng.random() < 0.4 and year + 4 <= last_year:
                steps.append((IIG, year + 4))
        for slug, when in steps[: count - len(plan)]:
            plan.append(
                {
                    "person_id": person_pk,
                    "program": slug,
                    "year": when,
                    "institution_id": organization_pk,
                    "country_id": country_pk,
                    "project_title": rng.choice(TOPICS),
                    "amount": Decimal(amounts[slug]),
                    "listed": rng.random() < 0.95,
                }
            )
    return plan


def write_past_awardees(world: World, *, count: int) -> int:
    """Bulk-insert ``count`` past awards (20 years up to last year) with a progress line."""
    programs = _past_programs()
    primary = dict(
        Affiliation.objects.filter(is_primary=True)
        .order_by("person_id", "id")
        .values_list("person_id", "organization_id")
    )
    people = [
        (pk, primary.get(pk), country)
        for pk, country in Person.objects.filter(
            is_volunteer=False, country_of_practice__income_group__in=LMIC, user__email__contains="@example."
        )
        .order_by("id")
        .values_list("pk", "country_of_practice_id")
    ]
    if not people:
        return 0
    last = world.today.year - 1
    plan = plan_past_awardees(rng=world.rng, people=people, count=count, first_year=last - 19, last_year=last)
    with world.progress("past awardees", len(plan)) as progress:
        for start in range(0, len(plan), 1000):
            batch = [
                Award(**{**row, "program": programs[row["program"]], "currency": "USD"})
                for row in plan[start : start + 1000]
            ]
            Award.objects.bulk_create(batch)
            progress.advance(len(batch))
    return len(plan)
