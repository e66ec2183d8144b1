"""Last year's International Innovation Grant cycle, through the services: a letter of intent,
its review, a full application by invitation only, external review, the grants committee and the
decision; then a grant to each funded applicant's institution (never to a person), with its budget
within the cap, the signed agreement, payment tranches (paid, approved, scheduled) and reports
(the first grant's interim report overdue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from oncoreach.accounts.enums import Role
from oncoreach.awards import services
from oncoreach.awards.models import Grant
from oncoreach.calls import services as calls_services
from oncoreach.calls.enums import ApplicationStatus as S
from oncoreach.calls.enums import StageKind
from oncoreach.calls.models import Application, Call, CallStage, ReviewAssignment
from oncoreach.calls.services_setup import (
    CriterionSetup,
    StageSetup,
    add_criterion,
    add_panel_reviewer,
    set_stages,
)
from oncoreach.demo.calls import REVIEW_COMMENTS, answers, apply, award_form, full_application_form
from oncoreach.demo.clock import replay_at
from oncoreach.demo.world import LMIC, World, organization_of
from oncoreach.people.models import Organization, Person
from oncoreach.programs.models import Cycle

IIG = "international-innovation-grant"
AGREEMENT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BUDGETS = (
    (("Screening kits", "9000"), ("Community health worker training", "6500"), ("Data manager", "3000")),
    (("Registry software and laptops", "7000"), ("Data abstractors", "8000"), ("Training days", "2500")),
    (("Morphine supply pilot", "6000"), ("Nurse training", "5000"), ("Home visits", "4000")),
)
TITLES = (
    "Cervical cancer screening with community health workers",
    "A hospital-based cancer registry for the region",
    "Oral morphine at home for advanced cancer",
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _make_call(world: World) -> Call:
    """Letter of intent → its review → full application (by invitation) → external review →
    grants committee → decision, set up as stages (``set_stages``)."""
    program = world.programs[IIG]
    year = world.days(-365).year
    cycle, _created = Cycle.objects.get_or_create(
        program=program, year=year, defaults={"name": f"{program.name} {year}", "reference_date": world.days(-420)}
    )
    call = Call(
        cycle=cycle,
        title=f"International Innovation Grant {year}",
        slug=f"innovation-grant-{year}",
        kind="award",
        description="Grants of up to US$20,000 paid to institutions for one-year projects: a letter of intent "
        "first; after its review, invited applicants send a full application.",
        eligible_income_groups=list(LMIC),
    )
    call.full_clean()
    call.save()
    letter_closes = _at(world.days(-390), 23)
    set_stages(
        call=call,
        stages=[
            StageSetup(
                "letter_of_intent",
                "Letter of intent",
                StageKind.SUBMISSION,
                award_form(),
                _at(world.days(-440), 9),
                letter_closes,
            ),
            StageSetup("loi_review", "Letter of intent review", StageKind.REVIEW, reviews_per_application=2),
            StageSetup(
                "full_application",
                "Full application",
                StageKind.SUBMISSION,
                full_application_form(),
                _at(world.days(-375), 9),
                _at(world.days(-330), 23),
                by_invitation=True,
            ),
            StageSetup("external_review", "External review", StageKind.REVIEW, reviews_per_application=2),
            StageSetup("committee", "Grants committee", StageKind.COMMITTEE),
            StageSetup("decision", "Decision", StageKind.DECISION),
        ],
        actor=world.staff,
    )
    call.refresh_from_db()
    with replay_at(world.days(-445)):
        for stage_key in ("loi_review", "external_review"):
            stage = call.stage_by_key(stage_key)
            for name in ("Fit with the grant's aims", "Feasibility and budget"):
                add_criterion(call=call, setup=CriterionSetup(name=name), actor=world.staff, stage=stage)
    return call


def _review_stage(
    world: World, call: Call, stage: CallStage, applications: Sequence[Application], panel: Sequence[Person], *, on: int
) -> dict[int, float]:
    """Two reviewers from the panel per application (staff assign, reviewers accept and score);
    returns each application's mean weighted total."""
    totals: dict[int, list[float]] = {}
    criteria = list(stage.criteria.order_by("order"))
    for n, application in enumerate(applications):
        reviewers = [panel[(2 * n + k) % len(panel)] for k in range(2)]
        with replay_at(world.days(on)):
            for reviewer in reviewers:
                try:
                    assignment = calls_services.assign_reviewer(
                        application=application, reviewer=reviewer, actor=world.staff, stage=stage
                    )
                except ValidationError:  # a conflict of interest: the next reviewer
                    continue
                calls_services.respond_to_assignment(assignment=assignment, accept=True, actor=reviewer.user)
                review = calls_services.record_review(
                    assignment=assignment,
                    scores={str(c.pk): world.rng.randint(2, 5) for c in criteria},
                    comment=world.rng.choice(REVIEW_COMMENTS),
                    actor=reviewer.user,
                )
                if review is not None and review.weighted_total is not None:
                    totals.setdefault(application.pk, []).append(float(review.weighted_total))
    return {pk: sum(values) / len(values) for pk, values in totals.items()}


