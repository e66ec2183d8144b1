"""Reads for the mentorship year: who may see a mentorship (the pair and staff), its plan and
meetings, the planner's rows in both zones, check-in links, and staff's at-risk list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from oncoreach.mentoring.enums import (
    AT_RISK_NO_MEETING_DAYS,
    CheckInAnswer,
    CheckInState,
    MentorshipStatus,
    RiskReason,
    Side,
)
from oncoreach.mentoring.models import CheckIn, MeetingLog, MentoringCycle, MentoringPlan, Mentorship
from oncoreach.mentoring.permissions import is_mentoring_staff
from oncoreach.mentoring.tokens import CheckInLink, read_checkin_token

STAFF = "staff"
LIVE = (MentorshipStatus.PENDING, MentorshipStatus.ACTIVE)


@dataclass(frozen=True)
class YearAccess:
    """A mentorship and the reader's place in it: ``mentee``, ``mentor`` or ``staff``."""

    mentorship: Mentorship
    side: str

    @property
    def live(self) -> bool:
        return self.mentorship.status in LIVE

    @property
    def can_edit_plan(self) -> bool:
        return self.live and self.side == Side.MENTEE

    @property
    def can_comment(self) -> bool:
        return self.live and self.side == Side.MENTOR

    @property
    def can_log(self) -> bool:
        return self.live and self.side in (Side.MENTEE, Side.MENTOR)

    @property
    def can_end(self) -> bool:
        return self.live and self.side == STAFF


def get_mentorship_for(*, user: Any, pk: int) -> YearAccess:
    """The mentorship for one of its two people or staff; 404 for anyone else."""
    mentorship = get_object_or_404(
        Mentorship.objects.select_related(
            "mentee__user", "mentor__user", "cycle__cycle__program", "match__request", "match__offer", "match__round"
        ),
        pk=pk,
    )
    if user.is_authenticated and mentorship.mentee.user_id == user.pk:
        return YearAccess(mentorship, Side.MENTEE)
    if user.is_authenticated and mentorship.mentor.user_id == user.pk:
        return YearAccess(mentorship, Side.MENTOR)
    if is_mentoring_staff(user):
        return YearAccess(mentorship, STAFF)
    raise Http404


def plan_of(mentorship: Mentorship) -> MentoringPlan | None:
    return (
        MentoringPlan.objects.filter(mentorship=mentorship).prefetch_related("milestones", "comments__author").first()
    )


def checkins_for(access: YearAccess) -> list[CheckIn]:
    """The mentorship's check-ins with answers and comments, newest month first: for staff only
    (the page tells both sides that only the program team reads them)."""
    if access.side != STAFF:
        return []
    return list(CheckIn.objects.filter(mentorship=access.mentorship).order_by("-month", "side"))


def meetings_of(mentorship: Mentorship) -> QuerySet[MeetingLog]:
    return MeetingLog.objects.filter(mentorship=mentorship).select_related("logged_by")


@dataclass(frozen=True)
class PlannerSlot:
    start: dt.datetime  # UTC
    end: dt.datetime
    mentee_start: dt.datetime  # the same moments on each side's clock
    mentee_end: dt.datetime
    mentor_start: dt.datetime
    mentor_end: dt.datetime
    key: str  # the start as the .ics link names it


