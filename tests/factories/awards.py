"""Factories for awards and grants. No deep graphs unless asked."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from oncoreach.awards.models import (
    Award,
    Grant,
    GrantCap,
    GrantReport,
    InterviewBooking,
    Interviewer,
    InterviewSlot,
    Offer,
    Track,
    Tranche,
)
from tests.factories.calls import ApplicationFactory, CallFactory, CycleFactory
from tests.factories.people import OrganizationFactory, PersonFactory
from tests.factories.programs import ProgramFactory


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    cycle = factory.SubFactory(CycleFactory)
    code = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")


class InterviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interviewer

    call = factory.SubFactory(CallFactory)
    person = factory.SubFactory(PersonFactory)


class InterviewSlotFactory(factory.django.DjangoModelFactory):
    """A 30-minute video slot two days from now."""

    class Meta:
        model = InterviewSlot

    call = factory.SubFactory(CallFactory)
    interviewer = factory.SubFactory(PersonFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    duration_minutes = 30
    video_link = "https://video.example.org/room"


class InterviewBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterviewBooking

    slot = factory.SubFactory(InterviewSlotFactory)
    application = factory.SubFactory(
        ApplicationFactory, call=factory.SelfAttribute("..slot.call"), status="shortlisted"
    )


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer waiting for an answer, due in a week."""

    class Meta:
        model = Offer

    application = factory.SubFactory(ApplicationFactory, status="accepted")
    status = "offered"
    amount = Decimal("0")
    offered_at = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0))
    respond_by = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    person = factory.SubFactory(PersonFactory)
    program = factory.SubFactory(ProgramFactory)
    year = 2025
    project_title = factory.Sequence(lambda n: f"Project {n}")
    amount = Decimal("0")
    listed = True
    country = factory.SelfAttribute("person.country_of_practice")


class GrantCapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantCap

    program = factory.SubFactory(ProgramFactory)
    amount = Decimal("20000.00")
    currency = "USD"


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    organization = factory.SubFactory(OrganizationFactory)
    program = factory.SubFactory(ProgramFactory)
    project_title = factory.Sequence(lambda n: f"Grant project {n}")
    year = 2026
    currency = "USD"


class TrancheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tranche

    grant = factory.SubFactory(GrantFactory)
    amount = Decimal("5000.00")
    due_date = dt.date(2026, 12, 1)


class GrantReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantReport

    grant = factory.SubFactory(GrantFactory)
    kind = "interim"
    due_date = dt.date(2026, 12, 1)
