"""A conference-size reviewer-assignment instance in the database, built in bulk.

``make bench-review`` needs 3,000 eligible applications, a panel of 600 reviewers and a few hundred
conflicts of interest of several kinds in a real database, then runs the engine end to end through
``calls.matching_adapter``. Going through the services one application at a time would take longer
than the run being measured, so this writes the rows in bulk (``bulk_create``), as a data import
would; the statuses it writes are ones the services would have reached (submitted, judged
eligible). Nothing else in the demo uses it.

Applicants practise in low- and middle-income countries and answer a topic, a project title and a
summary; reviewers mostly practise in high-income countries, with a specialty, expertise keywords,
a short biography and the languages they speak. Conflicts: reviewers who share an institution with
some applicants, a few reviewers from the applicants' own countries (the call counts the same
country as a conflict) and declared conflicts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.enums import ApplicationStatus, CallKind, PanelRole
from oncoreach.calls.models import Application, ApplicationSubmission, Call, CallRole, ConflictDeclaration
from oncoreach.calls.services_setup import set_stages, simple_stages
from oncoreach.demo.data.content import SPECIALTY_WEIGHTS, TOPICS
from oncoreach.geo.models import Country
from oncoreach.people.enums import OrganizationKind
from oncoreach.people.models import Affiliation, Organization, Person
from oncoreach.programs.enums import ProgramKind
from oncoreach.programs.forms_engine import create_form_definition
from oncoreach.programs.models import Answer, Cycle, Program, ResponseSet
from oncoreach.volunteers.models import VolunteerProfile

AIMS = (
    "train nurses",
    "start a registry",
    "shorten the time to treatment",
    "screen women in district clinics",
    "run a weekly tumor board",
    "bring oral morphine to patients at home",
    "audit chemotherapy safety",
    "follow survivors for five years",
)
LANGUAGE_SETS = (("en",), ("en", "fr"), ("en", "es"), ("en", "pt"), ("fr",), ("es",), ("pt",), ("en", "ar"))
BATCH = 1000


@dataclass(frozen=True)
class BenchCall:
    call: Call
    conflicts_by_kind: dict[str, int]


def _specialties(rng: random.Random, n: int) -> list[str]:
    names = [name for name, _w in SPECIALTY_WEIGHTS]
    weights = [w for _n, w in SPECIALTY_WEIGHTS]
    return rng.choices(names, weights=weights, k=n)


@transaction.atomic
def build_review_bench(
    *,
    applications: int = 3000,
    reviewers: int = 600,
    reviews: int = 3,
    seed: int = 1,
    label: str = "bench",
    shared_institutions: int = 40,
    compatriots: int = 6,
    declared: int = 150,
) -> BenchCall:
    """The call with its applications, panel and conflicts (see the module docstring)."""
    rng = random.Random(seed)
    countries = list(Country.objects.order_by("iso3"))
    lmic = [c for c in countries if c.income_group in ("L", "LM", "UM")] or countries
    hic = [c for c in countries if c.income_group == "H"] or countries
    program, _created = Program.objects.get_or_create(
        slug=f"review-{label}", defaults={"name": f"Review benchmark ({label})", "kind": ProgramKind.AWARD}
    )
    now = timezone.now()
    cycle = Cycle.objects.create(program=program, name=f"{program.name} {now.year}", year=now.year)
    form = create_form_definition(
        name=f"Review benchmark form ({label})",
        questions=[
            {"kind": "short_text", "label": "Topic"},
            {"kind": "short_text", "label": "Project title"},
            {"kind": "long_text", "label": "Summary"},
        ],
    )
    call = Call.objects.create(
        cycle=cycle,
        title=f"Review benchmark {label}",
        slug=f"review-bench-{label}"[:120],
        kind=CallKind.AWARD,
        conflict_same_country=True,
    )
    entry, review_stage = set_stages(
        call=call,
        stages=simple_stages(
            form=form,
            opens_at=now - dt.timedelta(days=60),
            closes_at=now - dt.timedelta(days=1),
            reviews_per_application=reviews,
        ),
    )

    hospitals = Organization.objects.bulk_create(
        [
            Organization(name=f"Bench hospital {k}", kind=OrganizationKind.HOSPITAL, country=rng.choice(lmic))
            for k in range(max(applications // 10, 1))
        ],
        batch_size=BATCH,
    )
    applicants = Person.objects.bulk_create(
        [
            Person(
                given_name=f"Applicant{k}",
                family_name=label,
                email=f"applicant{k}.{label}@bench.example.org",
                country_of_practice=rng.choice(lmic),
                specialty=specialty,
                languages=list(rng.choice(LANGUAGE_SETS)),
            )
            for k, specialty in enumerate(_specialties(rng, applications))
        ],
        batch_size=BATCH,
    )
    topics_of = [rng.sample(TOPICS, 2) for _ in applicants]
    panel = Person.objects.bulk_create(
        [
            Person(
                given_name=f"Reviewer{k}",
                family_name=label,
                email=f"reviewer{k}.{label}@bench.example.org",
                country_of_practice=rng.choice(lmic if k < compatriots else hic),
                specialty=specialty,
                languages=list(rng.choice(LANGUAGE_SETS[:4])),
                bio=f"{specialty.replace('_', ' ').capitalize()} specialist working on "
                + " and ".join(rng.sample(TOPICS, 2))
                + ".",
                is_volunteer=True,
            )
            for k, specialty in enumerate(_specialties(rng, reviewers))
        ],
        batch_size=BATCH,
    )
    VolunteerProfile.objects.bulk_create(
        [VolunteerProfile(person=p, roles=["reviewer"], expertise=rng.sample(TOPICS, 3)) for p in panel],
        batch_size=BATCH,
    )
    # institutions: every applicant works somewhere; a few reviewers share a hospital with some
    host = [rng.choice(hospitals) for _ in applicants]
    affiliations = [
        Affiliation(person=p, organization=h, is_primary=True) for p, h in zip(applicants, host, strict=True)
    ]
    affiliations += [
        Affiliation(person=panel[rng.randrange(len(panel))], organization=rng.choice(host))
        for _ in range(shared_institutions)
    ]
    Affiliation.objects.bulk_create(affiliations, batch_size=BATCH, ignore_conflicts=True)

    version = form.versions.order_by("-number").first()
    response_sets = ResponseSet.objects.bulk_create(
        [
            ResponseSet(form=form, version=version, respondent=p, language="en", submitted_at=now, frozen_at=now)
            for p in applicants
        ],
        batch_size=BATCH,
    )
    rows = Application.objects.bulk_create(
        [
            Application(
                call=call,
                applicant=p,
                current_stage=entry,
                status=ApplicationStatus.ELIGIBLE,
                submitted_at=now - dt.timedelta(days=2),
                status_changed_at=now - dt.timedelta(days=1),
                eligibility={"eligible": True},
            )
            for p in applicants
        ],
        batch_size=BATCH,
    )
    if not all(row.pk for row in rows):  # a backend that returns no keys: read them back
        rows = list(Application.objects.filter(call=call).order_by("id"))
    ApplicationSubmission.objects.bulk_create(
        [
            ApplicationSubmission(application=a, stage=entry, response_set=rs, submitted_at=now - dt.timedelta(days=2))
            for a, rs in zip(rows, response_sets, strict=True)
        ],
        batch_size=BATCH,
    )
    answers: list[Answer] = []
    for rs, topics in zip(response_sets, topics_of, strict=True):
        aim = rng.choice(AIMS)
        answers += [
            Answer(response_set=rs, question_key="topic", question_label="Topic", value=", ".join(topics)),
            Answer(
                response_set=rs,
                question_key="project_title",
                question_label="Project title",
                value=f"{topics[0].capitalize()}: how we will {aim}",
            ),
            Answer(
                response_set=rs,
                question_key="summary",
                question_label="Summary",
                value=f"Our unit wants to {aim}. The project is about {topics[0]} and {topics[1]}.",
            ),
        ]
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    CallRole.objects.bulk_create(
        [CallRole(call=call, person=p, role=PanelRole.EXTERNAL_REVIEWER) for p in panel], batch_size=BATCH
    )
    pairs = {(rng.choice(rows).pk, rng.choice(panel).pk) for _ in range(declared)}
    ConflictDeclaration.objects.bulk_create(
        [ConflictDeclaration(application_id=a, reviewer_id=r, reason="Declared by the bench") for a, r in pairs],
        batch_size=BATCH,
    )
    kinds: dict[str, int] = {}
    for conflict in conflict_index(call=call, stage=review_stage, reviewer_ids={p.pk for p in panel}):
        kinds[conflict.code] = kinds.get(conflict.code, 0) + 1
    return BenchCall(call=call, conflicts_by_kind=dict(sorted(kinds.items())))
