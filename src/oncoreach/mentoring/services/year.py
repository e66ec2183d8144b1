"""The mentorship year, written by the pair: the mentee's plan (goals and dated milestones), the
mentor's comments on it, and the meetings log either side adds to. Callers have checked who may
write (``selectors_year.YearAccess``); these functions check the facts and audit each write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.mentoring.enums import MAX_MILESTONES, MentorshipStatus
from oncoreach.mentoring.models import MeetingLog, MentoringPlan, Mentorship, PlanComment, PlanMilestone
from oncoreach.people.models import Person

LIVE = (MentorshipStatus.PENDING, MentorshipStatus.ACTIVE)


def _check_live(mentorship: Mentorship) -> None:
    if mentorship.status not in LIVE:
        raise ValidationError(
            _("This mentorship has ended (%(status)s); it can no longer change.")
            % {"status": mentorship.get_status_display()},
            code="ended",
        )


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _day(value: dt.date) -> str:
    return str(formats.date_format(value, "DATE_FORMAT"))


@transaction.atomic
def save_plan(
    *, mentorship: Mentorship, goals: str, milestones: Sequence[tuple[dt.date, str]], actor: Any
) -> MentoringPlan:
    """Write the mentee's plan: goals and milestones (replacing the previous ones), every
    milestone dated within the term."""
    _check_live(mentorship)
    goals = goals.strip()
    if not goals:
        raise _field_error("goals", _("Write at least one goal for the year."), "no_goals")
    if len(milestones) > MAX_MILESTONES:
        message = _("A plan has at most %(n)s milestones.") % {"n": MAX_MILESTONES}
        raise _field_error("milestones", message, "too_many")
    for due_on, title in milestones:
        if not mentorship.starts_on <= due_on <= mentorship.ends_on:
            message = _("The date of “%(title)s” (%(date)s) is outside the mentoring term, %(start)s to %(end)s.") % {
                "title": title,
                "date": _day(due_on),
                "start": _day(mentorship.starts_on),
                "end": _day(mentorship.ends_on),
            }
            raise _field_error("milestones", message, "outside_term")
    plan, created = MentoringPlan.objects.update_or_create(mentorship=mentorship, defaults={"goals": goals})
    plan.milestones.all().delete()
    PlanMilestone.objects.bulk_create(
        PlanMilestone(plan=plan, due_on=due_on, title=title.strip()[:200]) for due_on, title in milestones
    )
    record_audit(
        actor=actor,
        action="mentoring.plan.create" if created else "mentoring.plan.update",
        target=mentorship,
        milestones=len(milestones),
    )
    return plan


@transaction.atomic
def comment_on_plan(*, mentorship: Mentorship, author: Person, body: str, actor: Any) -> PlanComment:
    """The mentor's comment on the mentee's plan, kept with its author and time."""
    _check_live(mentorship)
    body = body.strip()
    if not body:
        raise _field_error("body", _("Write a comment first."), "empty")
    plan = MentoringPlan.objects.filter(mentorship=mentorship).first()
    if plan is None:
        raise ValidationError(_("The mentee has not written a plan yet; comment once there is one."), code="no_plan")
    comment = PlanComment.objects.create(plan=plan, author=author, body=body)
    record_audit(actor=actor, action="mentoring.plan.comment", target=mentorship, comment=comment.pk)
    return comment


@transaction.atomic
def log_meeting(
    *,
    mentorship: Mentorship,
    person: Person,
    held_on: dt.date,
    minutes: int,
    topic: str,
    notes: str = "",
    actor: Any,
    today: dt.date | None = None,
) -> MeetingLog:
    """A meeting the pair held: not in the future, not before they were paired."""
    _check_live(mentorship)
    today = today or timezone.localdate()
    if held_on > today:
        message = _("A meeting on %(date)s has not happened yet: log meetings once they are held.") % {
            "date": _day(held_on)
        }
        raise _field_error("held_on", message, "future")
    paired_on = timezone.localdate(mentorship.created_at) if mentorship.created_at else mentorship.starts_on
    if held_on < min(paired_on, mentorship.starts_on):
        message = _("You were paired on %(date)s; log only meetings held since then.") % {"date": _day(paired_on)}
        raise _field_error("held_on", message, "before_pairing")
    meeting = MeetingLog.objects.create(
        mentorship=mentorship,
        held_on=held_on,
        minutes=minutes,
        topic=topic.strip()[:200],
        notes=notes.strip(),
        logged_by=person,
    )
    record_audit(actor=actor, action="mentoring.meeting.log", target=mentorship, meeting=meeting.pk)
    return meeting
