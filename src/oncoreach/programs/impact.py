"""The impact figures' vocabulary, and the registry through which each domain app contributes its own.

The ``reporting`` app (top layer) shows figures per country, World Bank region, income group as
of each year, program and year. It never counts a domain's records itself: each domain app
defines *figure families* in its own ``figures.py`` (a selectors module) and registers them in its
``AppConfig.ready()``. An app that does not exist yet registers nothing, so its figures read zero.

A family is one grouped query. It returns :class:`FigureRow` objects: a country (or ``None``), a
program (or ``None``), a day that places the row in a calendar year and a World Bank fiscal year,
and values for some of the figure keys below. ``reporting`` resolves region and income group
(as of the row's fiscal year), applies filters and sums. Values are numbers, summed, or, for a
figure marked ``distinct``, sets of ids, united (a story about two countries counts once in a
region or a year, and once under each country).

docs/reporting.md shows how an app adds a figure. This module knows no models: the programs app
sits below every app that contributes, so they can all import it.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

Value = int | Decimal | frozenset[int]


class Unit(StrEnum):
    COUNT = "count"
    HOURS = "hours"
    USD = "usd"
    RATIO = "ratio"


class Group(StrEnum):
    """Where a figure is shown: the headline columns, or the follow-up surveys' table."""

    REACH = "reach"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Figure:
    """One figure: a stable key (API, CSV columns), a label and a definition readers understand.

    ``ratio_of`` makes a derived figure: the first key's total divided by the second's, computed
    after filtering and summing (never averaged over rows).
    """

    key: str
    label: str | Promise
    definition: str | Promise
    unit: Unit = Unit.COUNT
    group: Group = Group.REACH
    distinct: bool = False
    ratio_of: tuple[str, str] | None = None


@dataclass(frozen=True)
class FigureRow:
    """Part of one or more figures for one country, program and day.

    ``day`` is any day inside the period the row counts (a course's last day, a publication date,
    the first of a month): reporting uses it for the calendar year and the fiscal year whose
    income group applies. ``None`` for a country or program means "not attributable"; such rows
    count in totals, and only when no country, region, income group or program filter is set.
    """

    country_id: int | None
    program_id: int | None
    day: dt.date
    values: Mapping[str, Value]


@dataclass(frozen=True)
class JourneyRow:
    """People who travelled from one country to another for the program (drawn as map arcs)."""

    origin_id: int
    destination_id: int
    program_id: int | None
    day: dt.date
    count: int


@dataclass(frozen=True)
class FigureFamily:
    """A domain's contribution: the keys it fills and the one grouped query that fills them.

    ``figures`` may declare keys the shared catalogue below does not have (the app's own).
    """

    name: str
    provides: tuple[str, ...]
    rows: Callable[[], Iterable[FigureRow]]
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class JourneySource:
    name: str
    label: str | Promise
    rows: Callable[[], Iterable[JourneyRow]]


# --- The shared catalogue: figures several apps fill, or apps still to come fill ------------------

_FOLLOW_UPS = (
    ("1m", _("1-month follow-up")),
    ("1y", _("1-year follow-up")),
    ("5y", _("5-year follow-up")),
)

