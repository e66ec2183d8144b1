"""Every existing form becomes version 1 of itself: its questions and responses point at that
version, each question gets a stable key made from its English text, its text moves into the
per-language fields, and each answer keeps the key, text and choice labels of its question.

Reverse: copies the text back and points questions at their form again. It refuses when the data
already uses what the old schema cannot hold (a second version, sections, groups, money or time questions,
or answers whose question was deleted), rather than lose anything silently.
"""

import re
import unicodedata

from django.db import migrations

NEW_KINDS = ("section", "group", "money", "time")


def _key_from(text, taken):
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40].strip("_")
    if not base or not base[0].isalpha():
        base = f"question_{base}".strip("_")
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    taken.add(key)
    return key


def _choice_labels(choices):
    labels = {}
    for item in choices or []:
        if isinstance(item, list | tuple) and len(item) == 2:
            labels[str(item[0])] = str(item[1])
        else:
            labels[str(item)] = str(item)
    return labels


def to_versions(apps, schema_editor):
    FormDefinition = apps.get_model("programs", "FormDefinition")
    FormVersion = apps.get_model("programs", "FormVersion")
    Question = apps.get_model("programs", "Question")
    ResponseSet = apps.get_model("programs", "ResponseSet")
    Answer = apps.get_model("programs", "Answer")
    for form in FormDefinition.objects.order_by("pk").iterator():
        version, _created = FormVersion.objects.get_or_create(form=form, number=1)
        taken = set()
        for question in Question.objects.filter(form=form).order_by("order", "pk"):
            question.version = version
            question.key = question.key or _key_from(question.label, taken)
            question.labels = {"en": question.label}
            question.help_texts = {"en": question.help_text} if question.help_text else {}
            question.save(update_fields=["version", "key", "labels", "help_texts"])
            Answer.objects.filter(question=question).update(
                question_key=question.key,
                question_label=question.label,
                question_snapshot={"kind": question.kind, "language": "en", "choices": _choice_labels(question.choices)},
            )
        ResponseSet.objects.filter(form=form, version__isnull=True).update(version=version)


def to_forms(apps, schema_editor):
    FormVersion = apps.get_model("programs", "FormVersion")
    Question = apps.get_model("programs", "Question")
    Answer = apps.get_model("programs", "Answer")
    problems = []
    if FormVersion.objects.filter(number__gt=1).exists():
        problems.append("a form has more than one version")
    if Question.objects.filter(kind__in=NEW_KINDS).exists() or Question.objects.filter(parent__isnull=False).exists():
        problems.append("a form has sections, repeating groups, money or time questions")
    if Answer.objects.filter(question__isnull=True).exists():
        problems.append("some answers belong to deleted questions")
    if problems:
        raise RuntimeError("Cannot go back to forms without versions: " + "; ".join(problems) + ".")
    for question in Question.objects.select_related("version").iterator():
        question.form_id = question.version.form_id
        question.label = ((question.labels or {}).get("en") or "")[:500]
        question.help_text = (question.help_texts or {}).get("en") or ""
        question.save(update_fields=["form", "label", "help_text"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0005_form_versions")]

    operations = [migrations.RunPython(to_versions, to_forms)]
