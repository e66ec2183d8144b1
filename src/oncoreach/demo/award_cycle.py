"""This year's IDEA / IDEA-PC cycle at real volume: one call, two tracks, every step through the
services at the moment it happened (``replay_at``).

Hundreds of applications (scaled with the seed size: about 400 at full size) are started, answered
and submitted (eligibility judged on submission); the call's panel of reviewers (about 60) is
proposed pairs in one bulk write (``propose_assignments``, the path an engine run takes) and each
reviewer accepts and scores every criterion (``record_review``). Each reviewer has a habit (harsh,
lenient, or in between) and reviewers disagree, so calibration moves ranks. The best go to the
committee, whose chair records a panel decision per application from the calibrated ranking
(``ranking_for_call``); the others are told they were not selected. Interviews are booked in
offered slots (two still to come, with the demo volunteer), decisions go out with offers, most
awardees accept, one declines and the first on the wait list is promoted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from oncoreach.accounts.enums import Role
from oncoreach.awards import services
from oncoreach.awards.models import Award, Track
from oncoreach.calls import services as calls_services
from oncoreach.calls.enums import ApplicationStatus as S
from oncoreach.calls.enums import PanelOutcome, PanelRole
from oncoreach.calls.models import Application, Call, ReviewAssignment
from oncoreach.calls.selectors import criteria_for_variant
from oncoreach.calls.selectors_ranking import ranking_for_call
from oncoreach.calls.services_review import propose_assignments, record_panel_decision
from oncoreach.calls.services_setup import CallSetup, CriterionSetup, add_criterion, add_panel_reviewer, create_call
from oncoreach.demo.calls import REVIEW_COMMENTS, apply, award_form
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import LMIC, World
from oncoreach.people.models import Person
from oncoreach.programs.models import Cycle

IDEA = "international-development-and-education-award"
COMMITTEE_ROLE = "committee_chair"  # the demo login who chairs the committee (logins.py)
MEMBER_ROLE = "committee_member"  # the demo login who sits on it as a member (logins.py)
REVIEWER_ROLE = "reviewer"  # the demo login among the external reviewers (logins.py)
RUBRIC = (
    ("Potential impact at home", "Will the applicant's patients and colleagues benefit?", "2"),
    ("Feasibility", "Can the plan be done with the time and resources described?", "1"),
    ("Commitment and track record", "What has the applicant already built?", "1"),
)
#: IDEA-PC's rubric variant: the criteria above and this one (its totals stay out of 100).
PC_CRITERION = ("Palliative-care relevance", "Will patients with serious illness and their families benefit?", "1")
TRACKS = (("idea", "IDEA"), ("idea-pc", "IDEA-PC"))
CONDITIONS = "Attend the Annual Meeting in June and the visit to your mentor's institution after it."


@dataclass(frozen=True)
class CycleSize:
    """How big this year's cycle is: about 400 applications and 60 reviewers at full size."""

    applications: int
    reviewers: int
    awards: int

    @classmethod
    def for_people(cls, people: int) -> CycleSize:
        applications = min(400, max(24, people // 100))
        return cls(
            applications=applications,
            reviewers=min(60, max(8, applications * 3 // 20)),
            awards=max(3, applications // 20),
        )


@dataclass
class CycleOutcome:
    call: Call
    applications: list[Application] = field(default_factory=list)
    interviewed: list[Application] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _make_call(world: World) -> Call:
    """Application → review → committee → interview, set up by staff through ``create_call``."""
    program = world.programs[IDEA]
    year = world.days(180).year
    cycle, _created = Cycle.objects.get_or_create(
        program=program, year=year, defaults={"name": f"{program.name} {year}", "reference_date": world.days(-150)}
    )
    with replay_at(world.days(-160)):
        call = create_call(
            setup=CallSetup(
                title=f"IDEA and IDEA-PC {year}",
                cycle=cycle,
                opens_at=_at(world.days(-150), 9),
                closes_at=_at(world.days(-75), 23),
                time_zone="UTC",
                form=award_form(),
                description="Two tracks, one cycle: the International Development and Education Award and "
                "its palliative care track. Shortlisted applicants are interviewed; decisions follow.",
                eligible_income_groups=list(LMIC),
                allowed_career_stages=["trainee", "early"],
                reviews_per_application=2,
                extra_stages=["committee", "interview"],
            ),
            kind="award",
            actor=world.staff,
        )
        for code, name in TRACKS:
            Track.objects.get_or_create(cycle=cycle, code=code, defaults={"name": name})
        for name, text, weight in RUBRIC:
            add_criterion(
                call=call, setup=CriterionSetup(name=name, description=text, weight=Decimal(weight)), actor=world.staff
            )
        name, text, weight = PC_CRITERION
        add_criterion(
            call=call,
            setup=CriterionSetup(name=name, description=text, weight=Decimal(weight), variant="idea-pc"),
            actor=world.staff,
        )
    return call


def seed_award_cycle(world: World, *, size: CycleSize) -> CycleOutcome:
    """The whole cycle; the steps each show their progress."""
    call = _make_call(world)
    outcome = CycleOutcome(call=call)
    kwame, grace = world.cast.person(Role.APPLICANT), world.cast.person(Role.VOLUNTEER)
    chair, reviewer = world.cast.person(COMMITTEE_ROLE), world.cast.person(REVIEWER_ROLE)
    young = [p for p in world.lmic_people if p.career_stage in ("trainee", "early")]
    senior = [p for p in world.lmic_people if p.career_stage not in ("trainee", "early")]
    wanted = size.applications - 1
    people = young[: wanted - wanted // 20] + senior[: wanted // 20]  # about 5% too senior: not eligible
    with world.progress("IDEA applications", len(people) + 1) as progress:
        outcome.applications.append(apply(world, call, kwame, on=world.days(-140)))
        progress.advance()
        span = 60
        for n, person in enumerate(people):
            outcome.applications.append(apply(world, call, person, on=world.days(-136 + n * span // len(people))))
            progress.advance()
    eligible = [a for a in outcome.applications if a.status == S.ELIGIBLE]
    _tracks(world, call, eligible)
    panel = [reviewer, *[p for p in world.volunteers if p.pk not in (grace.pk, chair.pk)][: size.reviewers - 1]]
    _review(world, call, eligible, panel, star=kwame)
    committee = _committee(world, call, eligible, chair=chair, size=size, star=kwame)
    outcome.interviewed = _interviews(world, call, committee, grace=grace, star=kwame)
    _decisions(world, call, outcome.interviewed, size=size, star=kwame, grace=grace)
    outcome.counts = {
        "applications": len(outcome.applications),
        "eligible": len(eligible),
        "reviewers": len(panel),
        "reviews": ReviewAssignment.objects.filter(application__call=call, status="submitted").count(),
        "committee": len(committee),
        "interviewed": len(outcome.interviewed),
        "awards": Award.objects.filter(application__call=call).count(),
    }
    return outcome


def _tracks(world: World, call: Call, eligible: list[Application]) -> None:
    """Staff put each eligible application in its track (palliative care: IDEA-PC)."""
    with replay_at(world.days(-74)):
        idea, idea_pc = (
            Track.objects.get(cycle=call.cycle, code="idea"),
            Track.objects.get(cycle=call.cycle, code="idea-pc"),
        )
        for n, application in enumerate(eligible):
            palliative = application.applicant.specialty == "palliative_care" or n % 4 == 3
            services.set_application_track(
                application=application, track=idea_pc if palliative else idea, actor=world.staff
            )


def _pairs(world: World, eligible: list[Application], panel: list[Person]) -> list[tuple[int, int, float | None]]:
    """Two reviewers per application, the least loaded first, never from the applicant's country."""
    load: Counter[int] = Counter()
    pairs: list[tuple[int, int, float | None]] = []
    for application in eligible:
        country = application.applicant.country_of_practice_id
        choices = [p for p in panel if p.country_of_practice_id != country]
        world.rng.shuffle(choices)
        choices.sort(key=lambda p: load[p.pk])
        for person in choices[:2]:
            load[person.pk] += 1
            pairs.append((application.pk, person.pk, None))
    return pairs


def _score(world: World, quality: float, habit: float) -> int:
    return max(1, min(5, round(quality + habit + world.rng.gauss(0, 0.6))))


def _review(world: World, call: Call, eligible: list[Application], panel: list[Person], *, star: Person) -> None:
    """The panel is proposed its pairs in one bulk write; each reviewer accepts and scores.
    Reviewers have habits (a harsh one scores everything a point lower), so raw and calibrated
    ranks differ."""
    with replay_at(world.days(-72)):
        for person in panel:
            add_panel_reviewer(call=call, person=person, actor=world.staff)
        created = propose_assignments(call=call, pairs=_pairs(world, eligible, panel), actor=world.staff).created
    habits = {p.pk: max(-1.5, min(1.5, world.rng.gauss(0, 0.7))) for p in panel}
    quality = {a.pk: (4.4 if a.applicant == star else world.rng.uniform(1.6, 4.4)) for a in eligible}
    stage = call.first_review_stage
    assert stage is not None
    # Each application is scored on its track's rubric variant (the track's code).
    criteria = {code: criteria_for_variant(stage=stage, variant=code) for code, _name in TRACKS}
    assignments = ReviewAssignment.objects.filter(pk__in=[row.pk for row in created]).select_related(
        "application", "reviewer__user", "stage"
    )
    with world.progress("IDEA reviews", len(created)) as progress:
        for n, assignment in enumerate(assignments.order_by("id")):
            user = assignment.reviewer.user
            with replay_at(world.days(-70 + n * 18 // max(1, len(created)))):
                calls_services.respond_to_assignment(assignment=assignment, accept=True, actor=user)
                calls_services.record_review(
                    assignment=assignment,
                    scores={
                        str(c.pk): _score(world, quality[assignment.application_id], habits[assignment.reviewer_id])
                        for c in criteria[assignment.application.rubric_variant]
                    },
                    comment=world.rng.choice(REVIEW_COMMENTS),
                    actor=user,
                )
            progress.advance()


def _committee(
    world: World, call: Call, eligible: list[Application], *, chair: Person, size: CycleSize, star: Person
) -> list[Application]:
    """The best quarter by calibrated rank goes to the committee, the rest are not selected; the
    chair records the panel's decision on each application the committee discussed."""
    by_pk = Application.objects.select_related("applicant__user", "call", "current_stage").in_bulk(
        [a.pk for a in eligible]
    )  # fresh: the bulk review start moved them into the review stage
    ranking = ranking_for_call(call=call)
    ranked = [by_pk[row.application_id] for row in ranking.rows if row.application_id in by_pk]
    count = max(size.awards * 3, len(ranked) // 4)
    chosen = [a for a in ranked if a.applicant == star] + [a for a in ranked if a.applicant != star][: count - 1]
    with replay_at(world.days(-48)):
        committee_stage = call.stage_by_key("committee")
        add_panel_reviewer(call=call, person=chair, role=PanelRole.CHAIR, stage=committee_stage, actor=world.staff)
        for member in [world.cast.person(MEMBER_ROLE), *world.faculty[:3]]:
            if member != chair:
                add_panel_reviewer(
                    call=call, person=member, role=PanelRole.MEMBER, stage=committee_stage, actor=world.staff
                )
    rest = [a for a in ranked if a not in chosen]
    with world.progress("IDEA committee", len(ranked)) as progress:
        with replay_at(world.days(-46)):
            for application in chosen:
                calls_services.advance_application(application=application, actor=world.staff)
                progress.advance()
            for application in rest:
                calls_services.decide_application(application=application, outcome=S.REJECTED, actor=world.staff)
                progress.advance()
        interviews = size.awards * 2 + 2  # two still to come, and at least one not selected after interview
        with replay_at(world.days(-42)):
            for position, application in enumerate(chosen):
                if position < size.awards + 1:
                    verdict, notes = PanelOutcome.FUND, "Strong on every criterion; the panel agreed."
                elif position < interviews:
                    verdict, notes = PanelOutcome.WAIT_LIST, "Interview; fund if an offer is declined."
                else:
                    verdict, notes = PanelOutcome.DO_NOT_FUND, "A good plan, less ready than the others this year."
                # In the committee stage, as the chair does from her committee page (the ranking of
                # the review stage that feeds it).
                record_panel_decision(
                    call=call,
                    stage=committee_stage,
                    application_id=application.pk,
                    outcome=verdict,
                    notes=notes,
                    actor=chair.user,
                )
    return chosen[:interviews] + _reject(world, chosen[interviews:])


def _reject(world: World, applications: list[Application]) -> list[Application]:
    with replay_at(world.days(-40)):
        for application in applications:
            calls_services.decide_application(application=application, outcome=S.REJECTED, actor=world.staff)
    return []


def _interviews(
    world: World, call: Call, shortlist: list[Application], *, grace: Person, star: Person
) -> list[Application]:
    """Interviews for the shortlist: held ones in the past, the two last still to come (with the
    demo volunteer), slots offered by the interviewers in their own zones."""
    interviewers = [grace, *[p for p in world.faculty if p != grace][:3]]
    with replay_at(world.days(-40)):
        for application in shortlist:
            calls_services.advance_application(application=application, actor=world.staff)
        for person in interviewers:
            services.add_interviewer(call=call, person=person, actor=world.staff)
    held, coming = shortlist[:-2], shortlist[-2:]
    with world.progress("IDEA interviews", len(shortlist)) as progress:
        for n, application in enumerate(held):
            interviewer = interviewers[n % len(interviewers)]
            day = world.days(-30 + n % 20)
            with replay_at(world.days(-36)):
                slot = services.offer_slot(
                    call=call,
                    interviewer=interviewer,
                    starts_at=_at(day, 13 + n % 5),
                    duration_minutes=30,
                    video_link=f"https://video.example.org/idea-{n + 1}",
                    actor=interviewer.user,
                )
            with replay_at(world.days(-34)):
                services.book_slot(application=application, slot=slot, actor=application.applicant.user)
            progress.advance()
        for n, application in enumerate(coming):
            slot = services.offer_slot(
                call=call,
                interviewer=grace,
                starts_at=_at(world.days(2 + n), 14 + n),
                duration_minutes=30,
                video_link=f"https://video.example.org/idea-next-{n + 1}",
                actor=grace.user,
            )
            services.book_slot(application=application, slot=slot, actor=application.applicant.user)
            progress.advance()
        for n in range(3):  # free slots, for someone who reschedules
            services.offer_slot(
                call=call,
                interviewer=interviewers[1 + n % (len(interviewers) - 1)] if len(interviewers) > 1 else grace,
                starts_at=_at(world.days(4 + n), 15),
                duration_minutes=30,
                video_link=f"https://video.example.org/idea-spare-{n + 1}",
                actor=world.staff,
            )
    return shortlist


def _decisions(
    world: World, call: Call, interviewed: list[Application], *, size: CycleSize, star: Person, grace: Person
) -> None:
    """Offers to the best after interview (the demo applicant's still open), two on the wait list,
    the rest not selected; the two interviews still to come wait for their decision. Every other
    awardee accepts, except one who declines: the first on the wait list is then offered."""
    decided = interviewed[:-2]
    offers = [a for a in decided if a.applicant == star] + [a for a in decided if a.applicant != star][
        : size.awards - 1
    ]
    waiting = [a for a in decided if a not in offers][:2]
    outcomes = {a.pk: "accept" for a in offers} | {a.pk: "waitlist" for a in waiting}
    outcomes |= {a.pk: "reject" for a in decided if a.pk not in outcomes}
    with replay_at(world.days(-3)) as now:
        terms = services.OfferTerms(
            respond_by=now + dt.timedelta(days=14), amount=Decimal("5000.00"), currency="USD", conditions=CONDITIONS
        )
        services.apply_decisions(call=call, outcomes=outcomes, terms=terms, actor=world.staff)
    answering = [a for a in offers if a.applicant != star]
    with replay_at(world.days(-2)):
        for n, application in enumerate(answering):
            offer = Application.objects.get(pk=application.pk).award_offer
            if n == len(answering) - 1:
                reason = "A fellowship abroad this year."
                services.respond_to_offer(offer=offer, accept=False, reason=reason, actor=application.applicant.user)
            else:
                services.respond_to_offer(offer=offer, accept=True, listed=True, actor=application.applicant.user)
    award = Award.objects.filter(application__call=call).order_by("id").first()
    if award is None:
        return
    with replay_at(world.days(-1)):
        for benefit in award.benefits.all():
            if benefit.kind == "membership":
                services.grant_benefit(benefit=benefit, actor=world.staff)
            elif benefit.kind == "mentor":
                services.grant_benefit(benefit=benefit, mentor=grace, actor=world.staff)
