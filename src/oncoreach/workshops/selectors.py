"""Reads for courses, faculty and travel; every list is prefetched so views cannot cause N+1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from oncoreach.people.models import Person
from oncoreach.travel.models import Trip
from oncoreach.volunteers.models import VolunteerProfile
from oncoreach.volunteers.selectors import person_for_user, profile_for_person
from oncoreach.workshops.enums import (
    COMMITTED_STATUSES,
    FILLING_STATUSES,
    LIVE_REGISTRATION_STATUSES,
    LIVE_STATUSES,
    PUBLIC_COURSE_STATUSES,
    ROLES_FOR_SPECIALTY,
    SEAT_TAKING_STATUSES,
    CourseStatus,
    InvitationStatus,
)
from oncoreach.workshops.models import (
    Course,
    FacultyInterest,
    FacultyInvitation,
    FacultySlot,
    Registration,
    Session,
)
from oncoreach.workshops.permissions import can_manage_courses, can_view_travel, is_invitee

# --- Courses ------------------------------------------------------------------------------------


def with_seats_taken(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.annotate(
        seats_taken_count=Count(
            "registrations", filter=Q(registrations__status__in=SEAT_TAKING_STATUSES), distinct=True
        )
    )


def _course_list(courses: QuerySet[Course]) -> QuerySet[Course]:
    return with_seats_taken(
        courses.select_related("template", "country", "host_organization", "program").prefetch_related("co_hosts")
    )


@dataclass(frozen=True)
class CourseFilters:
    country: str = ""  # ISO3
    region: str = ""
    course_type: str = ""
    language: str = ""
    year: int | None = None

    def is_empty(self) -> bool:
        return not (self.country or self.region or self.course_type or self.language or self.year)


def public_courses(*, filters: CourseFilters | None = None) -> QuerySet[Course]:
    """Courses the public may see (not planning, not cancelled), narrowed by the catalogue filters."""
    courses = Course.objects.filter(status__in=PUBLIC_COURSE_STATUSES)
    if filters is not None:
        if filters.country:
            courses = courses.filter(country__iso3=filters.country)
        if filters.region:
            courses = courses.filter(country__region=filters.region)
        if filters.course_type:
            courses = courses.filter(template__course_type=filters.course_type)
        if filters.language:
            # JSON text match works on SQLite and PostgreSQL alike (codes are quoted in the list).
            courses = courses.filter(languages__icontains=f'"{filters.language}"')
        if filters.year:
            courses = courses.filter(start_date__year=filters.year)
    return _course_list(courses)


def upcoming_courses(*, today: dt.date, filters: CourseFilters | None = None) -> QuerySet[Course]:
    return public_courses(filters=filters).filter(end_date__gte=today).order_by("start_date", "title", "id")


def past_courses(*, today: dt.date, filters: CourseFilters | None = None) -> QuerySet[Course]:
    return public_courses(filters=filters).filter(end_date__lt=today).order_by("-start_date", "title", "id")


def catalogue_countries() -> list[Any]:
    """Countries that have at least one public course, for the catalogue's filter."""
    from oncoreach.geo.models import Country

    return list(Country.objects.filter(courses__status__in=PUBLIC_COURSE_STATUSES).distinct().order_by("name"))


def catalogue_years() -> list[int]:
    return sorted(
        {day.year for day in Course.objects.filter(status__in=PUBLIC_COURSE_STATUSES).dates("start_date", "year")},
        reverse=True,
    )


def _filled_invitations() -> Prefetch[Any]:
    return Prefetch(
        "invitations",
        queryset=FacultyInvitation.objects.filter(status__in=FILLING_STATUSES).select_related("person"),
        to_attr="filling_invitations",
    )