def _best(applications: Sequence[Application], means: dict[int, float], count: int) -> list[Application]:
    return sorted(applications, key=lambda a: (-means.get(a.pk, 0.0), a.pk))[:count]


def seed_grant_cycle(world: World, *, applications: int) -> dict[str, int]:
    """The cycle and its grants; returns counts for the seeder's report."""
    call = _make_call(world)
    grace = world.cast.person(Role.VOLUNTEER)
    panel = [p for p in world.volunteers if p != grace][-8:]
    half = max(1, len(panel) // 2)  # one half reads letters of intent, the other full applications
    with replay_at(world.days(-445)):
        for person in panel:
            add_panel_reviewer(call=call, person=person, actor=world.staff)
    applicants = [p for p in world.lmic_people if p.career_stage not in ("trainee",)][-applications:]
    with world.progress("IIG cycle", len(applicants) * 3) as progress:
        letters = []
        for n, person in enumerate(applicants):
            letters.append(apply(world, call, person, on=world.days(-435 + n * 40 // max(1, len(applicants)))))
            progress.advance()
        eligible = [a for a in letters if a.status == S.ELIGIBLE]
        means = _review_stage(world, call, call.stage_by_key("loi_review"), eligible, panel[:half], on=-385)  # type: ignore[arg-type]
        progress.advance(len(applicants))
        invited = _best([a for a in eligible if a.pk in means], means, max(3, len(eligible) // 2))
        with replay_at(world.days(-378)):
            for application in invited:
                calls_services.advance_application(application=application, actor=world.staff)
            for application in eligible:
                if application not in invited and application.pk in means:
                    calls_services.decide_application(application=application, outcome=S.REJECTED, actor=world.staff)
        for n, application in enumerate(invited):
            with replay_at(world.days(-370 + n % 30)):
                form = calls_services.current_submission(application).response_set.form
                calls_services.save_draft(application=application, values=answers(world, form))
                calls_services.submit_application(application=application, actor=application.applicant.user)
            application.refresh_from_db()
        full = [a for a in invited if a.status == S.ELIGIBLE]
        means = _review_stage(world, call, call.stage_by_key("external_review"), full, panel[half:] or panel, on=-325)  # type: ignore[arg-type]
        progress.advance(len(applicants))
        reviewed = [a for a in full if a.pk in means]
        with replay_at(world.days(-305)):
            for application in reviewed:
                calls_services.advance_application(application=application, actor=world.staff)
        funded = _best(reviewed, means, 3)
        with replay_at(world.days(-295)):
            for application in reviewed:
                calls_services.advance_application(application=application, actor=world.staff)
                outcome = S.ACCEPTED if application in funded else S.REJECTED
                calls_services.decide_application(application=application, outcome=outcome, actor=world.staff)
    grants = _grants(world, call, funded)
    return {
        "grant_applications": len(letters),
        "invited": len(invited),
        "grant_reviews": ReviewAssignment.objects.filter(application__call=call, status="submitted").count(),
        "grants": len(grants),
    }


def _grants(world: World, call: Call, funded: Sequence[Application]) -> list[Grant]:
    """A grant to each funded applicant's institution; the first has a tranche paid, one approved
    and one scheduled and its interim report overdue; the others are earlier in their year."""
    program = call.cycle.program
    services.set_grant_cap(program=program, amount=Decimal("20000.00"), currency="USD", actor=world.staff)
    made = []
    for n, application in enumerate(funded):
        organization = (
            organization_of(application.applicant)
            or Organization.objects.filter(country__income_group__in=LMIC).order_by("id").first()
        )
        if organization is None:
            continue
        start = world.days(-200 + 30 * n)
        with replay_at(start):
            grant = services.create_grant(
                organization=organization,
                program=program,
                project_title=TITLES[n % len(TITLES)],
                year=start.year,
                lead=application.applicant,
                cycle=call.cycle,
                application=application,
                actor=world.staff,
            )
            services.set_budget(grant=grant, lines=BUDGETS[n % len(BUDGETS)], actor=world.staff)
            services.upload_agreement(
                grant=grant, file=SimpleUploadedFile("signed-agreement.pdf", AGREEMENT_PDF), actor=world.staff
            )
            amounts = [amount for _line, amount in BUDGETS[n % len(BUDGETS)]]
            tranches = [
                services.add_tranche(
                    grant=grant, amount=amount, due_date=world.days(offset + 30 * n), actor=world.staff
                )
                for amount, offset in zip(amounts, (-180, -20, 160), strict=True)
            ]
            services.add_report(grant=grant, kind="interim", due_date=world.days(-10 + 40 * n), actor=world.staff)
            services.add_report(grant=grant, kind="final", due_date=world.days(170 + 30 * n), actor=world.staff)
        with replay_at(world.days(-185 + 30 * n)):
            services.transition_tranche(tranche=tranches[0], to="approved", actor=world.staff)
        with replay_at(world.days(-178 + 30 * n)):
            services.transition_tranche(tranche=tranches[0], to="paid", actor=world.staff)
        if n == 0:
            with replay_at(world.days(-25)):
                services.transition_tranche(tranche=tranches[1], to="approved", actor=world.staff)
        made.append(grant)
    lead = world.cast.people.get("grantee")
    organization = organization_of(lead) if lead is not None else None
    if lead is not None and organization is not None:
        made.append(_grantee_grant(world, call, lead, organization))
    return made


def _grantee_grant(world: World, call: Call, lead: Person, organization: Organization) -> Grant:
    """The grantee persona's grant (her login's promise): a smaller grant from the same cycle,
    agreement signed and first tranche paid, its interim report due in a few weeks."""
    program = call.cycle.program
    start = world.days(-150)
    lines = (("Morphine supply for home care", "5000"), ("Nurse and family training", "4000"))
    with replay_at(start):
        grant = services.create_grant(
            organization=organization,
            program=program,
            project_title="Pain relief at home: oral morphine with trained families",
            year=start.year,
            lead=lead,
            cycle=call.cycle,
            actor=world.staff,
        )
        services.set_budget(grant=grant, lines=lines, actor=world.staff)
        services.upload_agreement(
            grant=grant, file=SimpleUploadedFile("signed-agreement.pdf", AGREEMENT_PDF), actor=world.staff
        )
        first = services.add_tranche(grant=grant, amount="5000", due_date=world.days(-140), actor=world.staff)
        services.add_tranche(grant=grant, amount="4000", due_date=world.days(60), actor=world.staff)
        services.add_report(grant=grant, kind="interim", due_date=world.days(21), actor=world.staff)
        services.add_report(grant=grant, kind="final", due_date=world.days(230), actor=world.staff)
    with replay_at(world.days(-145)):
        services.transition_tranche(tranche=first, to="approved", actor=world.staff)
    with replay_at(world.days(-140)):
        services.transition_tranche(tranche=first, to="paid", actor=world.staff)
    return grant