CATALOGUE: tuple[Figure, ...] = (
    Figure(
        "people_trained",
        _("People trained"),
        _(
            "Course places attended: participants marked as having attended, counted under the country "
            "where they practise. A person who attended two courses counts twice."
        ),
    ),
    Figure(
        "courses_held", _("Courses held"), _("Courses and workshops that took place, in the year of their last day.")
    ),
    Figure(
        "faculty_trips",
        _("Faculty trips"),
        _("Visits completed by volunteer faculty who practise in another country than the course's."),
    ),
    Figure(
        "volunteer_hours",
        _("Volunteer hours"),
        _("Hours volunteers logged (teaching, travel, reviewing, mentoring, writing), under their own country."),
        unit=Unit.HOURS,
    ),
    Figure(
        "stories_published",
        _("Stories published"),
        _("Stories live on the site, by publication date; a story about two countries counts once in each."),
        distinct=True,
    ),
    Figure("awards_made", _("Awards and grants"), _("Awards accepted by their awardees, in the year of the award.")),
    Figure(
        "grant_money",
        _("Grant money (USD)"),
        _("Grant payments made to organizations, in US dollars; grants in other currencies are not included."),
        unit=Unit.USD,
    ),
    Figure(
        "mentorships_active",
        _("Mentorships active"),
        _("Mentorships that were active at any time in the period, counted once."),
        distinct=True,
    ),
    Figure("mentorships_completed", _("Mentorships completed"), _("Mentorships completed, in the year they ended.")),
    *(
        figure
        for period, name in _FOLLOW_UPS
        for figure in (
            Figure(
                f"followup_{period}_answers",
                format_lazy("{} ({})", _("Alumni who answered"), name),
                _("Alumni who answered the follow-up survey."),
                group=Group.FOLLOW_UP,
            ),
            Figure(
                f"followup_{period}_practice_changed",
                format_lazy("{} ({})", _("Practice changed"), name),
                _("Alumni who said their practice changed."),
                group=Group.FOLLOW_UP,
            ),
            Figure(
                f"followup_{period}_colleagues_trained",
                format_lazy("{} ({})", _("Colleagues trained in turn"), name),
                _("Colleagues the alumni trained in turn."),
                group=Group.FOLLOW_UP,
            ),
            Figure(
                f"followup_{period}_multiplier",
                format_lazy("{} ({})", _("Colleagues trained per alumnus"), name),
                _("Colleagues trained per alumnus who answered."),
                unit=Unit.RATIO,
                group=Group.FOLLOW_UP,
                ratio_of=(f"followup_{period}_colleagues_trained", f"followup_{period}_answers"),
            ),
        )
    ),
)
FOLLOW_UP_PERIODS: tuple[tuple[str, str | Promise], ...] = _FOLLOW_UPS


# --- The registry -------------------------------------------------------------------------------


@dataclass
class _Registry:
    families: dict[str, FigureFamily] = field(default_factory=dict)
    journeys: dict[str, JourneySource] = field(default_factory=dict)
    extra: dict[str, Figure] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_registry = _Registry()


def register_family(family: FigureFamily) -> None:
    """Add a family (call it from ``AppConfig.ready()``). Registering the same name again
    replaces it; a key no catalogue declares, or declared twice, is a configuration error."""
    with _registry.lock:
        own = {figure.key: figure for figure in family.figures}
        shared = {figure.key for figure in CATALOGUE}
        others = {key for name, other in _registry.families.items() if name != family.name for key in _own_keys(other)}
        clash = sorted((set(own) & shared) | (set(own) & others))
        if clash:
            raise ImproperlyConfigured(f"Figure family {family.name!r} declares keys already declared: {clash}.")
        unknown = sorted(set(family.provides) - shared - set(own) - others)
        if unknown:
            raise ImproperlyConfigured(f"Figure family {family.name!r} provides undeclared keys: {unknown}.")
        _registry.families[family.name] = family
        _registry.extra.update(own)


def _own_keys(family: FigureFamily) -> set[str]:
    return {figure.key for figure in family.figures}


def register_journeys(source: JourneySource) -> None:
    """Add a source of journeys for the map's arcs (call it from ``AppConfig.ready()``)."""
    with _registry.lock:
        _registry.journeys[source.name] = source


def families() -> list[FigureFamily]:
    """Every registered family, by name (a stable order, so reports are deterministic)."""
    return [_registry.families[name] for name in sorted(_registry.families)]


def journey_sources() -> list[JourneySource]:
    return [_registry.journeys[name] for name in sorted(_registry.journeys)]


def figures() -> list[Figure]:
    """The catalogue followed by the figures families declared themselves."""
    return [*CATALOGUE, *(_registry.extra[key] for key in sorted(_registry.extra))]


def figure(key: str) -> Figure:
    for candidate in figures():
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def provided_keys() -> set[str]:
    """Keys some registered family fills (the others read zero: their app is not installed)."""
    return {key for family in _registry.families.values() for key in family.provides}


def unregister_family(name: str) -> None:
    """For tests that register a family of their own."""
    with _registry.lock:
        family = _registry.families.pop(name, None)
        if family is not None:
            for key in _own_keys(family):
                _registry.extra.pop(key, None)