def get_public_course_or_404(*, slug: str, user: Any = None) -> Course:
    """Fetch-or-deny: a public course, or a cancelled one (its page says so rather than vanish
    under people who registered or linked to it); staff may also preview a course in planning."""
    statuses = set(PUBLIC_COURSE_STATUSES) | {CourseStatus.CANCELLED}
    if user is not None and can_manage_courses(user):
        statuses |= {CourseStatus.PLANNING}
    return get_object_or_404(
        _course_list(Course.objects.filter(status__in=statuses).select_related("intake_call")).prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("module")
                .prefetch_related("faculty")
                .order_by("day", "start_time", "id"),
            ),
            Prefetch(
                "slots", queryset=FacultySlot.objects.prefetch_related(_filled_invitations()).order_by("role", "id")
            ),
        ),
        slug=slug,
    )


@dataclass(frozen=True)
class AgendaItem:
    session: Session
    module_note: str  # the module's name when it says more than the title, else ""


def agenda(*, sessions: Iterable[Session]) -> list[tuple[dt.date, list[AgendaItem]]]:
    """Sessions by day, in order; a session named after its module shows the name once."""
    days: dict[dt.date, list[AgendaItem]] = {}
    for session in sorted(sessions, key=lambda s: (s.day, s.start_time, s.pk)):
        module = session.module.name if session.module is not None else ""
        note = module if module and module.strip().casefold() != session.title.strip().casefold() else ""
        days.setdefault(session.day, []).append(AgendaItem(session=session, module_note=note))
    return list(days.items())


def sessions_for_staffing(*, course: Course) -> QuerySet[Session]:
    return Session.objects.filter(course=course).select_related("module").order_by("day", "start_time", "id")


def faculty_for_course(*, course: Course) -> list[tuple[Person, str]]:
    """Visiting faculty who accepted, and local or visiting session faculty, each once with a role."""
    seen: dict[int, tuple[Person, str]] = {}
    for slot in course.slots.all():
        for invitation in getattr(slot, "filling_invitations", []):
            seen.setdefault(invitation.person.pk, (invitation.person, str(slot.get_role_display())))
    for session in course.sessions.all():
        for person in session.faculty.all():
            seen.setdefault(person.pk, (person, ""))
    return sorted(seen.values(), key=lambda pair: (pair[0].family_name, pair[0].given_name, pair[0].pk))


# --- Staff --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationImpact:
    """Who a cancellation touches, for the staff confirmation step."""

    registrations: int
    invitations: int
    registration_open: bool


def cancellation_impact(*, course: Course) -> CancellationImpact:
    """What cancelling ``course`` would do: live registrations and volunteers already invited
    (they are told), and whether registration is open (it closes)."""
    return CancellationImpact(
        registrations=Registration.objects.filter(course=course, status__in=LIVE_REGISTRATION_STATUSES).count(),
        invitations=FacultyInvitation.objects.filter(
            slot__course=course, status__in=LIVE_STATUSES - {InvitationStatus.PROPOSED}
        ).count(),
        registration_open=course.intake_call is not None and course.intake_call.is_open(),
    )


def team_language_gaps(*, course: Course) -> list[str]:
    """The course's languages nobody on its live faculty team speaks yet: a check on the team,
    never on each person (one French speaker covers French for everyone)."""
    spoken: set[str] = set()
    for languages in FacultyInvitation.objects.filter(slot__course=course, status__in=LIVE_STATUSES).values_list(
        "person__languages", flat=True
    ):
        spoken.update(languages or [])
    return [code for code in course.languages if code not in spoken]


def require_course_staff(*, user: Any) -> None:
    if not can_manage_courses(user):
        raise PermissionDenied


def courses_for_staff(*, user: Any, year: int | None = None) -> QuerySet[Course]:
    require_course_staff(user=user)
    courses = Course.objects.all()
    if year:
        courses = courses.filter(start_date__year=year)
    return (
        _course_list(courses)
        .annotate(
            slot_count=Count("slots", distinct=True),
            filled_count=Count("slots", filter=Q(slots__invitations__status__in=FILLING_STATUSES), distinct=True),
        )
        .order_by("start_date", "title", "id")
    )


def get_course_for_staff(*, user: Any, slug: str) -> Course:
    require_course_staff(user=user)
    return get_object_or_404(_course_list(Course.objects.all()), slug=slug)


