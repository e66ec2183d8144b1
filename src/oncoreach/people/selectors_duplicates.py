"""The duplicate-person finder: pairs of records that may be one person.

A pair is proposed when both records have the same e-mail address (case and accents folded,
``Person.email_key``), the same ORCID iD, or the same folded name (``Person.search_name``) with
the same country of practice and year of birth (``Person.birth_year``). Each rule is one grouped
query in the database (``GROUP BY … HAVING COUNT(*) > 1`` as a subquery), so the cost follows
the number of duplicates, not the square of the number of people. Pairs staff dismissed
(``DuplicateDismissal``) and records merged away are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oncoreach.people.models import DuplicateDismissal, Person
from oncoreach.people.permissions import can_merge_people

#: Pairs shown at most (a first cleanup of a large import works through them page by page).
MAX_PAIRS = 200
#: A group larger than this (a shared office address) yields pairs of its first members only.
MAX_GROUP = 12


#: Relations that are the merge's own bookkeeping, never moved.
_NOT_MOVED = {
    ("people.Person", "merged_into"),
    ("people.DuplicateDismissal", "first"),
    ("people.DuplicateDismissal", "second"),
}


def person_relations() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key (and one-to-one) to Person in every installed app, hidden ones too
    (``related_name="+"``, the tables behind many-to-many fields)."""
    relations: list[models.ForeignKey[Any, Any]] = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.many_to_many:
            continue  # forward fields; a many-to-many moves through its table's foreign key
        field = relation.field  # type: ignore[union-attr]
        if (field.model._meta.label, field.name) in _NOT_MOVED or not isinstance(field, models.ForeignKey):
            continue
        relations.append(field)
    return sorted(relations, key=lambda field: (field.model._meta.label, field.name))


@dataclass(frozen=True)
class DuplicatePair:
    first: Person
    second: Person
    reasons: tuple[str | Promise, ...]


def require_merge_staff(*, user: Any) -> None:
    if not can_merge_people(user):
        raise PermissionDenied


def _active() -> QuerySet[Person]:
    return Person.objects.filter(merged_into__isnull=True)


def _groups(keys: tuple[str, ...], *, exclude_blank: Q) -> QuerySet[Person]:
    """People whose ``keys`` are shared with another active person (one query, grouped in SQL)."""
    shared = (
        _active()
        .exclude(exclude_blank)
        .order_by()
        .values(*keys)
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values(keys[0])
    )
    return _active().exclude(exclude_blank).filter(**{f"{keys[0]}__in": shared})


_RULES: tuple[tuple[tuple[str, ...], Q, Promise], ...] = (
    (("email_key",), Q(email_key=""), _("same e-mail address")),
    (("orcid",), Q(orcid=""), _("same ORCID iD")),
    (
        ("search_name", "country_of_practice_id", "birth_year"),
        Q(search_name="") | Q(country_of_practice__isnull=True) | Q(birth_year__isnull=True),
        _("same name, country and year of birth"),
    ),
)


def duplicate_pairs(*, user: Any) -> list[DuplicatePair]:
    """Candidate pairs, first those with the most reasons. Four queries: one per rule (people
    and their countries come with it) and one for the dismissals among them."""
    require_merge_staff(user=user)
    people: dict[int, Person] = {}
    reasons: dict[tuple[int, int], list[str | Promise]] = defaultdict(list)
    for keys, blank, reason in _RULES:
        members = _groups(keys, exclude_blank=blank).select_related("country_of_practice", "user").order_by("id")
        grouped: dict[tuple[Any, ...], list[Person]] = defaultdict(list)
        for person in members[: MAX_PAIRS * 4]:
            people.setdefault(person.pk, person)
            grouped[tuple(getattr(person, key) for key in keys)].append(person)
        for group in grouped.values():
            for first, second in combinations(group[:MAX_GROUP], 2):
                reasons[(first.pk, second.pk)].append(reason)
    if not reasons:
        return []
    ids = {pk for pair in reasons for pk in pair}
    dismissed = set(
        DuplicateDismissal.objects.filter(first_id__in=ids, second_id__in=ids).values_list("first_id", "second_id")
    )
    pairs = [
        DuplicatePair(first=people[a], second=people[b], reasons=tuple(why))
        for (a, b), why in reasons.items()
        if (a, b) not in dismissed
    ]
    pairs.sort(key=lambda pair: (-len(pair.reasons), pair.first.pk, pair.second.pk))
    return pairs[:MAX_PAIRS]


def get_merge_pair(*, user: Any, first_pk: int, second_pk: int) -> tuple[Person, Person]:
    """Fetch-or-deny for the merge screen: two people (any state; the service refuses bad pairs)."""
    require_merge_staff(user=user)
    query = Person.objects.select_related("country_of_practice", "country_of_residence", "user", "merged_into")
    return get_object_or_404(query, pk=first_pk), get_object_or_404(query, pk=second_pk)


def related_counts(*, person: Person) -> list[tuple[str, int]]:
    """How many rows of each kind point at ``person``, for the merge screen (one query per
    relation: the screen is for one pair at a time)."""
    counts = []
    for field in person_relations():
        count = field.model._default_manager.filter(**{field.name: person}).count()
        if count:
            counts.append((str(field.model._meta.verbose_name_plural), count))
    return counts
