"""The staff form builder's writes: forms, questions, their order; versions made on demand.

**Versions.** Staff always edit the form's current version. While no response to it has been
submitted, edits change it in place. The first edit after a submission copies the version to a
new one (same keys), applies the edit there, and makes it current: submitted responses keep the
questions they answered.

**Drafts** always answer the current version: when a new version is made, every draft moves to
it in the same transaction (its answers follow their question by key), so a person who comes back
to a draft sees today's questions with what they typed. An answer to a question that a later edit
deletes stays stored (with the question's text), but is no longer shown in the form.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.programs.enums import (
    ANSWERED_ONLY_SOURCE_KINDS,
    CHOICE_KINDS,
    COLUMN_KINDS,
    CURRENCIES,
    Audience,
    ConditionOp,
    QuestionKind,
)
from oncoreach.programs.logic import condition_values, make_key
from oncoreach.programs.models import Answer, FormDefinition, FormVersion, Question, ResponseSet, in_language
from oncoreach.programs.selectors import current_version, version_is_locked, version_items

#: A new section is shown to everyone unless staff narrow it (it limits the questions under it).
SECTION_AUDIENCES = tuple(value for value in Audience.values if value != Audience.STAFF)
#: Question fields a spec may set (besides label/help_text, which set the English text).
SPEC_FIELDS = (
    "key",
    "kind",
    "order",
    "labels",
    "help_texts",
    "required",
    "choices",
    "max_words",
    "max_chars",
    "max_file_mb",
    "allowed_upload_types",
    "currency",
    "max_rows",
    "audiences",
    "condition",
)


# --- Checks -----------------------------------------------------------------------------------


def _name(question: Question) -> str:
    return in_language(question.labels) or question.key


def _check_key(question: Question, siblings: Sequence[Question], errors: dict[str, list[str]]) -> None:
    try:
        Question._meta.get_field("key").run_validators(question.key)
    except ValidationError as exc:
        errors["key"] += exc.messages
        return
    if any(other.key == question.key and other.pk != question.pk for other in siblings):
        message = (
            _("Another column of this group already uses the key “%(key)s”.")
            if question.parent_id
            else _("Another question in this form already uses the key “%(key)s”.")
        )
        errors["key"].append(message % {"key": question.key})


def _check_kind(question: Question, group: Question | None, siblings: Sequence[Question], errors: dict) -> None:
    if group is None:
        return
    if question.kind not in COLUMN_KINDS:
        errors["kind"].append(
            _("A column of a repeating group cannot be of the kind “%(kind)s”.")
            % {"kind": QuestionKind(question.kind).label}
        )
    if question.kind == QuestionKind.MONEY:
        if not group.currency:
            errors["kind"].append(_("Give the group a currency before adding an amount column."))
        if any(other.kind == QuestionKind.MONEY and other.pk != question.pk for other in siblings):
            errors["kind"].append(_("A group has at most one amount column (its total)."))


def _check_choices(question: Question, errors: dict[str, list[str]]) -> None:
    if question.kind not in CHOICE_KINDS:
        return
    values = [value for value, _label in question.choice_pairs]
    if not values:
        errors["choices_en"].append(_("A choice question needs at least one choice."))
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        errors["choices_en"].append(
            _("Each choice needs its own value; “%(value)s” is used more than once.") % {"value": repeated[0]}
        )


def _check_currency(question: Question, columns: Sequence[Question], errors: dict[str, list[str]]) -> None:
    if question.currency and question.currency not in CURRENCIES:
        errors["currency"].append(
            _("“%(code)s” is not an ISO 4217 currency code (for example USD, EUR, NGN).") % {"code": question.currency}
        )
    needs_currency = (question.kind == QuestionKind.MONEY and question.parent_id is None) or (
        question.kind == QuestionKind.GROUP and any(column.kind == QuestionKind.MONEY for column in columns)
    )
    if needs_currency and not question.currency:
        errors["currency"].append(_("Amounts of money need a currency (an ISO 4217 code such as USD)."))


def _position(question: Question, items: Sequence[Question]) -> int:
    for index, item in enumerate(items):
        if item.pk == question.pk and question.pk is not None:
            return index
    return len(items)  # a new question goes last


def _condition_source(question: Question, items: Sequence[Question], errors: dict[str, list[str]]) -> Question | None:
    """The question a condition looks at, when it exists, is a question, comes earlier and makes
    no loop (else the error, and None)."""
    source_key = (question.condition or {}).get("key", "")
    by_key = {item.key: item for item in items if item.pk != question.pk}
    source = by_key.get(source_key)
    problem = ""
    if question.parent_id:
        problem = _("A column cannot have a condition; give the group one.")
    elif source_key == question.key:
        problem = _("A question cannot depend on itself.")
    elif source is None:
        problem = _("There is no question with the key “%(key)s” in this form.") % {"key": source_key}
    elif source.kind == QuestionKind.SECTION:
        problem = _("A condition must look at a question, not at a section heading.")
    if problem or source is None:
        errors["condition_key"].append(problem)
        return None
    seen = {source.key}
    step: Question | None = source
    while step is not None and (step.condition or {}).get("key"):
        next_key = step.condition["key"]
        if next_key == question.key:
            errors["condition_key"].append(
                _("This would make a loop: “%(source)s” already depends on this question.") % {"source": _name(source)}
            )
            return None
        if next_key in seen:
            break
        seen.add(next_key)
        step = by_key.get(next_key)
    if _position(source, items) > _position(question, items):
        errors["condition_key"].append(
            _("“%(source)s” comes after this question; a condition can only look at an earlier question.")
            % {"source": _name(source)}
        )
        return None
    return source


def _check_condition(question: Question, items: Sequence[Question], errors: dict[str, list[str]]) -> None:
    """The "show if" rules: the other question exists, is not a section, comes earlier, makes no
    loop, and the compared values are among its answers."""
    condition = question.condition or {}
    source = _condition_source(question, items, errors) if condition else None
    if source is None:
        return
    op = condition.get("op", "")
    if op not in ConditionOp.values:
        errors["condition_op"].append(_("Choose how to compare the answer."))
        return
    if source.kind in ANSWERED_ONLY_SOURCE_KINDS and op != ConditionOp.ANSWERED:
        errors["condition_op"].append(
            _("For “%(source)s”, a condition can only test whether it is answered.") % {"source": _name(source)}
        )
        return
    values = condition_values(condition)
    if op != ConditionOp.ANSWERED and not values:
        errors["condition_values"].append(_("Say which answer (or answers) show this question."))
    allowed = (
        [value for value, _label in source.choice_pairs]
        if source.kind in CHOICE_KINDS
        else ["yes", "no"]
        if source.kind == QuestionKind.YES_NO
        else None
    )
    for value in values:
        if allowed is not None and value not in allowed:
            errors["condition_values"].append(
                _("“%(value)s” is not one of the answers of “%(source)s” (%(allowed)s).")
                % {"value": value, "source": _name(source), "allowed": ", ".join(allowed)}
            )


def question_problems(
    question: Question, *, items: Sequence[Question], group: Question | None, columns: Sequence[Question] = ()
) -> dict[str, list[str]]:
    """What is wrong with a question about to be saved, by builder field. ``items`` are the
    version's top-level items in order (the question among them when it is not new); ``columns``
    the group's columns (for a column) or the question's own (for a group)."""
    errors: dict[str, list[str]] = defaultdict(list)
    if not (question.labels or {}).get("en", "").strip():
        errors["label_en"].append(_("Write the question in English (the other languages fall back to it)."))
    if question.kind not in QuestionKind.values:
        errors["kind"].append(_("Unknown question kind: %(kind)s") % {"kind": question.kind})
        return dict(errors)
    siblings = columns if group is not None else items
    _check_key(question, siblings, errors)
    _check_kind(question, group, siblings, errors)
    _check_choices(question, errors)
    _check_currency(question, columns if group is None else (), errors)
    unknown = sorted(set(question.audiences or ()) - set(Audience.values))
    if group is None and not question.audiences:
        errors["audiences"].append(_("Choose who sees this question (program staff always do)."))
    if unknown:
        errors["audiences"].append(_("Unknown audience: %(audience)s") % {"audience": unknown[0]})
    if question.max_rows is not None and question.max_rows < 1:
        errors["max_rows"].append(_("A group needs room for at least one row."))
    _check_condition(question, items, errors)
    return dict(errors)


def order_problems(items: Sequence[Question]) -> list[str]:
    """Conditions that would look at a later question if the items stood in this order."""
    position = {item.key: index for index, item in enumerate(items)}
    problems = []
    for index, item in enumerate(items):
        source_key = (item.condition or {}).get("key")
        if source_key in position and position[source_key] > index:
            source = items[position[source_key]]
            problems.append(
                _("“%(question)s” shows depending on “%(source)s”, so it must stay below it.")
                % {"question": _name(item), "source": _name(source)}
            )
    return problems


def check_version(version: FormVersion) -> None:
    """Check a whole version as the builder checks each question; raise every problem at once."""
    items = version_items(version)
    problems: list[str] = []
    for item in items:
        columns = list(getattr(item, "column_list", []))
        for errors in [question_problems(item, items=items, group=None, columns=columns)] + [
            question_problems(column, items=items, group=item, columns=columns) for column in columns
        ]:
            problems += [f"{_name(item)}: {message}" for messages in errors.values() for message in messages]
    if problems:
        raise ValidationError(problems, code="bad_form")


# --- Building questions -----------------------------------------------------------------------


def apply_spec(question: Question, spec: Mapping[str, Any]) -> Question:
    """Set a question's fields from a spec (``label``/``help_text`` set the English text)."""
    for name in SPEC_FIELDS:
        if name in spec:
            setattr(question, name, spec[name])
    if "label" in spec:
        question.label = spec["label"]
    if "help_text" in spec:
        question.help_text = spec["help_text"]
    question.labels = {code: text for code, text in (question.labels or {}).items() if text}
    question.help_texts = {code: text for code, text in (question.help_texts or {}).items() if text}
    question.currency = (question.currency or "").strip().upper()
    if question.kind == QuestionKind.SECTION:
        question.required = False
        if "audiences" not in spec and question.pk is None:
            question.audiences = list(SECTION_AUDIENCES)  # a heading limits no one unless told
    return question