def slots_for_staffing(*, course: Course) -> QuerySet[FacultySlot]:
    return (
        FacultySlot.objects.filter(course=course)
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=FacultyInvitation.objects.select_related("person").order_by("created_at", "id"),
            ),
            Prefetch(
                "interests", queryset=FacultyInterest.objects.select_related("person").order_by("created_at", "id")
            ),
        )
        .order_by("role", "id")
    )


def get_slot_for_staff(*, user: Any, pk: int) -> FacultySlot:
    require_course_staff(user=user)
    return get_object_or_404(FacultySlot.objects.select_related("course"), pk=pk)


def get_invitation_for_staff(*, user: Any, pk: int) -> FacultyInvitation:
    require_course_staff(user=user)
    return get_object_or_404(_invitations().all(), pk=pk)


def slot_is_filled(*, slot: FacultySlot) -> bool:
    return FacultyInvitation.objects.filter(slot=slot, status__in=FILLING_STATUSES).exists()


def faculty_candidates_for_choice() -> QuerySet[Person]:
    """People staff may propose by hand: anyone with a volunteer profile."""
    return Person.objects.filter(volunteer_profile__isnull=False).order_by("family_name", "given_name", "id")


def faculty_candidate_choices() -> list[tuple[int, str]]:
    return [(person.pk, person.full_name) for person in faculty_candidates_for_choice()]


# --- Volunteers ---------------------------------------------------------------------------------


def _invitations() -> QuerySet[FacultyInvitation]:
    return FacultyInvitation.objects.select_related(
        "person__user", "slot__course__country", "slot__course__template", "slot__course__host_organization"
    )


def invitations_for_person(*, person: Person) -> QuerySet[FacultyInvitation]:
    """A volunteer's own invitations (staff proposals not yet sent are not shown to them)."""
    return (
        _invitations()
        .filter(person=person)
        .exclude(status=InvitationStatus.PROPOSED)
        .select_related("travel__trip")
        .order_by("-slot__course__start_date", "-id")
    )


def teaching_for_user(*, user: Any) -> list[FacultyInvitation]:
    """The signed-in volunteer's courses as faculty (accepted, travel booked, completed), newest first."""
    if not user.is_authenticated:
        return []
    return list(
        _invitations()
        .filter(person__user=user, status__in=sorted(FILLING_STATUSES))
        .select_related("travel__trip")
        .order_by("-slot__course__start_date", "-id")
    )


def previous_visits(*, person: Person) -> QuerySet[FacultyInvitation]:
    """Derived, never stored: the courses a person completed as faculty."""
    return _invitations().filter(person=person, status=InvitationStatus.COMPLETED).order_by("-slot__course__start_date")


def get_invitation_for_volunteer(*, user: Any, pk: int) -> FacultyInvitation:
    """Fetch-or-deny: only the invited volunteer; someone else's invitation is a 404, not a 403."""
    invitation = get_object_or_404(_invitations().exclude(status=InvitationStatus.PROPOSED), pk=pk)
    if not is_invitee(user, invitation):
        raise Http404
    return invitation


def get_invitation_for_travel(*, user: Any, pk: int) -> FacultyInvitation:
    """Fetch-or-deny for the travel page: the traveller or program staff."""
    invitation = get_object_or_404(_invitations().select_related("travel__trip"), pk=pk)
    if not can_view_travel(user, invitation):
        raise Http404
    return invitation


def committed_clash(
    *, person: Person, start: dt.date, end: dt.date, exclude_course: Course | None = None
) -> FacultyInvitation | None:
    """The person's committed invitation on a course overlapping [start, end], if any."""
    clashes = _invitations().filter(
        person=person,
        status__in=COMMITTED_STATUSES,
        slot__course__start_date__lte=end,
        slot__course__end_date__gte=start,
    )
    if exclude_course is not None:
        clashes = clashes.exclude(slot__course=exclude_course)
    return clashes.order_by("slot__course__start_date", "id").first()


