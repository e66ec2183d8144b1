"""Awards and grants in the demo, through the awards services: an IDEA cycle with its IDEA-PC
track, shortlisted applicants, interviews (held and coming), decisions (an offer accepted, one
declined, the wait list promoted, the demo applicant's offer waiting for an answer), awards with
their benefits; an IIG grant to an organization with tranches in every state and a report
overdue; and ~8,000 past awardees over 20 years for the public directory (bulk inserts: history
has no lifecycle to replay)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from oncoreach.accounts.enums import Role
from oncoreach.awards import services
from oncoreach.awards.models import Award, Track
from oncoreach.calls import services as calls_services
from oncoreach.calls.enums import ApplicationStatus as S
from oncoreach.calls.models import Application, Call
from oncoreach.calls.services_setup import set_stages, simple_stages
from oncoreach.demo.calls import apply, award_form
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import LMIC, World
from oncoreach.people.models import Affiliation, Organization, Person
from oncoreach.programs.models import Cycle, Program

IDEA = "international-development-and-education-award"
PCDA = "palliative-care-development-award"
IIG = "international-innovation-grant"
LIFE = "long-term-international-fellowship"
AGREEMENT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
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


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _interview_call(world: World) -> Call:
    """This cycle's IDEA call, closed three weeks ago and now in interviews (configuration)."""
    program = world.programs[IDEA]
    year = world.days(180).year
    cycle, _created = Cycle.objects.get_or_create(
        program=program, year=year, defaults={"name": f"{program.name} {year}", "reference_date": world.days(-90)}
    )
    call = Call(
        cycle=cycle,
        title=f"IDEA and IDEA-PC {year}: interviews",
        slug=f"idea-interviews-{year}",
        kind="award",
        description="Shortlisted applicants book an interview; decisions follow.",
        eligible_income_groups=list(LMIC),
        allowed_career_stages=["trainee", "early"],
    )
    call.full_clean()
    call.save()
    set_stages(
        call=call,
        stages=simple_stages(
            form=award_form(),
            opens_at=_at(world.days(-90), 9),
            closes_at=_at(world.days(-21), 23),
            reviews_per_application=2,
        ),
    )
    return call


def seed_awards(world: World) -> dict[str, int]:
    """The award cycle and the grant; returns counts for the seeder's report."""
    with world.progress("awards, interviews and grants", 4) as progress:
        call = _interview_call(world)
        kwame, grace = world.cast.person(Role.APPLICANT), world.cast.person(Role.VOLUNTEER)
        people = [p for p in world.lmic_people if p.career_stage in ("trainee", "early")][-12:]
        applications = [apply(world, call, kwame, on=world.days(-40))]
        applications += [apply(world, call, person, on=world.days(-39 + n)) for n, person in enumerate(people)]
        shortlist = [a for a in applications if a.status == S.ELIGIBLE][:8]
        with replay_at(world.days(-20)):
            for application in shortlist:
                calls_services.move_application(application=application, to=S.UNDER_REVIEW, actor=world.staff)
                calls_services.move_application(application=application, to=S.SHORTLISTED, actor=world.staff)
        progress.advance()
        _tracks_and_interviews(world, call, shortlist, grace)
        progress.advance()
        _decisions(world, call, shortlist, grace)
        seed_awardee_travel_and_mentors(world, call, keep_open=kwame)
        progress.advance()
        _grant(world)
        progress.advance()
    world.made["awards_call"] = call
    return {"shortlisted": len(shortlist), "awards": Award.objects.filter(application__call=call).count()}


def _tracks_and_interviews(world: World, call: Call, shortlist: list[Application], grace: Person) -> None:
    idea, _created = Track.objects.get_or_create(cycle=call.cycle, code="idea", defaults={"name": "IDEA"})
    idea_pc, _created = Track.objects.get_or_create(cycle=call.cycle, code="idea-pc", defaults={"name": "IDEA-PC"})
    other = next(p for p in world.faculty if p != grace)
    with replay_at(world.days(-19)):
        for n, application in enumerate(shortlist):
            services.set_application_track(
                application=application, track=idea_pc if n % 3 == 2 else idea, actor=world.staff
            )
        services.add_interviewer(call=call, person=grace, actor=world.staff)
        services.add_interviewer(call=call, person=other, actor=world.staff)
    held = []
    with replay_at(world.days(-15)):
        for n in range(3):
            held.append(
                services.offer_slot(
                    call=call,
                    interviewer=grace,
                    starts_at=_at(world.days(-10 + n), 14),
                    duration_minutes=30,
                    video_link=f"https://video.example.org/idea-{n + 1}",
                    actor=grace.user,
                )
            )
    with replay_at(world.days(-13)):
        for application, slot in zip(shortlist[:3], held, strict=False):
            services.book_slot(application=application, slot=slot, actor=application.applicant.user)
    coming = [
        services.offer_slot(
            call=call,
            interviewer=interviewer,
            starts_at=_at(world.days(2 + n), 13 + n),
            duration_minutes=30,
            video_link=f"https://video.example.org/idea-next-{n + 1}",
            actor=world.staff,
        )
        for n, interviewer in enumerate([grace, grace, grace, other, other])
    ]
    for application, slot in zip(shortlist[6:8], coming, strict=False):
        services.book_slot(application=application, slot=slot, actor=application.applicant.user)


