"""Reads for awards and grants: permission-scoped, prefetched, and fetch-or-deny helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from oncoreach.awards import permissions
from oncoreach.awards.enums import (
    INTERVIEW_STAGE_KIND,
    BenefitKind,
    BenefitStatus,
    BookingStatus,
    OfferStatus,
    TrancheStatus,
)
from oncoreach.awards.models import (
    ApplicationTrack,
    Award,
    Benefit,
    Grant,
    GrantReport,
    InterviewBooking,
    Interviewer,
    InterviewSlot,
    Offer,
    Track,
    Tranche,
)
from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.models import Application, Call
from oncoreach.people.models import Person
from oncoreach.programs.models import Cycle, Program
from oncoreach.volunteers.enums import VolunteerRole
from oncoreach.volunteers.models import VolunteerProfile

# --- Interviews --------------------------------------------------------------------------------


def track_names_for(application_ids: Collection[int]) -> dict[int, str]:
    """Application id → its track's name, for the shortlist's balance (one query)."""
    return dict(
        ApplicationTrack.objects.filter(application_id__in=list(application_ids)).values_list(
            "application_id", "track__name"
        )
    )


def slots_for_call(*, call: Call, interviewer: Any = None) -> QuerySet[InterviewSlot]:
    """Every slot of a call that is not withdrawn (one interviewer's only, when given), with its
    live booking (if any) annotated."""
    slots = InterviewSlot.objects.filter(call=call, is_withdrawn=False)
    if interviewer is not None:
        slots = slots.filter(interviewer=interviewer)
    return (
        slots.select_related("interviewer__user")
        .annotate(live_bookings=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)))
        .order_by("starts_at", "id")
    )


def open_slots(*, call: Call, now: dt.datetime | None = None) -> QuerySet[InterviewSlot]:
    now = now or timezone.now()
    return slots_for_call(call=call).filter(starts_at__gt=now).exclude(bookings__status=BookingStatus.BOOKED)


def live_booking(*, application: Application) -> InterviewBooking | None:
    return (
        InterviewBooking.objects.filter(application=application, status=BookingStatus.BOOKED)
        .select_related("slot__interviewer__user", "slot__call")
        .first()
    )


def bookings_for_call(*, call: Call) -> QuerySet[InterviewBooking]:
    return (
        InterviewBooking.objects.filter(slot__call=call, status=BookingStatus.BOOKED)
        .select_related("slot__interviewer", "application__applicant")
        .order_by("slot__starts_at", "id")
    )


def bookings_due_reminder(*, now: dt.datetime, hours: int) -> QuerySet[InterviewBooking]:
    """Live bookings starting within ``hours`` that have not been reminded yet."""
    return InterviewBooking.objects.filter(
        status=BookingStatus.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(hours=hours),
    ).select_related("slot__interviewer__user", "slot__call", "application__applicant__user")


def get_call_for_interviews(*, user: Any, slug: str) -> Call:
    call = Call.objects.select_related("cycle__program").filter(slug=slug).first()
    if call is None:
        raise Http404
    if not permissions.can_offer_slots(user, call):
        raise PermissionDenied
    return call


def get_slot_for_change(*, user: Any, pk: int) -> InterviewSlot:
    slot = InterviewSlot.objects.select_related("call", "interviewer").filter(pk=pk).first()
    if slot is None:
        raise Http404
    if not permissions.can_change_slot(user, slot):
        raise PermissionDenied
    return slot


def get_own_application(*, user: Any, pk: int) -> Application:
    """The applicant's own application; anyone else gets a 404 (its existence is not revealed)."""
    application = Application.objects.select_related("call", "applicant__user").filter(pk=pk).first()
    if application is None or not permissions.is_applicant(user, application):
        raise Http404
    return application


# --- Decisions and offers ----------------------------------------------------------------------


def get_call_for_decisions(*, user: Any, slug: str) -> Call:
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    call = Call.objects.select_related("cycle__program").filter(slug=slug).first()
    if call is None:
        raise Http404
    return call


def decision_candidates(*, call: Call) -> QuerySet[Application]:
    """Shortlisted (or interviewed) applications of a call with their offer, for the table."""
    return (
        Application.objects.filter(
            Q(status__in=["shortlisted", "interview", "accepted", "declined"])
            | Q(status="under_review", current_stage__kind=INTERVIEW_STAGE_KIND),
            call=call,
        )
        .select_related("applicant__user", "award_offer", "award_track__track", "current_stage")
        .order_by("applicant__family_name", "applicant__given_name", "id")
    )


def next_on_wait_list(*, call: Call) -> Offer | None:
    return (
        Offer.objects.select_for_update(of=("self",))
        .filter(application__call=call, status=OfferStatus.WAITLISTED)
        .order_by("wait_rank", "id")
        .first()
    )


def offers_past_deadline(*, now: dt.datetime) -> QuerySet[Offer]:
    return Offer.objects.filter(status=OfferStatus.OFFERED, respond_by__lt=now).select_related("application__call")


def own_offers(*, user: Any) -> QuerySet[Offer]:
    person = getattr(user, "person", None)
    if person is None:
        return Offer.objects.none()
    return Offer.objects.filter(application__applicant=person).select_related("application__call")


def get_own_offer(*, user: Any, pk: int) -> Offer:
    offer = Offer.objects.select_related("application__call", "application__applicant").filter(pk=pk).first()
    if offer is None or not permissions.is_applicant(user, offer.application):
        raise Http404
    return offer


# --- Directory ---------------------------------------------------------------------------------


def directory_entries(*, year: int | None = None, program: str = "", country: str = "", q: str = "") -> QuerySet[Award]:
    """Listed awardees (they accepted and agreed to be listed), newest first."""
    awards = Award.objects.filter(listed=True).select_related("person", "program", "institution", "country", "track")
    if year:
        awards = awards.filter(year=year)
    if program:
        awards = awards.filter(program__slug=program)
    if country:
        awards = awards.filter(country__iso2=country.upper()[:2])
    if q:
        awards = awards.filter(
            Q(person__family_name__icontains=q) | Q(person__given_name__icontains=q) | Q(project_title__icontains=q)
        )
    return awards.order_by("-year", "person__family_name", "person__given_name", "id")


def pathways(*, person_ids: list[int]) -> dict[int, list[str]]:
    """Each person's listed awards in time order as program short names (IDEA → LIFe → IIG)."""
    steps: dict[int, list[str]] = {}
    rows = (
        Award.objects.filter(person_id__in=person_ids, listed=True)
        .order_by("year", "id")
        .values_list("person_id", "program__short_name", "program__name", "year")
    )
    for person_id, short, name, year in rows:
        steps.setdefault(person_id, []).append(f"{short or name} {year}")
    return steps


# --- Grants ------------------------------------------------------------------------------------


def grants_for_staff(*, user: Any) -> QuerySet[Grant]:
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    return (
        Grant.objects.select_related("organization__country", "program", "lead")
        .annotate(
            budget_total=Sum("budget_lines__amount"),
        )
        .order_by("-year", "organization__name", "id")
    )


def get_grant(*, user: Any, pk: int) -> Grant:
    grant = Grant.objects.select_related("organization__country", "program", "lead__user").filter(pk=pk).first()
    if grant is None:
        raise Http404
    if not permissions.can_view_grant(user, grant):
        raise PermissionDenied
    return grant


def get_grant_for_staff(*, user: Any, pk: int) -> Grant:
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    return get_grant(user=user, pk=pk)


def budget_total(*, grant: Grant) -> Decimal:
    return grant.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def overdue_reports(*, today: dt.date) -> QuerySet[GrantReport]:
    return (
        GrantReport.objects.filter(received_at__isnull=True, due_date__lt=today)
        .select_related("grant__organization", "grant__lead")
        .order_by("due_date", "id")
    )


def reports_due_reminder(*, today: dt.date, days: int) -> QuerySet[GrantReport]:
    return GrantReport.objects.filter(
        received_at__isnull=True,
        reminder_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + dt.timedelta(days=days),
    ).select_related("grant__lead__user", "grant__organization")


def ledger(*, year: int | None = None) -> QuerySet[Tranche]:
    """Every tranche not cancelled, by organization, for the ledger and the finance CSV."""
    tranches = Tranche.objects.exclude(status=TrancheStatus.CANCELLED).select_related(
        "grant__organization__country", "grant__program"
    )
    if year:
        tranches = tranches.filter(due_date__year=year)
    return tranches.order_by("grant__organization__name", "due_date", "id")


def interviewers_for_call(*, call: Call) -> QuerySet[Any]:
    from oncoreach.people.models import Person

    return Person.objects.filter(pk__in=Interviewer.objects.filter(call=call).values("person_id")).order_by(
        "family_name", "given_name"
    )


def calls_interviewed_by(*, person: Any, now: dt.datetime) -> QuerySet[Call]:
    """The calls whose interview panel has ``person``, with their coming booked interviews."""
    coming = Q(
        interview_slots__interviewer=person,
        interview_slots__starts_at__gt=now,
        interview_slots__bookings__status=BookingStatus.BOOKED,
    )
    return (
        Call.objects.filter(award_interviewers__person=person)
        .annotate(coming_interviews=Count("interview_slots__bookings", filter=coming, distinct=True))
        .annotate(closes=Max("stages__closes_at"))
        .order_by("-closes", "id")
    )


def slot_in_call(*, call: Call, pk: Any) -> InterviewSlot | None:
    """An offered slot of this call, or None when the id is missing, malformed or another call's."""
    try:
        return InterviewSlot.objects.filter(pk=int(pk), call=call).first()
    except (TypeError, ValueError):
        return None


def booking_with_parties(*, pk: int) -> InterviewBooking | None:
    return (
        InterviewBooking.objects.select_related("slot__call", "slot__interviewer", "application").filter(pk=pk).first()
    )


def offer_for_link(*, pk: int | None) -> Offer | None:
    """The offer an e-mailed link names (the link itself is checked by the caller)."""
    if pk is None:
        return None
    return Offer.objects.select_related("application__call", "application__applicant").filter(pk=pk).first()


def get_tranche_for_staff(*, user: Any, pk: int) -> Tranche:
    """A tranche, to staff allowed to see its grant (404 otherwise)."""
    tranche = Tranche.objects.select_related("grant").filter(pk=pk).first()
    if tranche is None:
        raise Http404
    get_grant_for_staff(user=user, pk=tranche.grant_id)
    return tranche


def get_report(*, user: Any, pk: int) -> GrantReport:
    """A report of a grant the user may see (staff, or the grant's project lead)."""
    report = GrantReport.objects.select_related("grant").filter(pk=pk).first()
    if report is None:
        raise Http404
    if not permissions.can_view_grant(user, report.grant):
        raise PermissionDenied
    return report


def grants_led_by(*, user: Any) -> QuerySet[Grant]:
    """The grants whose project lead is this user's person, newest first."""
    return Grant.objects.filter(lead__user=user).select_related("organization", "program").order_by("-year", "id")


def get_report_for_staff(*, user: Any, pk: int) -> GrantReport:
    report = GrantReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    get_grant_for_staff(user=user, pk=report.grant_id)
    return report


def directory_programs() -> list[Program]:
    """Programs with at least one listed awardee, for the directory's filter."""
    return list(Program.objects.filter(awards__listed=True).distinct().order_by("name"))


# --- Awardees' benefits: Annual Meeting travel and mentors ---------------------------------------

#: How many awardees one mentor takes in one cycle.
MENTEES_PER_MENTOR = 2


def get_cycle_for_staff(*, user: Any, pk: int) -> Cycle:
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    return get_object_or_404(Cycle.objects.select_related("program"), pk=pk)


def get_track_for_staff(*, user: Any, pk: int) -> Track:
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    return get_object_or_404(Track.objects.select_related("cycle__program"), pk=pk)


def tracks_for_cycle(*, cycle: Cycle) -> QuerySet[Track]:
    return Track.objects.filter(cycle=cycle).order_by("code")


def rubric_variants_for_call(call: Any) -> list[tuple[str, str]]:
    """The rubric variants a call offers (``calls.rubric_variants``): its cycle's tracks, by code."""
    if not getattr(call, "cycle_id", None):
        return []
    return [(track.code, track.name) for track in Track.objects.filter(cycle_id=call.cycle_id).order_by("code")]


def meeting_travel_benefits(*, cycle: Cycle) -> QuerySet[Benefit]:
    """The cycle's Annual Meeting travel benefits, with the awardee and the trip if arranged."""
    return (
        Benefit.objects.filter(award__cycle=cycle, kind=BenefitKind.MEETING_TRAVEL)
        .exclude(status=BenefitStatus.CANCELLED)
        .select_related("award__person__country_of_practice", "award__track", "trip__country")
        .order_by("award__person__family_name", "award__person__given_name", "id")
    )


def own_awards(*, user: Any) -> QuerySet[Award]:
    """The signed-in person's awards with their benefits (trip and mentor)."""
    if not user.is_authenticated:
        return Award.objects.none()
    benefits = Benefit.objects.select_related("trip__country", "mentor").order_by("kind", "id")
    return (
        Award.objects.filter(person__user=user)
        .select_related("program", "track")
        .prefetch_related(Prefetch("benefits", queryset=benefits))
        .order_by("-year", "id")
    )


def mentees_of(*, person: Any) -> QuerySet[Benefit]:
    """The awardees a person mentors (confirmed pairs), newest first."""
    return (
        Benefit.objects.filter(kind=BenefitKind.MENTOR, status=BenefitStatus.GRANTED, mentor=person)
        .select_related("award__person", "award__program", "award__track")
        .order_by("-award__year", "id")
    )


def mentor_benefits_to_pair(*, track: Track) -> QuerySet[Benefit]:
    """The track's awardees still waiting for a mentor."""
    return (
        Benefit.objects.filter(award__track=track, kind=BenefitKind.MENTOR, status=BenefitStatus.PLANNED)
        .select_related("award__person__volunteer_profile", "award__application")
        .order_by("award__person__family_name", "award__person__given_name", "id")
    )


def mentor_pairs_confirmed(*, track: Track) -> QuerySet[Benefit]:
    return (
        Benefit.objects.filter(award__track=track, kind=BenefitKind.MENTOR, status=BenefitStatus.GRANTED)
        .select_related("award__person", "mentor")
        .order_by("award__person__family_name", "id")
    )


def mentor_pool(*, track: Track) -> list[VolunteerProfile]:
    """The track's own mentor pool (active volunteer profiles of the people named on the track),
    or, when the track names nobody, every active volunteer who offers to mentor."""
    profiles = VolunteerProfile.objects.filter(is_active=True).select_related("person")
    pool_ids = list(track.mentors.values_list("pk", flat=True))
    if pool_ids:
        profiles = profiles.filter(person_id__in=pool_ids)
    else:
        profiles = profiles.filter(roles__icontains=f'"{VolunteerRole.MENTOR.value}"')
    return list(profiles.order_by("person__family_name", "person__given_name", "id"))


def mentor_loads(*, cycle: Cycle) -> dict[int, int]:
    """How many awardees of the cycle each mentor already has (confirmed pairs)."""
    rows = (
        Benefit.objects.filter(award__cycle=cycle, kind=BenefitKind.MENTOR, status=BenefitStatus.GRANTED)
        .values("mentor")
        .annotate(n=Count("id"))
        .order_by("mentor")
    )
    return {row["mentor"]: row["n"] for row in rows if row["mentor"] is not None}


def mentor_pair_blocks(*, benefits: list[Benefit], mentors: list[Person]) -> dict[tuple[int, int], str]:
    """The one place for the hard rules of a mentor–awardee pair: (benefit id, mentor person id)
    → reason code. The same person, no language in common, and every conflict of interest calls
    finds between the awardee's application and the mentor (``calls.conflicts.conflict_index``)."""
    blocks: dict[tuple[int, int], str] = {}
    by_application: dict[int, list[Benefit]] = {}
    for benefit in benefits:
        awardee = benefit.award.person
        for mentor in mentors:
            if mentor.pk == awardee.pk:
                blocks[(benefit.pk, mentor.pk)] = "self"
            elif not set(awardee.languages or []) & set(mentor.languages or []):
                blocks[(benefit.pk, mentor.pk)] = "no_shared_language"
        if benefit.award.application_id is not None:
            by_application.setdefault(benefit.award.application_id, []).append(benefit)
    calls = Call.objects.filter(applications__in=list(by_application)).distinct()
    mentor_ids = {mentor.pk for mentor in mentors}
    for call in calls:
        index = conflict_index(call=call, reviewer_ids=mentor_ids, application_ids=list(by_application))
        for conflict in sorted(index, key=lambda c: (c.application_id, c.reviewer_id, c.code)):
            for benefit in by_application.get(conflict.application_id, []):
                blocks.setdefault((benefit.pk, conflict.reviewer_id), conflict.code)
    return blocks