def open_slots_for_volunteer(*, profile: VolunteerProfile, today: dt.date) -> QuerySet[FacultySlot]:
    """The "call for faculty": unfilled slots on coming courses that fit the volunteer's role and
    languages and do not clash with a course they already committed to."""
    roles = ROLES_FOR_SPECIALTY.get(profile.specialty, frozenset())
    person = profile.person
    filled = FacultyInvitation.objects.filter(slot=OuterRef("pk"), status__in=FILLING_STATUSES)
    mine = FacultyInvitation.objects.filter(slot=OuterRef("pk"), person=person)
    interested = FacultyInterest.objects.filter(slot=OuterRef("pk"), person=person)
    slots = (
        FacultySlot.objects.filter(
            role__in=sorted(roles),
            course__status__in=[CourseStatus.PLANNING, CourseStatus.OPEN],
            course__start_date__gt=today,
        )
        .exclude(Exists(filled))
        .exclude(Exists(mine))
    )
    languages = [code for code in person.languages if code]
    slots = slots.filter(Q(required_language="") | Q(required_language__in=languages))
    for invitation in _invitations().filter(
        person=person, status__in=COMMITTED_STATUSES, slot__course__end_date__gte=today
    ):
        course = invitation.slot.course
        slots = slots.exclude(course__start_date__lte=course.end_date, course__end_date__gte=course.start_date)
    return (
        slots.select_related("course__country", "course__template")
        .annotate(interested=Exists(interested))
        .order_by("course__start_date", "course__title", "role", "id")
    )


def get_open_slot_for_volunteer(*, user: Any, pk: int, today: dt.date) -> tuple[FacultySlot, Person]:
    """Fetch-or-deny for raising a hand: one of the slots the user's call for faculty shows, and
    the volunteer; 404 for anyone without a volunteer profile or for any other slot."""
    person = person_for_user(user=user)
    profile = profile_for_person(person=person) if person is not None else None
    if profile is None:
        raise Http404
    return get_object_or_404(open_slots_for_volunteer(profile=profile, today=today), pk=pk), profile.person


def invitations_for_person_id(*, person_pk: int) -> QuerySet[FacultyInvitation]:
    """For the signed e-mail link: sent invitations of the person the link was made for."""
    return _invitations().filter(person_id=person_pk).exclude(status=InvitationStatus.PROPOSED)


@dataclass(frozen=True)
class InvitationLink:
    """An e-mailed answer link, judged: ``invitation`` is set unless the link is ``invalid``;
    ``usable`` only while that sending of the invitation still waits for an answer."""

    invitation: FacultyInvitation | None
    usable: bool


def invitation_for_response_link(*, token: str) -> InvitationLink:
    """Fetch-or-deny for the signed link: forged, expired, withdrawn or superseded links are
    invalid; a link whose invitation was already answered is known but no longer usable."""
    from oncoreach.workshops.tokens import read_response_token

    link = read_response_token(token)
    if link is None:
        return InvitationLink(invitation=None, usable=False)
    invitation = invitations_for_person_id(person_pk=link.person_pk).filter(pk=link.invitation_pk).first()
    sent = int(invitation.invited_at.timestamp()) if invitation is not None and invitation.invited_at else None
    if invitation is None or invitation.status == InvitationStatus.WITHDRAWN or sent != link.invited_at:
        return InvitationLink(invitation=None, usable=False)
    return InvitationLink(invitation=invitation, usable=invitation.status == InvitationStatus.INVITED)


def invitation_for_trip(*, trip: Trip) -> FacultyInvitation:
    """The faculty invitation a trip was made for (its course, slot and host prefetched); the
    caller has already checked who may see the trip."""
    return _invitations().select_related("travel__trip").get(travel__trip=trip)


def travel_page_for_trip(trip: Trip) -> str:
    """Where staff manage a faculty trip: the invitation's travel page (travel's trip page links
    here; registered in ``apps.py``)."""
    invitation_pk = FacultyInvitation.objects.values_list("pk", flat=True).get(travel__trip=trip)
    return reverse("workshops:travel-detail", kwargs={"pk": invitation_pk})
