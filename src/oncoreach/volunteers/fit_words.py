"""The matching engine's explanations in the reader's language.

The engine (``matching.explain``) words every score component, unmatched reason and rejected
alternative as a machine-readable ``code`` with ``params`` (and an English ``text``). Every
adapter (reviewers in calls, faculty in workshops, mentors later) stores those codes through
:func:`explanation_record` and :func:`reason_record`, and pages turn them into sentences here, when
they are read, so the staff member reading sees their own language. Nothing here scores anything.

This lives in ``volunteers`` because every engine pairing is a volunteer's fit (faculty,
reviewers, mentors) and both the apps above (calls, workshops, mentoring) may import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from django.utils import formats
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from oncoreach.people.enums import Specialty, language_name


class _Sentence(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def params(self) -> Mapping[str, object]: ...
    @property
    def text(self) -> str: ...


class _Part(Protocol):
    @property
    def component(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def weight(self) -> float | None: ...
    @property
    def sentence(self) -> _Sentence: ...


class _Explanation(Protocol):
    """The engine's ``matching.explain.PairExplanation`` (read without importing the engine)."""

    @property
    def score(self) -> float: ...
    @property
    def rank(self) -> int: ...
    @property
    def n_candidates(self) -> int: ...
    @property
    def components(self) -> Sequence[_Part]: ...


def _jsonable(value: object) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def explanation_record(explanation: _Explanation) -> dict[str, Any]:
    """A pair's engine explanation as JSON to store (on the proposal, or in a run's result)."""
    parts: list[dict[str, Any]] = []
    for part in explanation.components:
        parts.append(
            {
                "component": part.component,
                "value": part.value,
                "weight": part.weight,
                "code": part.sentence.code,
                "params": _jsonable(part.sentence.params),
                "text": part.sentence.text,
            }
        )
    return {
        "score": explanation.score,
        "rank": explanation.rank,
        "candidates": explanation.n_candidates,
        "parts": parts,
    }


def reason_record(*, code: str, params: Mapping[str, object]) -> dict[str, Any]:
    """An unmatched item's reason as JSON to store."""
    return {"code": code, "params": _jsonable(params)}


# --- Reading ---------------------------------------------------------------------------------

#: Languages whose spelling writes language names in lower case inside a sentence ("ambos hablan
#: inglés", "parle anglais", "ambos falam inglês"); English capitalises them, Arabic has no case.
_LOWER_CASE_LANGUAGE_NAMES = frozenset({"es", "fr", "pt"})
#: Spanish writes "e" for "and" before a word that starts with an /i/ sound ("francés e inglés"),
#: but not before a diphthong ("agua y hielo").
_I_SOUND = ("i", "hi", "í", "hí")
_NOT_I_SOUND = ("hia", "hie", "hio", "hiu")


def _reader_language() -> str:
    return (get_language() or "en").split("-")[0]


def language_in_sentence(code: str) -> str:
    """A language's name as it reads inside a sentence in the reader's language."""
    name = language_name(code)
    return name.lower() if _reader_language() in _LOWER_CASE_LANGUAGE_NAMES else name


def number_in_words(value: object) -> str:
    """A figure in the reader's locale (decimal comma in es/fr/pt) without a needless ".0":
    15.0 → "15", 2.5 → "2,5" in Spanish; at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return str(value)
    try:
        number = round(float(value), 2)
    except ValueError:
        return str(value)
    if number.is_integer():
        return formats.number_format(int(number))
    return formats.number_format(number)


def list_in_words(items: Iterable[object]) -> str:
    """Items joined as the reader's language joins a list: "English, French and Spanish"."""
    words = [str(item) for item in items if str(item)]
    if len(words) <= 1:
        return "".join(words)
    # Translators: the separator between the items of a list ("English, French and Spanish");
    # Arabic repeats "و" instead ("الفرنسية والبرتغالية والإنجليزية").
    head = pgettext("list separator", ", ").join(words[:-1])
    last = words[-1]
    if last.lower().startswith(_I_SOUND) and not last.lower().startswith(_NOT_I_SOUND):
        # Translators: a list joined before a last item that starts with an "i" sound; Spanish
        # writes "e" here ("francés e inglés"); other languages as in the other list join.
        return pgettext("last item starts with an i sound", "%(items)s and %(last)s") % {"items": head, "last": last}
    # Translators: a list's items joined before its last item ("English, French and Spanish").
    return pgettext("list join", "%(items)s and %(last)s") % {"items": head, "last": last}


