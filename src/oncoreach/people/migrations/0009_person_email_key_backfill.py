"""Fill ``Person.email_key`` for the people who exist (new saves fill it themselves).

The folding is copied here, frozen, like 0004's.
"""

import unicodedata

from django.db import migrations

BATCH = 2000


def _email_key(email):
    decomposed = unicodedata.normalize("NFKD", email.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def backfill(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    batch = []
    for person in Person.objects.exclude(email="").only("id", "email").order_by("id").iterator(chunk_size=BATCH):
        person.email_key = _email_key(person.email)
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["email_key"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["email_key"])


def clear(apps, schema_editor):
    apps.get_model("people", "Person").objects.update(email_key="")


class Migration(migrations.Migration):
    dependencies = [("people", "0008_staff_notes_merge_and_duplicates")]

    operations = [migrations.RunPython(backfill, clear, elidable=False)]