def new_question(
    *, version: FormVersion, spec: Mapping[str, Any], taken: Iterable[str], parent: Question | None = None
) -> Question:
    """Save one question from a spec, with a key made from its English text when it has none
    (checked as a model; the whole version is checked by ``check_version``)."""
    question = apply_spec(Question(version=version, parent=parent), spec)
    if question.kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Unknown question kind: %(kind)s") % {"kind": question.kind}})
    question.key = question.key or make_key(question.labels.get("en", ""), taken)
    question.full_clean()
    question.save()
    return question


def _siblings(version: FormVersion, parent: Question | None) -> list[Question]:
    return list(Question.objects.filter(version=version, parent=parent).order_by("order", "id"))


def _next_order(siblings: Sequence[Question]) -> int:
    return max((item.order for item in siblings), default=-1) + 1


# --- Versions ---------------------------------------------------------------------------------


def _copy_items(old: FormVersion, new: FormVersion) -> dict[int, int]:
    """Copy every item of ``old`` into ``new``; returns old pk → new pk."""
    mapping: dict[int, int] = {}
    groups: dict[int, Question] = {}
    items = Question.objects.filter(version=old)
    # Groups before their columns (a plain order_by on parent_id puts NULLs last on PostgreSQL).
    for item in [*items.filter(parent__isnull=True).order_by("order", "id"), *items.filter(parent__isnull=False)]:
        old_pk, old_parent = item.pk, item.parent_id
        item.pk = None
        item.id = None
        item._state.adding = True
        item.version = new
        item.parent = groups[old_parent] if old_parent else None
        item.save()
        mapping[old_pk] = item.pk
        if old_parent is None:
            groups[old_pk] = item
    return mapping


