"""Form versions, stable question keys, translatable text, sections, conditions, repeating
groups, audiences; answers that keep what the person saw. Schema additions only: 0006 fills them
in, 0007 drops what they replace."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import oncoreach.programs.models


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_answer_file_name_backfill"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FormVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField(verbose_name="version")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "form",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="programs.formdefinition",
                    ),
                ),
            ],
            options={
                "verbose_name": "form version",
                "verbose_name_plural": "form versions",
                "ordering": ["form", "-number"],
                "constraints": [models.UniqueConstraint(fields=("form", "number"), name="form_version_number_unique")],
            },
        ),
        # Questions: the old columns stay (nullable / defaulted) until 0006 has copied them.
        migrations.AlterField(
            model_name="question",
            name="form",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="programs.formdefinition",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="label",
            field=models.CharField(default="", max_length=500, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="question",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="programs.formversion",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="columns",
                to="programs.question",
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="key",
            field=models.CharField(
                default="",
                max_length=50,
                validators=[oncoreach.programs.models.validate_question_key],
                verbose_name="key",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="question",
            name="labels",
            field=models.JSONField(
                default=dict, help_text="The text in each language; English is required.", verbose_name="question"
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="help_texts",
            field=models.JSONField(blank=True, default=dict, verbose_name="help text"),
        ),
        migrations.AddField(
            model_name="question",
            name="currency",
            field=models.CharField(
                blank=True,
                help_text="For amounts of money: an ISO 4217 code such as USD.",
                max_length=3,
                verbose_name="currency",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="max_rows",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="most rows"),
        ),
        migrations.AddField(
            model_name="question",
            name="audiences",
            field=models.JSONField(
                blank=True,
                default=oncoreach.programs.models._default_audiences,
                help_text="Who may see this question and its answer; program staff always see everything.",
                verbose_name="shown to",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="condition",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="When set, the question shows only if an earlier question's answer meets this rule.",
                verbose_name="show only if",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="choices",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='For choice questions: a list of ["value", "label"] pairs (the label may be a mapping of language to text) or plain labels.',
                verbose_name="choices",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="kind",
            field=models.CharField(
                choices=[
                    ("short_text", "Short text"),
                    ("long_text", "Long text"),
                    ("single_choice", "One choice"),
                    ("multiple_choice", "Several choices"),
                    ("number", "Number"),
                    ("date", "Date"),
                    ("time", "Time of day"),
                    ("yes_no", "Yes or no"),
                    ("file", "File upload"),
                    ("email", "E-mail address"),
                    ("url", "Web address"),
                    ("money", "Amount of money"),
                    ("section", "Section heading"),
                    ("group", "Repeating group (a table of rows)"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        # Responses: the version answered, the language shown, the frozen snapshot.
        migrations.AddField(
            model_name="responseset",
            name="version",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="response_sets",
                to="programs.formversion",
            ),
        ),
        migrations.AddField(
            model_name="responseset",
            name="language",
            field=models.CharField(blank=True, max_length=10, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="responseset",
            name="frozen_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="responseset",
            name="snapshot",
            field=models.JSONField(blank=True, default=list),
        ),
        # Answers outlive their question: what the person saw is kept on the answer.
        migrations.AlterField(
            model_name="answer",
            name="question",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="answers",
                to="programs.question",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="question_key",
            field=models.CharField(blank=True, db_index=True, max_length=50, verbose_name="key"),
        ),
        migrations.AddField(
            model_name="answer",
            name="question_label",
            field=models.TextField(blank=True, verbose_name="question"),
        ),
        migrations.AddField(
            model_name="answer",
            name="question_snapshot",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
