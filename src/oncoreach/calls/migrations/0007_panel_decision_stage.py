"""A panel decision belongs to a stage: existing decisions move to their call's committee stage, or
else its last assessing stage (review, committee or interview), or else its last stage. Reversible
(backward simply drops the column)."""

import django.db.models.deletion
from django.db import migrations, models

ASSESSING = ("review", "committee", "interview")


def _panel_stage_id(stages):
    committee = [stage.pk for stage in stages if stage.kind == "committee"]
    assessing = [stage.pk for stage in stages if stage.kind in ASSESSING]
    every = [stage.pk for stage in stages]
    return (committee or assessing or every)[-1]


def forward(apps, schema_editor):
    CallStage = apps.get_model("calls", "CallStage")
    PanelDecision = apps.get_model("calls", "PanelDecision")
    call_ids = set(PanelDecision.objects.values_list("application__call_id", flat=True))
    stages_by_call = {}
    for stage in CallStage.objects.filter(call_id__in=call_ids).order_by("order", "id"):
        stages_by_call.setdefault(stage.call_id, []).append(stage)
    for call_id, stages in stages_by_call.items():
        PanelDecision.objects.filter(application__call_id=call_id).update(stage_id=_panel_stage_id(stages))


class Migration(migrations.Migration):
    # Filling the column, then making it required, in one transaction trips PostgreSQL ("pending
    # trigger events"); each operation runs in its own.
    atomic = False

    dependencies = [("calls", "0006_remove_call_columns_now_on_stages")]

    operations = [
        migrations.AddField(
            model_name="paneldecision",
            name="stage",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="panel_decisions",
                to="calls.callstage",
                verbose_name="stage",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="paneldecision",
            name="stage",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="panel_decisions",
                to="calls.callstage",
                verbose_name="stage",
            ),
        ),
        migrations.AlterModelOptions(
            name="paneldecision",
            options={
                "ordering": ["application", "stage", "-created_at", "-id"],
                "verbose_name": "panel decision",
                "verbose_name_plural": "panel decisions",
            },
        ),
    ]
