"""Membership records take over from the status field: each person marked active or lapsed gets
one record saying so (source "migrated", no member number), so the status derived from the records
is the status they had. The society's first export then replaces these records with real ones."""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Membership = apps.get_model("people", "Membership")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    batch = []
    people = Person.objects.filter(membership_status__in=["active", "lapsed"]).values_list(
        "id", "membership_status", "created_at"
    )
    for person_id, status, created_at in people.iterator(chunk_size=2000):
        joined = timezone.localdate(created_at) if created_at else today
        if status == "active":
            batch.append(Membership(person_id=person_id, valid_from=min(joined, today), source="migrated"))
        else:
            batch.append(
                Membership(
                    person_id=person_id, valid_from=min(joined, yesterday), valid_until=yesterday, source="migrated"
                )
            )
        if len(batch) >= 2000:
            Membership.objects.bulk_create(batch)
            batch = []
    Membership.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    apps.get_model("people", "Membership").objects.filter(source="migrated").delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0006_membership_records_and_imports")]

    operations = [migrations.RunPython(forwards, backwards)]
