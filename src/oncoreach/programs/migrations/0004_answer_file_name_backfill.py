"""Existing file answers get their shown name from the stored one (uploads before names were
kept as data were stored under the person's own file name)."""

import os

from django.db import migrations


def fill_file_names(apps, schema_editor):
    Answer = apps.get_model("programs", "Answer")
    for answer in Answer.objects.exclude(file="").filter(file_name="").only("pk", "file").iterator():
        Answer.objects.filter(pk=answer.pk).update(file_name=os.path.basename(answer.file.name)[:255])


def clear_file_names(apps, schema_editor):
    apps.get_model("programs", "Answer").objects.update(file_name="")


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_answer_file_name")]

    operations = [migrations.RunPython(fill_file_names, clear_file_names)]
