"""The engine's explanations in the reader's language: language names in the case a sentence
needs, figures in the reader's locale without a needless ".0", lists joined as the language joins
them. Explanations are stored as codes and params and worded when read (``volunteers.fit_words``)."""

import pytest
from django.utils import translation

from matching.explain import ComponentPart, PairExplanation, describe_component, describe_staffing_component
from oncoreach.volunteers.fit_words import (
    explanation_record,
    language_in_sentence,
    list_in_words,
    number_in_words,
    parts_in_words,
    reason_in_words,
)

pytestmark = [pytest.mark.unit]


def _stored(*parts: ComponentPart) -> dict:
    """An explanation as an adapter stores it, built by the engine itself."""
    return explanation_record(PairExplanation("left", "right", 1.0, 1, 3, parts, (), ""))


def _texts(explanation: dict, language: str) -> list[str]:
    with translation.override(language):
        return [part["text"] for part in parts_in_words(explanation["parts"])]


def _mentor_pair() -> dict:
    return _stored(
        ComponentPart("language", 1.0, 0.5, describe_component("language", 1.0, ("es", "en"))),
        ComponentPart("timezone", 0.4, 0.5, describe_component("timezone", 0.4, 15.0)),
        ComponentPart("other", 0.5, 0.5, describe_component("timezone", 0.5, 2.5)),
    )


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Both speak Spanish and English.", "15 working hours overlap.", "2.5 working hours overlap."]),
        ("es", ["Ambos hablan español e inglés.", "15 horas de trabajo en común.", "2,5 horas de trabajo en común."]),
        (
            "fr",
            [
                "Les deux parlent espagnol et anglais.",
                "15 heures de travail en commun.",
                "2,5 heures de travail en commun.",
            ],
        ),
        ("pt", ["Ambos falam espanhol e inglês.", "15 horas de trabalho em comum.", "2,5 horas de trabalho em comum."]),
        ("ar", ["كلاهما يتحدث الإسبانية والإنجليزية.", "تتداخل 15 من ساعات العمل.", "تتداخل 2.5 من ساعات العمل."]),
    ],
)
def test_explanation_with_languages_and_hours_reads_in_each_language(language, expected):
    assert _texts(_mentor_pair(), language) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Teaches in French, Portuguese and English."),
        ("es", "Enseña en francés, portugués e inglés."),
        ("fr", "Enseigne en français, portugais et anglais."),
        ("pt", "Ensina em francês, português e inglês."),
        ("ar", "يدرّس بـ الفرنسية والبرتغالية والإنجليزية."),
    ],
)
def test_faculty_course_languages_read_as_a_list_in_each_language(language, expected):
    evidence = {"language": ("fr", "pt", "en")}
    part = ComponentPart("language", 1.0, 0.2, describe_staffing_component("language", 1.0, evidence))
    assert _texts(_stored(part), language) == [expected]


def test_scores_keep_two_decimals_with_the_readers_separator():
    part = ComponentPart("interest", 0.8567, 1.0, describe_component("interest", 0.8567, None))
    assert _texts(_stored(part), "es") == ["Temas y textos afines: 0,86."]
    assert _texts(_stored(part), "ar") == ["تشابه المواضيع والنصوص: 0.86."]


def test_number_in_words_drops_a_needless_zero_decimal():
    with translation.override("fr"):
        assert [number_in_words(value) for value in (15.0, 20, 2.5, 0.125, "3")] == ["15", "20", "2,5", "0,12", "3"]


def test_spanish_joins_with_e_before_an_i_sound_only():
    with translation.override("es"):
        assert list_in_words(["francés", "inglés"]) == "francés e inglés"
        assert list_in_words(["padres", "hijos"]) == "padres e hijos"
        assert list_in_words(["agua", "hielo"]) == "agua y hielo"
        assert list_in_words(["inglés", "francés"]) == "inglés y francés"
        assert list_in_words(["inglés"]) == "inglés"
        assert list_in_words([]) == ""


def test_language_names_keep_their_capital_in_english():
    with translation.override("en"):
        assert language_in_sentence("fr") == "French"
    with translation.override("pt"):
        assert language_in_sentence("fr") == "francês"


def test_uncovered_course_language_reads_in_lower_case_in_french():
    with translation.override("fr"):
        text = reason_in_words("language_uncovered", {"course": "Oncologie", "language": "en"})
    assert text == "Oncologie : personne dans l’équipe ne parle anglais."


def test_conflict_counts_join_as_a_list():
    params = {"n_candidates": 5, "rules": {"same_country": 3, "same_institution": 2}}
    with translation.override("pt"):
        text = reason_in_words("all_in_conflict", params)
    assert text == (
        "Os 5 candidatos têm um conflito de interesses: mesmo país de exercício (3) e mesma organização (2)."
    )