def slot_key(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%MZ")


def parse_slot_key(value: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value, "%Y%m%dT%H%MZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def planner_rows(
    mentorship: Mentorship, weeks: list[tuple[dt.date, list[tuple[dt.datetime, dt.datetime]]]], *, now: dt.datetime
) -> list[tuple[dt.date, list[PlannerSlot]]]:
    """The planner's weeks with each shared stretch still ahead, on both sides' clocks."""
    mentee_zone = ZoneInfo(mentorship.match.request.time_zone)
    mentor_zone = ZoneInfo(mentorship.match.offer.time_zone)
    rows = []
    for monday, slots in weeks:
        shown = [
            PlannerSlot(
                start,
                end,
                start.astimezone(mentee_zone),
                end.astimezone(mentee_zone),
                start.astimezone(mentor_zone),
                end.astimezone(mentor_zone),
                slot_key(start),
            )
            for start, end in slots
            if start > now
        ]
        rows.append((monday, shown))
    return rows


# --- Check-in links -------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInLookup:
    checkin: CheckIn | None
    answer: str
    usable: bool
    reason: str  # "", "invalid", "expired", "ended"


def checkin_for_link(token: str) -> CheckInLookup:
    """The check-in and answer a link names, usable while the link is valid (its signature,
    CHECKIN_LINK_DAYS) and the mentorship live: the link then records or changes only its own
    check-in, whoever holds it."""
    link = read_checkin_token(token)
    if not isinstance(link, CheckInLink):
        return CheckInLookup(None, "", False, link)
    checkin = (
        CheckIn.objects.select_related("mentorship__mentee", "mentorship__mentor").filter(pk=link.checkin_pk).first()
    )
    if checkin is None:
        return CheckInLookup(None, "", False, "invalid")
    if checkin.mentorship.status not in LIVE:
        return CheckInLookup(checkin, link.answer, False, "ended")
    return CheckInLookup(checkin, link.answer, True, "")


# --- Staff: at risk -------------------------------------------------------------------------


@dataclass(frozen=True)
class AtRiskRow:
    mentorship: Mentorship
    last_meeting: dt.date | None
    latest_answer: str
    reasons: list[str]  # RiskReason values


def settled_checkins(*, now: dt.datetime) -> Q:
    """Check-in answers we take as the person's: confirmed with a button, or recorded by one
    click that no different click followed within the click window (a mail scanner opens every
    answer link at once; that makes the check-in unconfirmed, which never counts). A click still
    inside its window does not count yet, so a scanner's first click never flags or clears a
    mentorship even for a moment."""
    window = dt.timedelta(seconds=settings.MENTORING_CHECKIN_CLICK_WINDOW_SECONDS)
    return Q(state=CheckInState.CONFIRMED) | Q(state=CheckInState.CLICKED, answered_at__lte=now - window)


def at_risk(
    *, today: dt.date, cycle_id: int | None = None, reason: str = "", now: dt.datetime | None = None
) -> list[AtRiskRow]:
    """Active mentorships with no meeting logged in six weeks (counted from the start when none
    was), or whose latest settled check-in answer (``settled_checkins``; the newest month, either
    side, the later answer first) says "not going well". One query."""
    cutoff = today - dt.timedelta(days=AT_RISK_NO_MEETING_DAYS)
    latest = (
        CheckIn.objects.filter(settled_checkins(now=now or timezone.now()), mentorship=OuterRef("pk"))
        .order_by("-month", "-answered_at", "-pk")
        .values("answer")[:1]
    )
    qs = (
        Mentorship.objects.filter(status=MentorshipStatus.ACTIVE)
        .annotate(last_meeting=Max("meetings__held_on"), latest_answer=Subquery(latest))
        .annotate(since=Coalesce(F("last_meeting"), F("starts_on")))
    )
    silent = Q(since__lt=cutoff)
    unhappy = Q(latest_answer=CheckInAnswer.NOT_GOING_WELL)
    if reason == RiskReason.NO_MEETING:
        qs = qs.filter(silent)
    elif reason == RiskReason.NOT_GOING_WELL:
        qs = qs.filter(unhappy)
    else:
        qs = qs.filter(silent | unhappy)
    if cycle_id:
        qs = qs.filter(cycle_id=cycle_id)
    qs = qs.select_related("mentee", "mentor", "cycle__cycle__program").order_by("since", "pk")
    rows = []
    for mentorship in qs:
        reasons = []
        since = mentorship.last_meeting or mentorship.starts_on  # type: ignore[attr-defined]
        if since < cutoff:
            reasons.append(RiskReason.NO_MEETING.value)
        if mentorship.latest_answer == CheckInAnswer.NOT_GOING_WELL:  # type: ignore[attr-defined]
            reasons.append(RiskReason.NOT_GOING_WELL.value)
        rows.append(
            AtRiskRow(
                mentorship,
                mentorship.last_meeting,  # type: ignore[attr-defined]
                mentorship.latest_answer or "",  # type: ignore[attr-defined]
                reasons,
            )
        )
    return rows


def risk_cycles() -> list[tuple[int, str]]:
    """Cycles with active mentorships, for the at-risk filter."""
    return [
        (c.pk, str(c))
        for c in MentoringCycle.objects.filter(mentorships__status=MentorshipStatus.ACTIVE)
        .select_related("cycle__program")
        .distinct()
        .order_by("-pk")
    ]
