"""Fill ``Person.search_name`` for the people who exist (new saves fill it themselves).

The folding is copied here, frozen, so this migration keeps doing what it did when it ran even
if ``people.models.search_key`` changes later (a later change gets its own backfill).
"""

import unicodedata

from django.db import migrations

_FOLDS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th",
     "'": "", "’": "", "‘": "", "-": " ", "‐": " ", "‑": " ", ".": " "}
)
BATCH = 2000


def _search_key(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_FOLDS).split())


def backfill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.only("id", "given_name", "family_name").order_by("id").iterator(chunk_size=BATCH):
        person.search_name = _search_key(f"{person.given_name} {person.family_name}")
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["search_name"])


def clear(apps, schema_editor):
    apps.get_model("people", "Person").objects.update(search_name="")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_search_name")]

    operations = [migrations.RunPython(backfill, clear, elidable=False)]
