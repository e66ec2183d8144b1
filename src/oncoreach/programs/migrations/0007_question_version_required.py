"""Questions belong to a version (0006 filled it in); the columns that versions and per-language
text replace are dropped."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0006_form_versions_backfill")]

    operations = [
        migrations.RemoveConstraint(model_name="question", name="question_order_unique_per_form"),
        migrations.RemoveField(model_name="question", name="form"),
        migrations.RemoveField(model_name="question", name="label"),
        migrations.RemoveField(model_name="question", name="help_text"),
        migrations.AlterField(
            model_name="question",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="questions", to="programs.formversion"
            ),
        ),
        migrations.AlterModelOptions(
            name="question",
            options={"ordering": ["version", "order", "id"], "verbose_name": "question", "verbose_name_plural": "questions"},
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", True)),
                fields=("version", "key"),
                name="question_key_unique_per_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", False)),
                fields=("parent", "key"),
                name="column_key_unique_per_group",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", True)),
                fields=("version", "order"),
                name="question_order_unique_per_version",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("parent__isnull", False)),
                fields=("parent", "order"),
                name="column_order_unique_per_group",
            ),
        ),
    ]
