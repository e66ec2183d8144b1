"""The data migration that makes every existing form version 1, and its reverse."""

import pytest

from tests.migrating import latest, migrate_to

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BEFORE = [("programs", "0004_answer_file_name_backfill")]
AFTER = [("programs", "0007_question_version_required")]


def test_existing_forms_become_version_1_and_go_back(initial_data):
    try:
        old = migrate_to(BEFORE)
        form = old.get_model("programs", "FormDefinition").objects.create(name="Registration")
        question = old.get_model("programs", "Question").objects.create(
            form=form,
            order=0,
            kind="single_choice",
            label="Your role?",
            help_text="Pick one",
            choices=[["md", "Physician"]],
        )
        old.get_model("programs", "Question").objects.create(form=form, order=1, kind="short_text", label="Your role?")
        response_set = old.get_model("programs", "ResponseSet").objects.create(form=form)
        old.get_model("programs", "Answer").objects.create(response_set=response_set, question=question, value="md")

        new = migrate_to(AFTER)
        questions = list(
            new.get_model("programs", "Question")
            .objects.order_by("order")
            .values("key", "labels", "help_texts", "version__number")
        )
        answer = new.get_model("programs", "Answer").objects.get()
        assert questions == [
            {
                "key": "your_role",
                "labels": {"en": "Your role?"},
                "help_texts": {"en": "Pick one"},
                "version__number": 1,
            },
            {"key": "your_role_2", "labels": {"en": "Your role?"}, "help_texts": {}, "version__number": 1},
        ]
        assert (answer.question_key, answer.question_label, answer.question_snapshot["choices"]) == (
            "your_role",
            "Your role?",
            {"md": "Physician"},
        )
        assert new.get_model("programs", "ResponseSet").objects.get().version.number == 1

        back = migrate_to(BEFORE)
        assert list(
            back.get_model("programs", "Question")
            .objects.order_by("order")
            .values_list("form__name", "label", "help_text")
        ) == [
            ("Registration", "Your role?", "Pick one"),
            ("Registration", "Your role?", ""),
        ]

        new = migrate_to(AFTER)
        form_version = new.get_model("programs", "FormVersion")
        form_version.objects.create(form_id=form.pk, number=2)
        with pytest.raises(RuntimeError, match="more than one version"):
            migrate_to(BEFORE)
    finally:
        migrate_to(latest())