def _names(codes: object) -> str:
    return (
        list_in_words(language_in_sentence(str(code)) for code in codes if code)
        if isinstance(codes, list | tuple)
        else ""
    )


def _specialty(code: object) -> str:
    return str(Specialty(code).label) if code in Specialty.values else str(code)


def _rules(params: Mapping[str, Any]) -> str:
    rules = params.get("rules") or {}
    if not isinstance(rules, Mapping):
        return ""
    return list_in_words(f"{rule_in_words(str(code))} ({number_in_words(count)})" for code, count in rules.items())


def rule_in_words(code: str) -> str:  # noqa: PLR0911 - one wording per rule
    """A hard rule that removed a pair."""
    if code in ("self",):
        return _("the same person")
    if code == "same_institution":
        return _("same organization")
    if code == "same_country":
        return _("same country of practice")
    if code in ("declared", "declared_coi", "conflict"):
        return _("conflict declared")
    if code == "past_mentorship":
        return _("past mentorship")
    if code == "no_shared_language":
        return _("no language in common")
    return code.replace("_", " ")


def sentence_in_words(code: str, params: Mapping[str, Any], fallback: str = "") -> str:  # noqa: PLR0911, PLR0912 - one wording per code
    """One component of a pair's score, as a sentence."""
    if code == "shared_expertise":
        return _("Knows %(topics)s (%(n)s of %(wanted)s topics the slot asks for).") % {
            "topics": list_in_words(params.get("topics", [])),
            "n": number_in_words(params.get("n", 0)),
            "wanted": number_in_words(params.get("wanted", 0)),
        }
    if code == "no_shared_expertise":
        return _("No topic in common with what the slot asks for.")
    if code == "no_expertise_wanted":
        return _("The slot asks for no particular topic.")
    if code == "speaks_course_languages":
        return _("Teaches in %(languages)s.") % {"languages": _names(params.get("languages", []))}
    if code == "no_course_language":
        return _("Speaks none of the course languages (others on the team may).")
    if code == "volunteered":
        return _("Volunteered for this slot.")
    if code == "did_not_volunteer":
        return _("Did not volunteer for this slot.")
    if code == "visited_before":
        return _("Has taught at this host before.")
    if code == "no_previous_visit":
        return _("Would be a first visit to this host.")
    if code == "shared_languages":
        return _("Both speak %(languages)s.") % {"languages": _names(params.get("languages", []))}
    if code == "shared_interests":
        return _("Shared interests: %(tags)s.") % {"tags": list_in_words(params.get("tags", []))}
    if code == "interest_similarity":
        return _("Topics and texts alike: %(value)s.") % {"value": number_in_words(params.get("value", 0))}
    if code == "same_specialty":
        return _("Same specialty (%(specialty)s).") % {"specialty": _specialty(params.get("specialty"))}
    if code == "other_specialty":
        return _("Another specialty (%(specialty)s).") % {"specialty": _specialty(params.get("specialty"))}
    if code == "specialty_match":
        return _("Specialty fit %(value)s.") % {"value": number_in_words(params.get("value", 0))}
    if code == "working_hours_overlap":
        return _("%(hours)s working hours overlap.") % {"hours": number_in_words(params.get("hours", 0))}
    return fallback or code.replace("_", " ")


