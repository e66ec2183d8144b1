"""A mentor pair's stored explanation, worded per request in the reader's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.explain import ComponentPart, PairExplanation, describe_component
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.models import MatchRun
from oncoreach.mentoring.selectors import part_sentences, unmatched_words
from oncoreach.mentoring.services import rounds
from oncoreach.volunteers.fit_words import explanation_record
from tests.factories.mentoring import make_cycle, make_mentee, make_mentor

pytestmark = [pytest.mark.unit]


def _pair_explanation() -> dict:
    parts = tuple(
        ComponentPart(name, 1.0, 0.25, describe_component(name, 1.0, evidence))
        for name, evidence in (("language", ("en", "fr")), ("timezone", (15.0, 20.0)), ("preference", 2))
    )
    return explanation_record(PairExplanation("mentee", "mentor", 1.0, 1, 4, parts, (), ""))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Both speak English and French.",
                "15 to 20 hours a week in common, as clocks change.",
                "The mentee's choice number 2.",
            ],
        ),
        (
            "es",
            [
                "Ambos hablan inglés y francés.",
                "De 15 a 20 horas semanales en común, según los cambios de hora.",
                "Opción número 2 del mentorado.",
            ],
        ),
        (
            "fr",
            [
                "Les deux parlent anglais et français.",
                "De 15 à 20 heures par semaine en commun, selon les changements d’heure.",
                "Choix numéro 2 du mentoré.",
            ],
        ),
        (
            "pt",
            [
                "Ambos falam inglês e francês.",
                "De 15 a 20 horas semanais em comum, conforme as mudanças de horário.",
                "Escolha número 2 do mentorado.",
            ],
        ),
        (
            "ar",
            [
                "كلاهما يتحدث الإنجليزية والفرنسية.",
                "من 15 إلى 20 ساعة مشتركة أسبوعيًا، بحسب تغيّر الساعة.",
                "اختيار المسترشد رقم 2.",
            ],
        ),
    ],
)
def test_mentor_pair_reads_in_each_language(language, expected):
    with translation.override(language):
        assert part_sentences(_pair_explanation()) == expected


def test_weekly_hours_with_a_fraction_use_the_readers_decimal_separator():
    explanation = explanation_record(
        PairExplanation(
            "mentee",
            "mentor",
            1.0,
            1,
            1,
            (ComponentPart("timezone", 0.5, 1.0, describe_component("timezone", 0.5, (2.5, 2.5))),),
            (),
            "",
        )
    )
    with translation.override("es"):
        assert part_sentences(explanation) == ["2,5 horas semanales en común."]


def test_unmatched_mentee_rules_join_as_a_list():
    params = {"rules": {"same_country": 3, "no_shared_language": 1}}
    with translation.override("fr"):
        text = unmatched_words("all_in_conflict", params)
    assert text == "Aucun mentor ne peut être proposé : même pays d’exercice (3) et aucune langue en commun (1)."


@pytest.mark.integration
@pytest.mark.django_db
def test_staff_round_page_words_the_stored_explanation_in_the_readers_language(client, coordinator):
    mentoring = make_cycle(actor=coordinator)
    make_mentor(mentoring, languages=["en", "fr"])
    make_mentee(mentoring, languages=["fr", "en"])
    round_ = rounds.open_round(mentoring=mentoring, actor=coordinator)
    run = rounds.start_engine_run(round_=round_, actor=coordinator)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    client.force_login(coordinator)
    pages = {}
    for language in ("en", "es"):
        with translation.override(language):
            path = reverse("mentoring:staff-round", args=[round_.pk])
        pages[language] = client.get(path, {"run": run.pk}, headers={"accept-language": language}).content.decode()
    assert "<li>Both speak French and English.</li><li>15 hours a week in common.</li>" in pages["en"]
    assert "<li>Ambos hablan francés e inglés.</li><li>15 horas semanales en común.</li>" in pages["es"]
