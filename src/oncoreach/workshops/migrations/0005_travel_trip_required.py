# Every faculty travel record has its trip now (0004_faculty_trips); the visa-letter flag lives
# on the trip only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('travel', '0001_trip'),
        ('workshops', '0004_faculty_trips'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='travel',
            name='visa_letter_needed',
        ),
        migrations.AlterField(
            model_name='travel',
            name='trip',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='faculty_travel', to='travel.trip', verbose_name='trip'),
        ),
    ]
