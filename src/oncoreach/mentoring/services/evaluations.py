"""End of term: a mentorship whose term is over is completed (through ``transition_mentorship``),
both sides are asked for an evaluation (the programs form engine, stable question keys), the
mentor's hours are credited to their volunteer record, and both are invited to write a story.

``end_terms`` is the periodic step (``end_mentoring_terms``); every part of it is idempotent: only
active mentorships are completed, an evaluation exists once per side (a database constraint), the
hours are logged once per mentorship (``volunteers.log_activity`` with ``related``) and each e-mail
is queued once per event key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.mentoring.enums import EVALUATION_DAYS, GoalsMet, MentorshipStatus, Side
from oncoreach.mentoring.models import Mentorship
from oncoreach.mentoring.models_term import Evaluation
from oncoreach.mentoring.services.consent import transition_mentorship
from oncoreach.people.models import Person
from oncoreach.programs.forms_engine import (
    create_form_definition,
    freeze_response_set,
    questions_for,
    save_answers,
)
from oncoreach.programs.models import FormDefinition, ResponseSet
from oncoreach.volunteers.enums import ActivityKind
from oncoreach.volunteers.models import ActivityLog
from oncoreach.volunteers.services import log_activity

EVALUATION_FORM = "Mentorship evaluation"
RATING = [[str(n), str(n)] for n in range(1, 6)]
#: The evaluation form's questions by their stable keys (the figures read ``usefulness`` and ``goals_met``).
EVALUATION_QUESTIONS: list[Mapping[str, Any]] = [
    {
        "key": "usefulness",
        "kind": "single_choice",
        "choices": RATING,
        "labels": {
            "en": "How useful was this mentorship? (1 = not at all, 5 = very)",
            "es": "¿Qué tan útil fue esta mentoría? (1 = nada, 5 = mucho)",
            "fr": "Ce mentorat vous a-t-il été utile ? (1 = pas du tout, 5 = très)",
            "pt": "Quão útil foi esta mentoria? (1 = nada, 5 = muito)",
            "ar": "ما مدى فائدة هذا الإرشاد؟ (1 = لا فائدة، 5 = مفيد جدًا)",
        },
    },
    {
        "key": "goals_met",
        "kind": "single_choice",
        "choices": [
            [GoalsMet.YES, {"en": "Yes", "es": "Sí", "fr": "Oui", "pt": "Sim", "ar": "نعم"}],
            [GoalsMet.PARTLY, {"en": "Partly", "es": "En parte", "fr": "En partie", "pt": "Em parte", "ar": "جزئيًا"}],
            [GoalsMet.NO, {"en": "No", "es": "No", "fr": "Non", "pt": "Não", "ar": "لا"}],
        ],
        "labels": {
            "en": "Were the mentee's goals met?",
            "es": "¿Se cumplieron los objetivos de la persona mentorizada?",
            "fr": "Les objectifs du mentoré ont-ils été atteints ?",
            "pt": "Os objetivos do mentorado foram alcançados?",
            "ar": "هل تحققت أهداف المتدرّب؟",
        },
    },
    {
        "key": "contact",
        "kind": "single_choice",
        "choices": RATING,
        "labels": {
            "en": "How well did staying in touch work? (1 = poorly, 5 = very well)",
            "es": "¿Qué tan bien funcionó el contacto? (1 = mal, 5 = muy bien)",
            "fr": "Le contact a-t-il bien fonctionné ? (1 = mal, 5 = très bien)",
            "pt": "Quão bem funcionou o contato? (1 = mal, 5 = muito bem)",
            "ar": "ما مدى نجاح التواصل بينكما؟ (1 = ضعيف، 5 = جيد جدًا)",
        },
    },
    {
        "key": "comments",
        "kind": "long_text",
        "required": False,
        "max_words": 400,
        "labels": {
            "en": "What went well, and what would you change?",
            "es": "¿Qué salió bien y qué cambiaría?",
            "fr": "Qu'est-ce qui a bien fonctionné, et que changeriez-vous ?",
            "pt": "O que correu bem e o que mudaria?",
            "ar": "ما الذي نجح، وما الذي كنت ستغيّره؟",
        },
    },
]


def evaluation_form() -> FormDefinition:
    """The evaluation form (made once; staff may reword it in the form builder, keys stay)."""
    existing = FormDefinition.objects.filter(name=EVALUATION_FORM).first()
    return existing or create_form_definition(name=EVALUATION_FORM, questions=EVALUATION_QUESTIONS)


def _language(person: Person) -> str:
    user = person.user
    return (getattr(user, "preferred_language", "") if user is not None else "") or "en"


def mentoring_hours(mentorship: Mentorship) -> Decimal:
    """Hours credited to the mentor for a completed mentorship: the cycle's minimum contact a
    month times the months of the term."""
    cycle = mentorship.cycle
    return (Decimal(cycle.min_contact_hours_per_month) * cycle.term_months).quantize(Decimal("0.1"))


def story_url(mentorship: Mentorship, person: Person) -> str:
    """The story-writing page with the mentorship's program chosen."""
    url = absolute_reverse("stories:write", language=_language(person))
    return f"{url}?program={mentorship.cycle.cycle.program_id}"