def reason_in_words(code: str, params: Mapping[str, Any]) -> str:  # noqa: PLR0911 - one wording per reason
    """Why an item got fewer partners than it wanted."""
    if code == "no_candidates":
        return _("Nobody could be proposed.")
    if code == "no_other_candidate":
        return _("Everyone who could be proposed already is; nobody else is left.")
    if code == "no_eligible_candidate":
        return _("None of the %(n)s candidates may be chosen: %(rules)s.") % {
            "n": number_in_words(params.get("n_candidates", 0)),
            "rules": _rules(params),
        }
    if code == "all_in_conflict":
        return _("All %(n)s candidates have a conflict of interest: %(rules)s.") % {
            "n": number_in_words(params.get("n_candidates", 0)),
            "rules": _rules(params),
        }
    if code == "all_candidates_at_capacity":
        return _("All %(n)s possible candidates already have as much as they can take.") % {
            "n": number_in_words(params.get("n_eligible", 0))
        }
    if code == "not_selected":
        return _("Candidates were free, but giving them elsewhere served everyone better.")
    if code == "no_eligible_volunteer":
        return _(
            "No volunteer fits: %(with_role)s have the role, %(with_language)s of them speak the language, "
            "%(available)s are free on these dates."
        ) % {key: number_in_words(params.get(key, 0)) for key in ("with_role", "with_language", "available")}
    if code == "candidates_committed_elsewhere":
        return _(
            "Every fitting volunteer is committed elsewhere: %(at_max_trips)s at their trip limit, "
            "%(on_overlapping_course)s on an overlapping course, %(on_this_course)s in another slot here."
        ) % {
            key: number_in_words(params.get(key, 0))
            for key in ("at_max_trips", "on_overlapping_course", "on_this_course")
        }
    if code == "taken_meanwhile":
        return _("Someone was proposed for it by hand while the engine ran; it was left as it is.")
    if code == "changed_meanwhile":
        return _("It changed while the engine ran (decided, withdrawn or closed); it was left as it is.")
    if code == "language_uncovered":
        return _("%(course)s: nobody on the team speaks %(language)s.") % {
            "course": params.get("course", ""),
            "language": _names([params.get("language", "")]),
        }
    if code == "time_limit":
        return _("The engine stopped at its time limit: this is a good answer, maybe not the best.")
    return code.replace("_", " ")


def parts_in_words(parts: Iterable[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Stored parts as sentences with the points each added to the score. Parts stored before
    explanations had codes keep their stored text."""
    rows = []
    for part in parts or []:
        value = float(part.get("value") or 0)
        weight = part.get("weight")
        code = part.get("code")
        text = (
            sentence_in_words(str(code), part.get("params") or {}, part.get("text", ""))
            if code
            else part.get("text", "")
        )
        rows.append(
            {
                "component": part.get("component", ""),
                "text": text,
                "points": value * float(weight) if weight is not None else value,
            }
        )
    return rows


def outcome_in_words(result: Mapping[str, Any]) -> dict[str, Any]:
    """A run's stored outcome (pairs with explanations, the unmatched with reasons, notes) in
    words, for the generic run page."""
    pairs: Sequence[Mapping[str, Any]] = result.get("pairs", [])
    unmatched: Sequence[Mapping[str, Any]] = result.get("unmatched", [])
    notes: Sequence[Mapping[str, Any]] = result.get("notes", [])
    return {
        "headline": ngettext("%(n)s proposal made.", "%(n)s proposals made.", len(pairs)) % {"n": len(pairs)},
        "pairs": [
            {
                "left": pair.get("left", ""),
                "right": pair.get("right", ""),
                "score": pair.get("score"),
                "rank": pair.get("rank", 0),
                "candidates": pair.get("candidates", 0),
                "parts": parts_in_words(pair.get("parts")),
            }
            for pair in pairs
        ],
        "unmatched": [
            {"item": item.get("item", ""), "text": reason_in_words(str(item.get("code")), item.get("params") or {})}
            for item in unmatched
        ],
        "notes": [reason_in_words(str(note.get("code")), note.get("params") or {}) for note in notes],
        "changes": result.get("changes"),
    }
