"""People search at volume: the staff list's search over 45,000 people, accents ignored.

    PYTHONPATH=src .venv/bin/python benchmarks/web/people_search.py [--people 45000]

Builds a throw-away database (SQLite in a temporary directory, or the database DATABASE_URL
names, which must be empty), migrates it, adds the people with ``bulk_create`` (which fills
their folded search column), then times what the staff people list runs for one search: the
count and the first page of 50, through ``people.selectors.people_for_staff``. Prints the
median of several runs per query, and the matches, so a wrong answer shows as well as a slow one.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

GIVEN = ["María", "José", "Lucía", "Ana", "João", "Chloé", "Zoë", "Nguyễn", "Amina", "Ørjan", "Łucja", "Priya", "Sita"]
FAMILY = ["Fernández", "Núñez", "Gonçalves", "Müller", "Đặng", "O’Brien", "Smith", "Okafor", "Sharma", "Silva", "Rai"]
QUERIES = ["fernandez", "FERNÁNDEZ", "maria fernandez", "obrien", "dang", "zzz-nobody", "silva@"]
RUNS = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=45_000)
    parser.add_argument("--explain", action="store_true", help="Print the database's plan of each first page.")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="oncoreach-search-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoreach.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)

    from oncoreach.accounts.enums import StaffGroup
    from oncoreach.accounts.models import User
    from oncoreach.geo.models import Country
    from oncoreach.people.models import Person
    from oncoreach.people.selectors import people_for_staff

    rng = random.Random(7)
    countries = list(Country.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    Person.objects.bulk_create(
        (
            Person(
                given_name=rng.choice(GIVEN),
                family_name=rng.choice(FAMILY),
                email=f"person{n}@example.org",
                country_of_practice_id=rng.choice(countries),
            )
            for n in range(args.people)
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    print(f"{connection.vendor}: {args.people:,} people created in {time.perf_counter() - started:.1f} s")
    staff = User.objects.create_user("staff@example.org", "x" * 20)
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name=StaffGroup.PROGRAM_STAFF.value))

    print(f"{'query':<18} {'matches':>8} {'count ms':>9} {'page ms':>8}")
    for query in ["", *QUERIES]:
        counts, pages = [], []
        for _ in range(RUNS):
            people = people_for_staff(user=staff, search=query)
            t0 = time.perf_counter()
            total = people.count()
            t1 = time.perf_counter()
            list(people[:50])
            t2 = time.perf_counter()
            counts.append((t1 - t0) * 1000)
            pages.append((t2 - t1) * 1000)
        label = query or "(no search)"
        print(f"{label:<18} {total:>8,} {statistics.median(counts):>9.1f} {statistics.median(pages):>8.1f}")
        if args.explain:
            print(people[:50].explain(analyze=connection.vendor == "postgresql"))
    tmp.cleanup()


if __name__ == "__main__":
    main()