def _move_drafts(form: FormDefinition, old: FormVersion, new: FormVersion, mapping: Mapping[int, int]) -> int:
    """Pin submitted responses to the version they answered; move drafts to the new one."""
    ResponseSet.objects.filter(form=form, version__isnull=True, submitted_at__isnull=False).update(version=old)
    drafts = list(
        ResponseSet.objects.filter(form=form, submitted_at__isnull=True)
        .filter(Q(version=old) | Q(version__isnull=True))
        .values_list("pk", flat=True)
    )
    if drafts:
        for old_pk, new_pk in mapping.items():
            Answer.objects.filter(response_set__in=drafts, question_id=old_pk).update(question_id=new_pk)
        ResponseSet.objects.filter(pk__in=drafts).update(version=new)
    return len(drafts)


@transaction.atomic
def editable_version(*, form: FormDefinition, actor: Any) -> FormVersion:
    """The version staff edits go to: the current one while no response to it was submitted,
    else a new copy (which becomes current; drafts move to it)."""
    FormDefinition.objects.select_for_update().filter(pk=form.pk).first()
    version = current_version(form)
    if version is None:
        return FormVersion.objects.create(form=form, number=1, created_by=_user(actor))
    if not version_is_locked(version):
        return version
    new = FormVersion.objects.create(form=form, number=version.number + 1, created_by=_user(actor))
    mapping = _copy_items(version, new)
    moved = _move_drafts(form, version, new, mapping)
    record_audit(actor=actor, action="programs.form.new_version", target=form, version=new.number, drafts_moved=moved)
    return new


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _stale() -> ValidationError:
    return ValidationError(
        _("The form has changed since you opened this page (a new version was made). Please open it again."),
        code="stale",
    )


