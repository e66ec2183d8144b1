"""The data migration that turns every call's old columns into stages, and its reverse."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.migrating import latest, migrate_to

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BEFORE = [
    ("calls", "0003_panel_decision"),
    ("people", "0010_publications"),
    ("programs", "0007_question_version_required"),
]
AFTER = [("calls", "0006_remove_call_columns_now_on_stages")]


def test_calls_become_stages_and_go_back(initial_data):
    try:
        old = migrate_to(BEFORE)
        person_model = old.get_model("people", "Person")
        program = old.get_model("programs", "Program").objects.create(name="IDEA", slug="idea-m")
        cycle = old.get_model("programs", "Cycle").objects.create(
            program=program, name="2031", year=2031, reference_date=dt.date(2031, 1, 1)
        )
        form = old.get_model("programs", "FormDefinition").objects.create(name="Application")
        now = timezone.now()
        call = old.get_model("calls", "Call").objects.create(
            cycle=cycle,
            title="IDEA 2031",
            slug="idea-2031-m",
            kind="award",
            opens_at=now - dt.timedelta(days=30),
            closes_at=now - dt.timedelta(days=1),
            form=form,
            reviews_per_application=2,
            extra_stages=["interview"],
        )
        reviewer = person_model.objects.create(
            given_name="Rita", family_name="Reviewer", email="rita-m@example.org", search_name="rita reviewer"
        )
        call.reviewers.add(reviewer)
        criterion = old.get_model("calls", "RubricCriterion").objects.create(call=call, name="Merit", scale_max=5)
        application_model = old.get_model("calls", "Application")
        response_sets = old.get_model("programs", "ResponseSet")

        def application(name, status):
            person = person_model.objects.create(
                given_name=name, family_name="A", email=f"{name}-m@example.org", search_name=name
            )
            return application_model.objects.create(
                call=call, applicant=person, status=status, response_set=response_sets.objects.create(form=form)
            )

        reviewed = application("ana", "under_review")
        interviewed = application("ben", "interview")
        draft = application("cy", "draft")
        assignment = old.get_model("calls", "ReviewAssignment").objects.create(
            application=reviewed, reviewer=reviewer, status="submitted"
        )
        old.get_model("calls", "Review").objects.create(assignment=assignment, scores={str(criterion.pk): 4})
        old.get_model("calls", "ConflictDeclaration").objects.create(
            call=call, reviewer=reviewer, application=interviewed, reason="friend"
        )

        new = migrate_to(AFTER)
        stages = list(
            new.get_model("calls", "CallStage")
            .objects.filter(call_id=call.pk)
            .order_by("order")
            .values_list("key", "kind", "form_id", "reviews_per_application")
        )
        assert stages == [
            ("application", "submission", form.pk, 0),
            ("review", "review", None, 2),
            ("interview", "interview", None, 0),
        ]
        new_applications = new.get_model("calls", "Application")
        states = {
            a.pk: (a.current_stage.key, a.status) for a in new_applications.objects.select_related("current_stage")
        }
        assert states == {
            reviewed.pk: ("review", "under_review"),
            interviewed.pk: ("interview", "under_review"),
            draft.pk: ("application", "draft"),
        }
        assert new.get_model("calls", "ApplicationSubmission").objects.count() == 3
        assert list(new.get_model("calls", "CriterionScore").objects.values_list("criterion_id", "score")) == [
            (criterion.pk, 4)
        ]
        assert list(new.get_model("calls", "CallRole").objects.values_list("person_id", "role", "stage__key")) == [
            (reviewer.pk, "external_reviewer", "review")
        ]
        assert new.get_model("calls", "RubricCriterion").objects.get().stage.key == "review"

        back = migrate_to(BEFORE)
        old_calls = back.get_model("calls", "Call")
        restored = old_calls.objects.get(pk=call.pk)
        assert (restored.form_id, restored.extra_stages, restored.reviews_per_application) == (
            form.pk,
            ["interview"],
            2,
        )
        assert list(restored.reviewers.values_list("pk", flat=True)) == [reviewer.pk]
        old_applications = back.get_model("calls", "Application")
        assert old_applications.objects.get(pk=interviewed.pk).status == "interview"
        assert old_applications.objects.get(pk=reviewed.pk).response_set_id is not None
        assert back.get_model("calls", "Review").objects.get().scores == {str(criterion.pk): 4}
        assert back.get_model("calls", "ConflictDeclaration").objects.get().call_id == call.pk
    finally:
        migrate_to(latest())


def test_panel_decisions_move_to_the_committee_stage_or_the_last_review_stage(initial_data):
    from tests.factories.calls import ApplicationFactory, CallFactory

    try:
        committee_call = CallFactory(extra_stages=["committee", "interview"])
        review_call = CallFactory()
        # The applications come from today's factory, so they are made before going back (later
        # migrations add columns the old schema does not have).
        applications = {
            call.pk: ApplicationFactory(call=call, status="under_review") for call in (committee_call, review_call)
        }
        decisions = {}
        old = migrate_to([("calls", "0006_remove_call_columns_now_on_stages")])
        old_decisions = old.get_model("calls", "PanelDecision")
        for call_pk, application in applications.items():
            decisions[call_pk] = old_decisions.objects.create(application_id=application.pk, outcome="fund").pk

        new = migrate_to(latest())
        stage_of = dict(new.get_model("calls", "PanelDecision").objects.values_list("pk", "stage__key"))
        assert stage_of == {decisions[committee_call.pk]: "committee", decisions[review_call.pk]: "review"}
    finally:
        migrate_to(latest())