def _decisions(world: World, call: Call, shortlist: list[Application], grace: Person) -> None:
    """Three offers (the demo applicant's still open), two on the wait list, one not selected;
    one awardee accepts, one declines and the first on the wait list is promoted."""
    if len(shortlist) < 6:
        return
    outcomes = {shortlist[0].pk: "accept", shortlist[1].pk: "accept", shortlist[2].pk: "accept"}
    outcomes |= {shortlist[3].pk: "waitlist", shortlist[4].pk: "waitlist", shortlist[5].pk: "reject"}
    with replay_at(world.days(-3)) as now:
        terms = services.OfferTerms(
            respond_by=now + dt.timedelta(days=14),
            amount=Decimal("5000.00"),
            currency="USD",
            conditions="Attend the Annual Meeting in June and the visit to your mentor's institution after it.",
        )
        services.apply_decisions(call=call, outcomes=outcomes, terms=terms, actor=world.staff)
    with replay_at(world.days(-2)):
        accepted = shortlist[1].award_offer
        services.respond_to_offer(offer=accepted, accept=True, listed=True, actor=shortlist[1].applicant.user)
        declined = shortlist[2].award_offer
        services.respond_to_offer(
            offer=declined, accept=False, reason="A fellowship abroad this year.", actor=shortlist[2].applicant.user
        )
    award = Award.objects.get(application=shortlist[1])
    with replay_at(world.days(-1)):
        for benefit in award.benefits.all():
            if benefit.kind == "membership":
                services.grant_benefit(benefit=benefit, actor=world.staff)
            elif benefit.kind == "mentor":
                services.grant_benefit(benefit=benefit, mentor=grace, actor=world.staff)


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


def _grant(world: World) -> None:
    """An IIG grant to a hospital: budget within the cap, the signed agreement, a tranche paid, one
    approved and one scheduled; the interim report is overdue."""
    program = world.programs[IIG]
    services.set_grant_cap(program=program, amount=Decimal("20000.00"), currency="USD", actor=world.staff)
    organization = Organization.objects.filter(country__income_group__in=LMIC).order_by("id").first()
    if organization is None:
        return
    lead = Person.objects.filter(affiliations__organization=organization).order_by("id").first()
    start = world.days(-200)
    with replay_at(start):
        grant = services.create_grant(
            organization=organization,
            program=program,
            project_title="Cervical cancer screening with community health workers",
            year=start.year,
            lead=lead,
            actor=world.staff,
        )
        services.set_budget(
            grant=grant,
            lines=[("Screening kits", "9000"), ("Community health worker training", "6500"), ("Data manager", "3000")],
            actor=world.staff,
        )
        services.upload_agreement(
            grant=grant, file=SimpleUploadedFile("signed-agreement.pdf", AGREEMENT_PDF), actor=world.staff
        )
        tranches = [
            services.add_tranche(grant=grant, amount=amount, due_date=world.days(offset), actor=world.staff)
            for amount, offset in (("9000", -180), ("6500", -20), ("3000", 160))
        ]
        services.add_report(grant=grant, kind="interim", due_date=world.days(-10), actor=world.staff)
        services.add_report(grant=grant, kind="final", due_date=world.days(170), actor=world.staff)
    with replay_at(world.days(-185)):
        services.transition_tranche(tranche=tranches[0], to="approved", actor=world.staff)
    with replay_at(world.days(-178)):
        services.transition_tranche(tranche=tranches[0], to="paid", actor=world.staff)
    with replay_at(world.days(-25)):
        services.transition_tranche(tranche=tranches[1], to="approved", actor=world.staff)


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
