"""The hand-counted records every reporting test counts from (see ``impact_records``)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from oncoreach.programs.models import ResponseSet
from tests.factories.accounts import UserFactory
from tests.factories.awards import AwardFactory, GrantFactory, TrancheFactory
from tests.factories.calls import CycleFactory
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.factories.mentoring import make_cycle, make_mentorship
from tests.factories.people import PersonFactory
from tests.factories.programs import FormDefinitionFactory, ProgramFactory
from tests.factories.stories import make_story
from tests.factories.volunteers import ActivityLogFactory
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, RegistrationFactory
from tests.geo.conftest import reference_data  # noqa: F401
from tests.stories.conftest import _clean_cache, story_index  # noqa: F401


def _answered(registration, *, changed, colleagues):
    survey = ResponseSet.objects.create(
        form=FormDefinitionFactory(), respondent=registration.person, submitted_at=timezone.now()
    )
    registration.impact_survey = survey
    registration.practice_changed = changed
    registration.colleagues_trained = colleagues
    registration.save()


@pytest.fixture
def impact_records(story_index):  # noqa: F811 — the fixture imported above
    """Kenya (low income in FY2024, lower middle from FY2025), Peru (upper middle), the USA (high).

    Counted by hand (the tests' expected figures come from this list):
    - courses: MCMC in Kenya held, last day 2024-03-10 (FY2024); palliative care in Kenya closed,
      2024-09-20 (FY2025); MCMC in Peru cancelled and another open (neither counts);
    - attended: Amina (KE) and Brian (KE) and Carla (PE) at the first, Amina again and Femi (no
      country: counts under Kenya, the course's) at the second = 5; a no-show and an accepted
      place do not count;
    - one-year follow-up answered by Amina (changed, 30 colleagues) and Carla (not changed, 10);
      Brian's figures are there but his survey was never submitted = 2 answers, 1 changed, 40
      colleagues, 20.0 per alumnus;
    - faculty: Victor (US) completed both Kenyan courses = 2 trips USA→KEN; a Kenyan completed
      the first (local: no trip); a Peruvian only accepted; one with no country completed;
    - hours: Victor 16 + 24, the Kenyan 8, one with no country 5 (2023) = 53;
    - stories: 2024-02-01 tagged Kenya and Peru and MCMC; 2024-06-01 Kenya; 2023-05-05 untagged;
      a draft about Kenya (not counted) = 3;
    - awards: Amina (MCMC 2024, Kenya) and Carla (palliative 2024, Peru) = 2;
    - grant money: a Kenyan organization's MCMC grant in USD, a tranche of 5,000 paid on
      2024-09-20 (FY2025) = 5,000; its approved and scheduled tranches, and a Peruvian grant in
      EUR with 7,000 paid, do not count;
    - mentorships (palliative, mentors in the USA): a Kenyan mentee's, 2024-01-15 to 2024-12-15,
      completed; a Peruvian's, 2024-02-01, ended early on 2024-06-01; a Kenyan's still pending
      = 2 active in 2024, 1 completed.
    """
    kenya = CountryFactory(iso3="KEN", name="Kenya", slug="kenya", region="SSA", income_group="LM")
    peru = CountryFactory(iso3="PER", name="Peru", slug="peru", region="LAC", income_group="UM")
    usa = CountryFactory(iso3="USA", name="United States", slug="united-states", region="NA", income_group="H")
    for country, groups in ((kenya, ("L", "LM")), (peru, ("UM", "UM")), (usa, ("H", "H"))):
        for year, group in zip((2024, 2025), groups, strict=True):
            IncomeClassificationFactory(country=country, fiscal_year=year, income_group=group)
    mcmc = ProgramFactory(slug="mcmc", name="MCMC", sort_order=1)
    palliative = ProgramFactory(slug="palliative", name="Palliative Care Workshop", sort_order=2)

    def course(country, program, end, status):
        return CourseFactory(
            country=country,
            program=program,
            start_date=end - dt.timedelta(days=2),
            end_date=end,
            status=status,
            host_organization__country=country,
        )

    nairobi = course(kenya, mcmc, dt.date(2024, 3, 10), "held")
    kisumu = course(kenya, palliative, dt.date(2024, 9, 20), "closed")
    course(peru, mcmc, dt.date(2024, 5, 1), "cancelled")
    course(peru, mcmc, dt.date(2027, 5, 1), "open")

    amina = PersonFactory(given_name="Amina", country_of_practice=kenya)
    brian = PersonFactory(given_name="Brian", country_of_practice=kenya)
    carla = PersonFactory(given_name="Carla", country_of_practice=peru)
    femi = PersonFactory(given_name="Femi", country_of_practice=None)
    _answered(RegistrationFactory(course=nairobi, person=amina, status="attended"), changed=True, colleagues=30)
    unanswered = RegistrationFactory(course=nairobi, person=brian, status="attended", colleagues_trained=99)
    _answered(RegistrationFactory(course=nairobi, person=carla, status="attended"), changed=False, colleagues=10)
    RegistrationFactory(course=nairobi, person=PersonFactory(country_of_practice=kenya), status="no_show")
    RegistrationFactory(course=nairobi, person=PersonFactory(country_of_practice=kenya), status="accepted")
    RegistrationFactory(course=kisumu, person=amina, status="attended")
    RegistrationFactory(course=kisumu, person=femi, status="attended")

    victor = PersonFactory(given_name="Victor", country_of_practice=usa, is_volunteer=True)
    local = PersonFactory(country_of_practice=kenya, is_volunteer=True)
    FacultyInvitationFactory(slot__course=nairobi, person=victor, status="completed")
    FacultyInvitationFactory(slot__course=kisumu, person=victor, status="completed")
    FacultyInvitationFactory(slot__course=nairobi, person=local, status="completed")
    FacultyInvitationFactory(slot__course=nairobi, person=PersonFactory(country_of_practice=peru), status="accepted")
    FacultyInvitationFactory(slot__course=kisumu, person=PersonFactory(country_of_practice=None), status="completed")

    ActivityLogFactory(person=victor, date=dt.date(2024, 3, 10), hours=16)
    ActivityLogFactory(person=victor, date=dt.date(2024, 9, 20), hours=24)
    ActivityLogFactory(person=local, date=dt.date(2024, 3, 10), hours=8)
    ActivityLogFactory(person=PersonFactory(country_of_practice=None), date=dt.date(2023, 1, 1), hours=5)

    make_story(title="Two countries", date=dt.date(2024, 2, 1), countries=[kenya, peru], programs=[mcmc])
    make_story(title="Kenya only", date=dt.date(2024, 6, 1), countries=[kenya])
    make_story(title="Untagged", date=dt.date(2023, 5, 5))
    make_story(title="Draft", date=dt.date(2024, 7, 1), countries=[kenya], live=False)
    AwardFactory(person=amina, program=mcmc, year=2024, country=kenya)
    AwardFactory(person=carla, program=palliative, year=2024, country=peru)
    grant = GrantFactory(organization__country=kenya, program=mcmc, currency="USD")
    approved = dt.datetime(2024, 9, 19, 12, tzinfo=dt.UTC)
    TrancheFactory(
        grant=grant, amount=5000, status="paid", approved_at=approved, paid_at=approved + dt.timedelta(days=1)
    )
    TrancheFactory(grant=grant, amount=2000, status="approved", approved_at=approved)
    TrancheFactory(grant=grant, amount=3000, status="scheduled")
    euros = GrantFactory(organization__country=peru, program=mcmc, currency="EUR")
    TrancheFactory(grant=euros, amount=7000, status="paid", approved_at=approved, paid_at=approved)

    mentoring = make_cycle(cycle=CycleFactory(program=palliative))

    def pair(mentee_country, **fields):
        mentee = PersonFactory(user=UserFactory(), country_of_practice=mentee_country)
        mentor = PersonFactory(user=UserFactory(), country_of_practice=usa, is_volunteer=True)
        return make_mentorship(mentoring, mentee=mentee, mentor=mentor, **fields)

    def at(day):
        return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)

    pair(kenya, status="completed", started_at=at(dt.date(2024, 1, 15)), ended_at=at(dt.date(2024, 12, 15)))
    pair(peru, status="ended_early", started_at=at(dt.date(2024, 2, 1)), ended_at=at(dt.date(2024, 6, 1)))
    pair(kenya, status="pending")
    return SimpleNamespace(
        kenya=kenya,
        peru=peru,
        usa=usa,
        mcmc=mcmc,
        palliative=palliative,
        nairobi=nairobi,
        kisumu=kisumu,
        unanswered=unanswered,
    )
