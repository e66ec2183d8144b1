import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oncoreach.core.models import AuditEvent
from oncoreach.workshops import matching_adapter, services
from oncoreach.workshops.models import FacultyInvitation
from tests.factories.people import PersonFactory
from tests.factories.volunteers import VolunteerAvailabilityFactory, VolunteerProfileFactory
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, FacultySlotFactory

pytestmark = [pytest.mark.integration]


def _faculty(name, *, specialty="medical_oncology", languages=("en",), expertise=(), trips=2):
    person = PersonFactory(family_name=name, specialty=specialty, languages=list(languages))
    return VolunteerProfileFactory(
        person=person, specialty=specialty, expertise=list(expertise), max_trips_per_year=trips
    )


def test_free_windows_subtracts_busy_dates():
    windows = [(dt.date(2027, 1, 1), dt.date(2027, 1, 31))]
    busy = [(dt.date(2027, 1, 10), dt.date(2027, 1, 12))]
    assert matching_adapter._free_windows(windows, busy) == (
        (dt.date(2027, 1, 1), dt.date(2027, 1, 9)),
        (dt.date(2027, 1, 13), dt.date(2027, 1, 31)),
    )


def test_free_windows_when_always_busy_fits_nothing():
    windows = [(dt.date(2027, 1, 1), dt.date(2027, 1, 3))]
    assert matching_adapter._free_windows(windows, windows) == ((dt.date.min, dt.date.min),)


def test_build_staffing_problem_skips_pinned_slots_and_counts_trips(db):
    course = CourseFactory(languages=["es"])
    open_slot = FacultySlotFactory(course=course, required_language="es", required_expertise=["breast"])
    pinned = FacultyInvitationFactory(slot__course=course, status="invited")
    busy = _faculty("Busy", trips=1)
    FacultyInvitationFactory(
        person=busy.person,
        status="accepted",
        slot__course__start_date=dt.date(2027, 3, 20),
        slot__course__end_date=dt.date(2027, 3, 22),
    )
    _faculty("Nurse", specialty="oncology_nursing")
    staffing = matching_adapter.build_staffing_problem(courses=[course])
    assert [slot.id for slot in staffing.problem.slots] == [f"s{open_slot.pk}"]
    assert staffing.problem.slots[0].language == "es"
    by_id = {v.id: v for v in staffing.problem.volunteers}
    busy_volunteer = by_id[f"v{busy.person_id}"]
    assert busy_volunteer.max_trips == 0
    assert busy_volunteer.roles == frozenset({"medical_oncologist"})
    assert f"v{pinned.person_id}" not in by_id  # no volunteer profile


def test_propose_team_writes_best_proposals_with_explanations(coordinator):
    course = CourseFactory(languages=["es", "en"])
    slot = FacultySlotFactory(course=course, required_expertise=["breast cancer"])
    FacultySlotFactory(course=course, role="pathologist")
    best = _faculty("Best", languages=("es", "en"), expertise=("breast cancer",))
    _faculty("Second", languages=("en",))
    unavailable = _faculty("Away", languages=("es", "en"), expertise=("breast cancer",))
    VolunteerAvailabilityFactory(profile=unavailable, start=dt.date(2027, 6, 1), end=dt.date(2027, 6, 30))
    proposal = services.propose_team(courses=[course], actor=coordinator)
    assert [(inv.slot, inv.person, inv.status) for inv in proposal.proposed] == [(slot, best.person, "proposed")]
    invitation = proposal.proposed[0]
    assert invitation.fit == pytest.approx(0.85)  # expertise 0.6 + languages 0.25, first visit
    assert [part["component"] for part in invitation.explanation] == ["expertise", "language", "continuity"]
    assert invitation.explanation[0]["text"] == "Knows breast cancer (1 of 1 topics wanted)."
    assert [report.reason for report in proposal.unfilled] == ["no_eligible_volunteer"]
    assert proposal.optimal is True
    assert AuditEvent.objects.get(action="workshops.team_proposed").data["proposed"] == 1


def test_propose_team_keeps_hand_adjusted_slots(coordinator):
    course = CourseFactory()
    slot = FacultySlotFactory(course=course)
    chosen = FacultyInvitationFactory(slot=slot, person=_faculty("Chosen").person)
    _faculty("Other")
    proposal = services.propose_team(courses=[course], actor=coordinator)
    assert proposal.proposed == []
    assert list(FacultyInvitation.objects.all()) == [chosen]


def test_propose_team_refuses_closed_courses(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.propose_team(courses=[CourseFactory(status="closed")], actor=coordinator)
    assert exc.value.code == "no_courses"


def test_suggest_replacements_after_decline_ranks_by_fit_and_skips_decliner(coordinator):
    course = CourseFactory(languages=["es"])
    declined = FacultyInvitationFactory(
        slot__course=course, person=_faculty("Decliner", languages=("es",)).person, status="declined"
    )
    returning = _faculty("Returning", languages=("es",))
    earlier = CourseFactory(
        host_organization=course.host_organization,
        status="closed",
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 3, 3),
    )
    FacultyInvitationFactory(slot__course=earlier, person=returning.person, status="completed")
    newcomer = _faculty("Newcomer", languages=("es",))
    monolingual = _faculty("Monolingual", languages=("fr",))
    suggestions = matching_adapter.suggest_replacements(slot=declined.slot)
    assert [s.profile for s in suggestions] == [returning, newcomer, monolingual]
    assert suggestions[0].explanation[2]["text"] == "Has taught at this host before."
    assert suggestions[0].fit > suggestions[1].fit