def _in_version(question: Question, version: FormVersion, was_current: FormVersion) -> Question:
    """The same question (by key) in ``version``, which may be a fresh copy of ``was_current``."""
    if question.version_id == version.pk:
        return question
    if question.version_id != was_current.pk:
        raise _stale()
    match = Question.objects.filter(version=version, key=question.key)
    if question.parent_id:
        match = match.filter(parent__key=question.parent.key if question.parent else "")
    else:
        match = match.filter(parent__isnull=True)
    found = match.first()
    if found is None:
        raise _stale()
    return found


def _current(form: FormDefinition) -> FormVersion:
    version = current_version(form)
    if version is None:
        raise _stale()
    return version


# --- Builder services -------------------------------------------------------------------------


@transaction.atomic
def create_form(*, name: str, description: str = "", actor: Any) -> FormDefinition:
    """A new, empty form (version 1)."""
    form = FormDefinition(name=name.strip(), description=description.strip())
    form.full_clean()
    form.save()
    FormVersion.objects.create(form=form, number=1, created_by=_user(actor))
    record_audit(actor=actor, action="programs.form.create", target=form)
    return form


@transaction.atomic
def update_form(*, form: FormDefinition, name: str, description: str, actor: Any) -> FormDefinition:
    """Rename a form or change its description (not versioned: they are not questions)."""
    form.name, form.description = name.strip(), description.strip()
    form.full_clean()
    form.save(update_fields=["name", "description"])
    record_audit(actor=actor, action="programs.form.update", target=form)
    return form


def _key_has_submitted_answers(form: FormDefinition, key: str) -> bool:
    return Answer.objects.filter(
        question_key=key, response_set__form=form, response_set__submitted_at__isnull=False
    ).exists()