def credit_mentor_hours(*, mentorship: Mentorship, actor: Any) -> ActivityLog:
    """The mentoring hours on the mentor's volunteer record, once per mentorship."""
    if mentorship.status != MentorshipStatus.COMPLETED:
        raise ValidationError(_("Hours are credited once the mentorship is completed."), code="not_completed")
    return log_activity(
        person=mentorship.mentor,
        actor=actor,
        kind=ActivityKind.MENTORING,
        date=mentorship.ends_on,
        hours=mentoring_hours(mentorship),
        description=_("Mentoring: %(cycle)s") % {"cycle": mentorship.cycle},
        related=mentorship,
    )


def _notify_term_ended(mentorship: Mentorship, evaluation: Evaluation) -> None:
    person = evaluation.person
    if not person.email:
        return
    other = mentorship.mentee if evaluation.side == Side.MENTOR else mentorship.mentor
    language = _language(person)
    urls = {
        "evaluation_url": absolute_reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk}, language=language),
        "story_url": story_url(mentorship, person),
        "certificate_url": absolute_reverse("mentoring:certificate", kwargs={"pk": mentorship.pk}, language=language)
        if evaluation.side == Side.MENTOR
        else "",
    }
    queue_email(
        event_key=f"mentoring:mentorship:{mentorship.pk}:ended:{evaluation.side}",
        to=person.email,
        template="mentoring/email/term_ended",
        context={"person": person, "other": other, "evaluation": evaluation, "mentorship": mentorship, **urls},
        language=language,
    )


def request_evaluations(*, mentorship: Mentorship, now: dt.datetime | None = None) -> list[Evaluation]:
    """One evaluation per side (made once), each with its e-mail (queued once)."""
    now = now or timezone.now()
    evaluations = []
    for side, person in ((Side.MENTEE, mentorship.mentee), (Side.MENTOR, mentorship.mentor)):
        evaluation, _created = Evaluation.objects.get_or_create(
            mentorship=mentorship,
            side=side,
            defaults={"person": person, "due_by": now + dt.timedelta(days=EVALUATION_DAYS)},
        )
        _notify_term_ended(mentorship, evaluation)
        evaluations.append(evaluation)
    return evaluations


@transaction.atomic
def complete_mentorship(*, mentorship: Mentorship, actor: Any, now: dt.datetime | None = None) -> Mentorship:
    """An active mentorship's term is over: completed, evaluations asked, the mentor's hours credited."""
    mentorship = transition_mentorship(mentorship=mentorship, to=MentorshipStatus.COMPLETED, actor=actor)
    mentorship = Mentorship.objects.select_related("cycle__cycle", "mentee__user", "mentor__user").get(pk=mentorship.pk)
    request_evaluations(mentorship=mentorship, now=now)
    credit_mentor_hours(mentorship=mentorship, actor=actor)
    return mentorship


