"""Pure generators for the demo data: plain dicts from a seeded random source, no database.

Keeping generation apart from writing makes the output easy to test for determinism (the same
seed and the same countries give the same people, organizations and stories) and lets the
writer use bulk inserts.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oncoreach.demo.data import content, places

LMIC_CODES = frozenset({"L", "LM", "UM"})
EMAIL_DOMAINS = ("example.org", "example.net", "example.com")


@dataclass(frozen=True)
class CountryInfo:
    """What the generators need to know about a country (read once from geo.Country)."""

    pk: int
    iso3: str
    name: str
    income_group: str
    languages: tuple[str, ...]
    time_zone: str
    time_zones: tuple[str, ...]
    weight: float
    name_group: str
    org_language: str
    cities: tuple[str, ...]


def ascii_slug(text: str) -> str:
    """'José María' -> 'josemaria' (for e-mail addresses)."""
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in normalized.lower() if ch.isalnum())


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID drawn from the seeded source (uuid4() would break determinism)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def orcid_checksum(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 check character, as ORCID defines it."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def make_orcid(rng: random.Random) -> str:
    base = "0000000" + str(rng.choice((1, 2, 3))) + "".join(str(rng.randrange(10)) for _ in range(7))
    digits = base + orcid_checksum(base)
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def choose_countries_for_people(
    rng: random.Random, countries: Sequence[CountryInfo], home: CountryInfo, count: int, home_share: float
) -> list[CountryInfo]:
    """About ``home_share`` of people practise in the home country; the rest follow the weights.

    Every weighted country gets at least one person when there are enough people, so the long
    tail is present even in small seeds.
    """
    abroad = [c for c in countries if c.iso3 != home.iso3 and c.weight > 0]
    home_count = round(count * home_share)
    abroad_count = count - home_count
    chosen: list[CountryInfo] = [home] * home_count
    if abroad and abroad_count:
        guaranteed = abroad[: abroad_count // 3] if abroad_count < len(abroad) * 3 else abroad
        chosen.extend(guaranteed)
        chosen.extend(rng.choices(abroad, weights=[c.weight for c in abroad], k=abroad_count - len(guaranteed)))
    rng.shuffle(chosen)
    return chosen


def generate_organizations(
    rng: random.Random, countries: Sequence[CountryInfo], home: CountryInfo, count: int
) -> list[dict[str, Any]]:
    """Hospitals, universities, societies, ministries and NGOs named from cities, per country."""
    # The home country first, then by weight: a small seed still covers the big countries.
    weighted = sorted(
        (c for c in countries if c.weight > 0 or c.iso3 == home.iso3),
        key=lambda c: (c.iso3 != home.iso3, -c.weight, c.iso3),
    )
    home_weight = sum(c.weight for c in weighted if c.iso3 != home.iso3) * 0.35
    weights = [home_weight if c.iso3 == home.iso3 else c.weight for c in weighted]
    # Each country first gets one organization (its main cancer hospital), then the rest by weight.
    per_country = [weighted[i] for i in range(min(count, len(weighted)))]
    per_country.extend(rng.choices(weighted, weights=weights, k=max(0, count - len(per_country))))
    seen: set[tuple[str, str, str]] = set()
    organizations: list[dict[str, Any]] = []
    counts_by_country: dict[str, int] = {}
    for country in per_country:
        patterns = places.ORG_PATTERNS.get(country.org_language, places.ORG_PATTERNS["en"])
        first = counts_by_country.get(country.iso3, 0) == 0
        for attempt in range(12):
            kind = "hospital" if first and attempt == 0 else _weighted(rng, places.ORG_KIND_WEIGHTS)
            city = country.cities[0] if first else rng.choice(country.cities)
            pattern = rng.choice(patterns.get(kind) or places.ORG_PATTERNS["en"][kind])
            name = pattern.format(city=city, country=country.name)
            if attempt >= 8:
                name = f"{name} ({rng.choice(('North', 'South', 'East', 'West', 'Central'))} campus)"
            key = (name, country.iso3, city)
            if key not in seen:
                break
        else:
            continue
        seen.add(key)
        counts_by_country[country.iso3] = counts_by_country.get(country.iso3, 0) + 1
        slug = ascii_slug(name)[:40]
        organizations.append(
            {
                "name": name,
                "kind": kind,
                "country_pk": country.pk,
                "country_iso3": country.iso3,
                "city": city,
                "website": f"https://{slug}.example.org/" if rng.random() < 0.6 else "",
                "is_partner": kind in ("partner_society", "national_society") or rng.random() < 0.05,
            }
        )
    return organizations


def generate_people(
    rng: random.Random,
    *,
    countries: Sequence[CountryInfo],
    home: CountryInfo,
    count: int,
    organizations: Sequence[dict[str, Any]],
    today: dt.date,
    home_share: float = 2 / 3,
    volunteer_share: float = 0.06,
) -> list[dict[str, Any]]:
    """People with a full profile; organizations are referred to by their index in the list."""
    orgs_by_country: dict[str, list[int]] = {}
    for index, org in enumerate(organizations):
        orgs_by_country.setdefault(org["country_iso3"], []).append(index)
    specialties = content.SPECIALTY_WEIGHTS
    careers = content.CAREER_WEIGHTS
    people: list[dict[str, Any]] = []
    for number, country in enumerate(choose_countries_for_people(rng, countries, home, count, home_share), start=1):
        group = _weighted(rng, places.HOME_NAME_MIX) if country.iso3 == home.iso3 else country.name_group
        given_names, family_names = places.NAME_GROUPS.get(group, places.NAME_GROUPS["us"])
        given = rng.choice(given_names)
        family = rng.choice(family_names)
        specialty = _weighted(rng, specialties)
        career = _weighted(rng, careers)
        trained = {
            "trainee": None,
            "early": today.year - rng.randint(1, 9),
            "mid": today.year - rng.randint(10, 20),
            "senior": today.year - rng.randint(21, 34),
            "retired": today.year - rng.randint(35, 45),
        }[career]
        languages = list(country.languages[:2]) if country.languages else []
        if "en" not in languages and (country.iso3 == home.iso3 or rng.random() < 0.7):
            languages.append("en")
        if rng.random() < 0.12:
            extra = rng.choice(("es", "fr", "pt", "ar", "de", "zh"))
            if extra not in languages:
                languages.append(extra)
        zones = places.MAIN_TIME_ZONES.get(country.iso3)
        time_zone = _weighted(rng, zones) if zones else country.time_zone
        roll = rng.random()
        membership = "active" if roll < 0.78 else ("lapsed" if roll < 0.88 else "none")
        volunteer = rng.random() < volunteer_share
        org_indexes = orgs_by_country.get(country.iso3, [])
        affiliations: list[dict[str, Any]] = []
        if org_indexes:
            primary = rng.choice(org_indexes)
            affiliations.append(
                {
                    "org": primary,
                    "is_primary": True,
                    "title": rng.choice(content.POSITION_TITLES[career]),
                    "start_year": (trained or today.year - 2) + rng.randint(0, 3),
                }
            )
            if len(org_indexes) > 1 and rng.random() < 0.25:
                second = rng.choice(org_indexes)
                if second != primary:
                    affiliations.append({"org": second, "is_primary": False, "title": "", "start_year": None})
        bio = ""
        if volunteer or rng.random() < 0.2:
            topic, topic2 = rng.sample(content.TOPICS, 2)
            org_name = organizations[affiliations[0]["org"]]["name"] if affiliations else country.name
            bio = rng.choice(content.BIO_TEMPLATES).format(
                specialty=dict(_specialty_labels()).get(specialty, "Oncology"),
                city=rng.choice(country.cities),
                topic=topic,
                topic2=topic2,
                org=org_name,
            )
        has_login = membership != "none" or volunteer
        people.append(
            {
                "given_name": given,
                "family_name": family,
                "email": f"{ascii_slug(given)}.{ascii_slug(family)}.{number}@{EMAIL_DOMAINS[number % 3]}",
                "country_pk": country.pk,
                "country_iso3": country.iso3,
                "specialty": specialty,
                "career_stage": career,
                "training_completed_year": trained,
                # Training ends at 26 to 31 (a trainee finishes in about two years); from the
                # running number, not the random stream, so the rest of the demo stays as it was.
                "birth_year": (trained or today.year + 2) - 26 - number % 6,
                "languages": languages,
                "time_zone": time_zone,
                "orcid": make_orcid(rng) if rng.random() < 0.35 else "",
                "bio": bio,
                "membership_status": membership,
                "is_volunteer": volunteer,
                "has_login": has_login,
                "preferred_language": _ui_language(country),
                "affiliations": affiliations,
            }
        )
    return people


def _ui_language(country: CountryInfo) -> str:
    for code in country.languages:
        if code in ("en", "es", "fr", "pt", "ar"):
            return code
    return "en"


def _specialty_labels() -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value, _w in content.SPECIALTY_WEIGHTS]


@dataclass(frozen=True)
class ProgramInfo:
    """What a story needs to know about a program: its slug, name and kind (course, award, ...)."""

    slug: str
    name: str
    kind: str


def _templates(table: dict[str, list[str]], kind: str) -> list[str]:
    return [*table.get(kind, []), *table["any"]]


def generate_stories(
    rng: random.Random,
    *,
    countries: Sequence[CountryInfo],
    home: CountryInfo,
    count: int,
    author_indexes: Sequence[int],
    programs: Sequence[ProgramInfo],
    today: dt.date,
    years: int = 10,
) -> list[dict[str, Any]]:
    """News items over the last ``years`` years, each about one program in one place.

    A story is tagged with exactly what its text names: the program it is about, the country its
    city is in (and the home country when it names a home city), and a first topic that belongs
    to that program.
    """
    lmics = [c for c in countries if c.income_group in LMIC_CODES and c.weight > 0]
    others = [c for c in countries if c.income_group not in LMIC_CODES and c.weight > 0]
    first_day = today - dt.timedelta(days=365 * years)
    span = (today - first_day).days
    home_city = home.cities[0] if home.cities else home.name
    stories: list[dict[str, Any]] = []
    for _ in range(count):
        pool = lmics if (rng.random() < 0.85 and lmics) or not others else others
        main = rng.choices(pool, weights=[c.weight for c in pool], k=1)[0]
        program = rng.choice(list(programs))
        first_topic = rng.choice(content.PROGRAM_TOPICS.get(program.slug) or content.TOPICS)
        others_topics = [topic for topic in content.TOPICS if topic != first_topic]
        topics = [first_topic, *rng.sample(others_topics, k=rng.choice((0, 1, 1, 2, 3)))]
        words = {
            "city": rng.choice(main.cities) if main.cities else main.name,
            "home_city": home_city,
            "country": main.name,
            "program": program.name,
            "topic": topics[0],
            "Topic": topics[0][0].upper() + topics[0][1:],
            "topic2": topics[1] if len(topics) > 1 else rng.choice(others_topics),
            "count": rng.choice((12, 18, 24, 30, 36, 40, 45, 60, 85, 120)),
            "days": rng.choice((2, 3, 4, 5)),
            "hours": rng.choice((3, 5, 7, 8, 10, 12)),
        }
        title_template = rng.choice(_templates(content.TITLE_TEMPLATES, program.kind))
        teaser_template = rng.choice(_templates(content.TEASER_TEMPLATES, program.kind))
        paragraph_pool = _templates(content.PARAGRAPH_TEMPLATES, program.kind)
        paragraphs = rng.sample(paragraph_pool, k=min(len(paragraph_pool), rng.randint(3, 6)))
        body: list[dict[str, Any]] = [
            {"type": "paragraph", "value": f"<p>{text.format(**words)}</p>", "id": str(seeded_uuid(rng))}
            for text in paragraphs
        ]
        if rng.random() < 0.3:
            body.insert(
                rng.randint(1, len(body)),
                {
                    "type": "quote",
                    "id": str(seeded_uuid(rng)),
                    "value": {"text": rng.choice(content.QUOTES), "attribution": f"A participant from {words['city']}"},
                },
            )
        if rng.random() < 0.12:
            body.append(
                {
                    "type": "video",
                    "id": str(seeded_uuid(rng)),
                    "value": {
                        "url": f"https://video.example.org/watch/{rng.getrandbits(40):010x}",
                        "title": rng.choice(content.VIDEO_TITLES),
                    },
                },
            )
        named_home = any("{home_city}" in text for text in (title_template, teaser_template, *paragraphs))
        story_countries = [main] + ([home] if named_home and home.pk != main.pk else [])
        date = first_day + dt.timedelta(days=rng.randrange(span + 1))
        authors = [rng.choice(author_indexes)] if author_indexes else []
        if author_indexes and rng.random() < 0.2:
            second = rng.choice(author_indexes)
            if second not in authors:
                authors.append(second)
        stories.append(
            {
                "title": title_template.format(**words),
                "teaser": teaser_template.format(**words),
                "date": date,
                "body": body,
                "country_pks": [c.pk for c in story_countries],
                "program_slugs": [program.slug],
                "topics": topics,
                "authors": authors,
                "translation_key": seeded_uuid(rng),
                "hour": rng.randint(7, 18),
            }
        )
    stories.sort(key=lambda s: s["date"])
    return stories