@transaction.atomic
def save_question(
    *,
    form: FormDefinition,
    spec: Mapping[str, Any],
    actor: Any,
    question: Question | None = None,
    parent: Question | None = None,
) -> Question:
    """Add a question (or a column to the group ``parent``), or change ``question``. Raises
    ValidationError by builder field (``key``, ``label_en``, ``choices_en``, ``condition_key`` …)
    and changes nothing when the question is not right."""
    was_current = _current(form)
    for given in (question, parent):
        if given is not None and given.version_id != was_current.pk:
            raise _stale()
    version = editable_version(form=form, actor=actor)
    target = _in_version(question, version, was_current) if question else None
    group = _in_version(parent, version, was_current) if parent else (target.parent if target else None)
    items = version_items(version)
    siblings = _siblings(version, group)
    original_key = target.key if target else ""
    candidate = apply_spec(
        target or Question(version=version, parent=group, order=_next_order(siblings)),
        {key: value for key, value in spec.items() if key != "order"},
    )
    if not candidate.key:
        candidate.key = make_key(candidate.labels.get("en", ""), (s.key for s in siblings if s.pk != candidate.pk))
    own_columns = _siblings(version, candidate) if candidate.pk and group is None else []
    if group is None and candidate.pk is not None:
        items = [candidate if item.pk == candidate.pk else item for item in items]
    errors = question_problems(
        candidate, items=items, group=group, columns=siblings if group is not None else own_columns
    )
    if target is not None and own_columns and candidate.kind != QuestionKind.GROUP:
        errors.setdefault("kind", []).append(_("Delete the group's columns before changing its kind."))
    renamed = bool(original_key) and original_key != candidate.key
    if renamed and _key_has_submitted_answers(form, group.key if group else original_key):
        errors.setdefault("key", []).append(
            _("Submitted answers are stored under “%(key)s”, so this key can no longer change.") % {"key": original_key}
        )
    if errors:
        raise ValidationError(errors)
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    candidate.save()
    if renamed and group is None:
        for dependent in Question.objects.filter(version=version, parent__isnull=True, condition__key=original_key):
            dependent.condition = {**dependent.condition, "key": candidate.key}
            dependent.save(update_fields=["condition"])
    record_audit(
        actor=actor,
        action="programs.question.save" if target else "programs.question.add",
        target=form,
        key=candidate.key,
        version=version.number,
    )
    return candidate


@transaction.atomic
def move_question(*, question: Question, direction: str, actor: Any) -> Question:
    """Move a question (or a column) one place up or down. Refused when a condition would then
    look at a later question."""
    form = question.version.form
    was_current = _current(form)
    if question.version_id != was_current.pk:
        raise _stale()
    version = editable_version(form=form, actor=actor)
    target = _in_version(question, version, was_current)
    siblings = _siblings(version, target.parent)
    index = next(i for i, item in enumerate(siblings) if item.pk == target.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(siblings):
        return target
    other = siblings[other_index]
    reordered = list(siblings)
    reordered[index], reordered[other_index] = other, target
    problems = order_problems(reordered) if target.parent_id is None else []
    if problems:
        raise ValidationError(problems, code="order")
    target_order, other_order = target.order, other.order
    parked = (Question.objects.filter(version=version).aggregate(top=Max("order"))["top"] or 0) + 1
    Question.objects.filter(pk=target.pk).update(order=parked)
    Question.objects.filter(pk=other.pk).update(order=target_order)
    Question.objects.filter(pk=target.pk).update(order=other_order)
    target.order = other_order
    record_audit(actor=actor, action="programs.question.move", target=form, key=target.key, direction=direction)
    return target


@transaction.atomic
def delete_question(*, question: Question, actor: Any) -> FormVersion:
    """Delete a question (a group with its columns). Answers already given keep their text.
    Refused while another question's condition looks at it."""
    form = question.version.form
    was_current = _current(form)
    if question.version_id != was_current.pk:
        raise _stale()
    if question.parent_id is None:
        dependents = [
            item
            for item in version_items(was_current)
            if (item.condition or {}).get("key") == question.key and item.pk != question.pk
        ]
        if dependents:
            raise ValidationError(
                _("“%(question)s” shows depending on this question; change or remove that condition first.")
                % {"question": _name(dependents[0])},
                code="has_dependents",
            )
    version = editable_version(form=form, actor=actor)
    target = _in_version(question, version, was_current)
    target.delete()
    record_audit(actor=actor, action="programs.question.delete", target=form, key=question.key, version=version.number)
    return version
