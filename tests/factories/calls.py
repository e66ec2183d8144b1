"""Factories for calls and the question/answer engine. No deep graphs unless asked."""

import datetime as dt
import secrets

import factory
from django.utils import timezone

from oncoreach.calls.enums import REFERENCE_GRACE_DAYS
from oncoreach.calls.models import Application, Call, ReferenceRequest, ReviewAssignment, RubricCriterion
from oncoreach.programs.models import Cycle, ResponseSet
from tests.factories.people import PersonFactory
from tests.factories.programs import FormDefinitionFactory, ProgramFactory, QuestionFactory  # noqa: F401 — tests import them from here too


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cycle {2026 + n}")
    year = 2026
    reference_date = dt.date(2026, 3, 1)


class CallFactory(factory.django.DjangoModelFactory):
    """An open call (opened a week ago, closing in thirty days), with an empty form and no rules."""

    class Meta:
        model = Call

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Call {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    kind = "award"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    time_zone = "UTC"
    form = factory.SubFactory(FormDefinitionFactory)
    reviews_per_application = 2


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    scale_max = 5


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in any status, made directly (for setting up a state; services move it)."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(PersonFactory)
    status = "draft"
    response_set = factory.LazyAttribute(lambda o: ResponseSet.objects.create(form=o.call.form, respondent=o.applicant))


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAssignment

    application = factory.SubFactory(ApplicationFactory, status="under_review")
    reviewer = factory.SubFactory(PersonFactory)
    status = "proposed"


class ReferenceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceRequest

    application = factory.SubFactory(ApplicationFactory)
    referee_name = "Rita Referee"
    referee_email = factory.Sequence(lambda n: f"referee{n}@example.org")
    nonce = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    expires_at = factory.LazyAttribute(lambda o: o.application.call.closes_at + dt.timedelta(days=REFERENCE_GRACE_DAYS))
