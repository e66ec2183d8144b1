"""Factories for calls and the question/answer engine. No deep graphs unless asked."""

import datetime as dt
import secrets
from typing import Any

import factory
from django.utils import timezone

from oncoreach.calls.enums import REFERENCE_GRACE_DAYS
from oncoreach.calls.models import (
    Application,
    ApplicationSubmission,
    Call,
    CallRole,
    CallStage,
    ReferenceRequest,
    ReviewAssignment,
    RubricCriterion,
)
from oncoreach.calls.services_setup import StageSetup, set_stages, simple_stages  # noqa: F401 — tests import StageSetup here
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
    """An open call (opened a week ago, closing in thirty days), with an empty form and no rules.

    Its stages come from the simple set-up (``calls.services_setup.simple_stages``): a submission
    stage ``application`` (``form``, ``opens_at``, ``closes_at``) and, when it reviews, a review
    stage ``review`` (``reviews_per_application``) and the ``extra_stages`` after it. Pass
    ``stages=[StageSetup(...), ...]`` for any other shape (a letter of intent first, an intake).
    """

    class Meta:
        model = Call

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Call {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    kind = "award"
    time_zone = "UTC"

    @classmethod
    def _create(cls, model_class: type[Call], *args: Any, **kwargs: Any) -> Call:
        stages = kwargs.pop("stages", None)
        form = kwargs.pop("form", None)
        opens_at = kwargs.pop("opens_at", None) or timezone.now() - dt.timedelta(days=7)
        closes_at = kwargs.pop("closes_at", None) or timezone.now() + dt.timedelta(days=30)
        reviews = kwargs.pop("reviews_per_application", 2)
        extra = kwargs.pop("extra_stages", ())
        call = super()._create(model_class, *args, **kwargs)
        if stages is None:
            stages = simple_stages(
                form=form or FormDefinitionFactory(),
                opens_at=opens_at,
                closes_at=closes_at,
                reviews_per_application=reviews,
                extra_stages=extra,
            )
        set_stages(call=call, stages=stages)
        return call


def _stage_for(call: Call, status: str) -> CallStage:
    """The stage an application in ``status`` is in, in a factory-made call: drafts to verdicts
    in the first; under review in the first review stage; shortlisted and decided in the last."""
    stages = call.stage_list
    if status in {"draft", "submitted", "eligible", "ineligible"}:
        return stages[0]
    if status in {"under_review", "withdrawn"}:
        return call.first_review_stage or stages[0]
    return stages[-1]


class RubricCriterionFactory(factory.django.DjangoModelFactory):
    """A criterion of a stage's rubric; ``call=`` puts it on the call's first review stage."""

    class Meta:
        model = RubricCriterion

    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    scale_max = 5

    @classmethod
    def _create(cls, model_class: type[RubricCriterion], *args: Any, **kwargs: Any) -> RubricCriterion:
        call = kwargs.pop("call", None)
        if "stage" not in kwargs:
            call = call or CallFactory()
            kwargs["stage"] = call.first_review_stage
        return super()._create(model_class, *args, **kwargs)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application in any status, made directly (for setting up a state; services move it),
    with its (empty) answers to the first stage and the stage that goes with its status."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(PersonFactory)
    status = "draft"

    @classmethod
    def _create(cls, model_class: type[Application], *args: Any, **kwargs: Any) -> Application:
        call = kwargs["call"]
        kwargs.setdefault("current_stage", _stage_for(call, kwargs.get("status", "draft")))
        response_set = kwargs.pop("response_set", None)
        application = super()._create(model_class, *args, **kwargs)
        entry = call.entry_stage
        ApplicationSubmission.objects.create(
            application=application,
            stage=entry,
            response_set=response_set or ResponseSet.objects.create(form=entry.form, respondent=application.applicant),
        )
        return application


class ReviewAssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment in the application's stage when it assesses, else the first review stage."""

    class Meta:
        model = ReviewAssignment

    application = factory.SubFactory(ApplicationFactory, status="under_review")
    reviewer = factory.SubFactory(PersonFactory)
    status = "proposed"

    @classmethod
    def _create(cls, model_class: type[ReviewAssignment], *args: Any, **kwargs: Any) -> ReviewAssignment:
        application = kwargs["application"]
        if "stage" not in kwargs:
            current = application.current_stage
            kwargs["stage"] = current if current.takes_reviews else application.call.first_review_stage
        return super()._create(model_class, *args, **kwargs)


class ReferenceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceRequest

    application = factory.SubFactory(ApplicationFactory)
    referee_name = "Rita Referee"
    referee_email = factory.Sequence(lambda n: f"referee{n}@example.org")
    nonce = factory.LazyFunction(lambda: secrets.token_urlsafe(24))
    expires_at = factory.LazyAttribute(
        lambda o: o.application.call.window_closes_at + dt.timedelta(days=REFERENCE_GRACE_DAYS)
    )


def add_to_panel(call: Call, *people: Any, role: str = "external_reviewer") -> None:
    """Put people on the call's panel (a call-wide role each)."""
    for person in people:
        CallRole.objects.get_or_create(call=call, person=person, role=role, stage=None)


def set_panel(call: Call, people: Any) -> None:
    CallRole.objects.filter(call=call).delete()
    add_to_panel(call, *people)


def panel_of(call: Call) -> list[Any]:
    """The people with a role on the call, by id."""
    from oncoreach.people.models import Person

    return list(Person.objects.filter(call_roles__call=call).distinct().order_by("id"))
