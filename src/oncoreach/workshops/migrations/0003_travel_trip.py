# Faculty travel points at the shared travel.Trip (docs/decisions.md §21): first a nullable link,
# filled by 0004_faculty_trips, made required by 0005_travel_trip_required.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('travel', '0001_trip'),
        ('workshops', '0002_participants_hosts'),
    ]

    operations = [
        migrations.AddField(
            model_name='travel',
            name='trip',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='faculty_travel', to='travel.trip', verbose_name='trip'),
        ),
    ]
