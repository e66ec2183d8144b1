import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oncoreach.core.models import AuditEvent
from oncoreach.volunteers.fit_words import parts_in_words
from oncoreach.workshops import matching_adapter, selectors, services
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
    proposal = matching_adapter.propose_team(courses=[course], actor=coordinator)
    assert [(inv.slot, inv.person, inv.status) for inv in proposal.proposed] == [(slot, best.person, "proposed")]
    invitation = proposal.proposed[0]
    # The engine's weights: expertise 0.48 and languages 0.2; a first visit, no raised hand.
    assert invitation.fit == pytest.approx(0.68)
    assert [part["component"] for part in invitation.explanation] == [
        "expertise",
        "language",
        "continuity",
        "volunteered",
    ]
    assert [part["text"] for part in parts_in_words(invitation.explanation)] == [
        "Knows breast cancer (1 of 1 topics the slot asks for).",
        "Teaches in English and Spanish.",
        "Would be a first visit to this host.",
        "Did not volunteer for this slot.",
    ]
    assert sum(part["points"] for part in parts_in_words(invitation.explanation)) == pytest.approx(invitation.fit)
    assert [report.reason for report in proposal.unfilled] == ["no_eligible_volunteer"]
    assert proposal.optimal is True
    assert AuditEvent.objects.get(action="workshops.team_proposed").data["proposed"] == 1


def test_propose_team_keeps_hand_adjusted_slots(coordinator):
    course = CourseFactory()
    slot = FacultySlotFactory(course=course)
    chosen = FacultyInvitationFactory(slot=slot, person=_faculty("Chosen").person)
    _faculty("Other")
    proposal = matching_adapter.propose_team(courses=[course], actor=coordinator)
    assert proposal.proposed == []
    assert list(FacultyInvitation.objects.all()) == [chosen]


def test_propose_team_refuses_closed_courses(coordinator):
    with pytest.raises(ValidationError) as exc:
        matching_adapter.propose_team(courses=[CourseFactory(status="closed")], actor=coordinator)
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
    assert parts_in_words(suggestions[0].explanation)[2]["text"] == "Has taught at this host before."
    assert suggestions[0].fit > suggestions[1].fit


def test_a_volunteer_who_raised_a_hand_weighs_in_and_is_told_why(coordinator):
    course = CourseFactory(languages=["en"])
    slot = FacultySlotFactory(course=course, required_expertise=["breast", "cervix", "lung"])
    _faculty("Expert", expertise=("breast", "cervix"))
    keen = _faculty("Keen", expertise=("breast",))
    services.express_interest(slot=slot, person=keen.person, actor=None)
    proposal = matching_adapter.propose_team(courses=[course], actor=coordinator)
    (invitation,) = proposal.proposed
    assert invitation.person == keen.person
    assert parts_in_words(invitation.explanation)[3]["text"] == "Volunteered for this slot."


def test_no_language_warning_when_the_team_already_speaks_it(coordinator):
    course = CourseFactory(languages=["fr"])
    FacultyInvitationFactory(
        slot__course=course, person=_faculty("Francophone", languages=("fr",)).person, status="accepted"
    )
    FacultySlotFactory(course=course)
    _faculty("Anglophone", languages=("en",))
    proposal = matching_adapter.propose_team(courses=[course], actor=coordinator)
    assert [inv.person.family_name for inv in proposal.proposed] == ["Anglophone"]
    assert proposal.uncovered_languages == []
    assert selectors.team_language_gaps(course=course) == []


def test_a_language_nobody_on_the_team_speaks_is_one_team_level_note(coordinator):
    course = CourseFactory(languages=["fr"])
    FacultySlotFactory(course=course)
    FacultySlotFactory(course=course)
    _faculty("One", languages=("en",))
    _faculty("Two", languages=("en",))
    outcome = matching_adapter.proposal_outcome(matching_adapter.propose_team(courses=[course], actor=coordinator))
    assert len(outcome["pairs"]) == 2
    assert outcome["notes"] == [{"code": "language_uncovered", "params": {"course": course.title, "language": "fr"}}]
    assert selectors.team_language_gaps(course=course) == ["fr"]


def test_a_slot_taken_by_hand_while_the_engine_ran_is_left_alone(coordinator):
    course = CourseFactory()
    slot = FacultySlotFactory(course=course)
    _faculty("Engine pick")
    staffing = matching_adapter.build_staffing_problem(courses=[course])
    result = matching_adapter.solve(staffing)
    by_hand = FacultyInvitationFactory(slot=slot, person=_faculty("By hand").person)
    proposal = matching_adapter.apply_result(staffing=staffing, result=result, actor=coordinator)
    assert (proposal.proposed, proposal.skipped) == ([], [(slot, "taken_meanwhile")])
    assert list(FacultyInvitation.objects.all()) == [by_hand]