def end_terms(*, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Complete every active mentorship whose term ended before ``today`` (each in its own
    transaction). Running it again changes nothing. Returns how many were completed."""
    today = today or timezone.localdate()
    due = list(
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE, ends_on__lt=today).values_list("pk", flat=True)
    )
    done = 0
    for pk in due:
        try:
            complete_mentorship(mentorship=Mentorship.objects.get(pk=pk), actor=None, now=now)
        except ValidationError:
            continue  # another run (or staff) moved it meanwhile: the transition refused, nothing written
        done += 1
    return done


def _closed(evaluation: Evaluation, now: dt.datetime) -> ValidationError | None:
    if evaluation.frozen_at is not None or now > evaluation.due_by:
        when = formats.date_format(timezone.localtime(evaluation.due_by), "DATE_FORMAT")
        return ValidationError(
            _("Evaluations closed on %(date)s; yours can no longer be changed.") % {"date": when}, code="closed"
        )
    return None


@transaction.atomic
def save_evaluation(
    *, evaluation: Evaluation, values: Mapping[str, Any], actor: Any, now: dt.datetime | None = None
) -> Evaluation:
    """Store (or change) one side's evaluation while it is open; ``values`` by field name, from a
    complete form of ``evaluation_form()``."""
    now = now or timezone.now()
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    refusal = _closed(evaluation, now)
    if refusal is not None:
        raise refusal
    form = evaluation_form()
    if evaluation.response_set is None:
        evaluation.response_set = ResponseSet.objects.create(form=form, respondent=evaluation.person)
    save_answers(response_set=evaluation.response_set, values=values)
    by_key = {question.key: question.field_name for question in questions_for(form)}
    usefulness = str(values.get(by_key.get("usefulness", ""), ""))
    goals_met = str(values.get(by_key.get("goals_met", ""), ""))
    evaluation.usefulness = int(usefulness) if usefulness in {"1", "2", "3", "4", "5"} else None
    evaluation.goals_met = goals_met if goals_met in GoalsMet.values else ""
    evaluation.submitted_at = evaluation.submitted_at or now
    evaluation.save(update_fields=["response_set", "usefulness", "goals_met", "submitted_at"])
    ResponseSet.objects.filter(pk=evaluation.response_set.pk).update(submitted_at=evaluation.submitted_at)
    record_audit(actor=actor, action="mentoring.evaluation.saved", target=evaluation, side=evaluation.side)
    return evaluation


@transaction.atomic
def extend_evaluation(*, evaluation: Evaluation, due_by: dt.datetime, actor: Any) -> Evaluation:
    """Give one side more time for an evaluation that is not frozen yet (a late answer staff
    agreed to); a frozen evaluation stays as it was kept."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.frozen_at is not None:
        raise ValidationError(_("This evaluation is already closed and kept as it was."), code="frozen")
    previous = evaluation.due_by
    evaluation.due_by = due_by
    evaluation.save(update_fields=["due_by"])
    record_audit(
        actor=actor,
        action="mentoring.evaluation.extended",
        target=evaluation,
        previous=previous.isoformat(),
        due_by=due_by.isoformat(),
    )
    return evaluation


def freeze_due_evaluations(*, now: dt.datetime | None = None) -> int:
    """Evaluations past their deadline are frozen (answers snapshotted, never changed again)."""
    now = now or timezone.now()
    due = list(Evaluation.objects.filter(frozen_at__isnull=True, due_by__lt=now).values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            evaluation = Evaluation.objects.select_for_update(of=("self",)).select_related("response_set").get(pk=pk)
            if evaluation.frozen_at is not None:
                continue
            if evaluation.response_set is not None and evaluation.response_set.frozen_at is None:
                freeze_response_set(response_set=evaluation.response_set, now=now)
            evaluation.frozen_at = now
            evaluation.save(update_fields=["frozen_at"])
            record_audit(actor=None, action="mentoring.evaluation.frozen", target=evaluation)
    return len(due)
