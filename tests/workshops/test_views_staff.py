import datetime as dt

import html5lib
import pytest
from django.urls import reverse

from oncoreach.core.models import BackgroundRun, OutboundEmail
from oncoreach.workshops.models import FacultyInvitation
from tests.factories.people import PersonFactory
from tests.factories.volunteers import VolunteerProfileFactory
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, FacultySlotFactory, RegistrationFactory

pytestmark = [pytest.mark.integration]


def _faculty(name="Faculty", **kwargs):
    return VolunteerProfileFactory(person=PersonFactory(family_name=name, **kwargs))


def test_course_list_shows_season(client, coordinator):
    course = CourseFactory()
    CourseFactory(start_date=dt.date(2025, 1, 1), end_date=dt.date(2025, 1, 2))
    FacultyInvitationFactory(slot__course=course, status="accepted")
    FacultySlotFactory(course=course)
    client.force_login(coordinator)
    response = client.get(reverse("workshops:staff-course-list"), {"year": "2027"})
    assert response.status_code == 200
    assert [(c, c.filled_count, c.slot_count) for c in response.context["courses"]] == [(course, 1, 2)]


@pytest.mark.parametrize("user_fixture", ["outsider", "volunteer", "editor"])
def test_course_list_refuses_non_staff(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("workshops:staff-course-list")).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_course_list_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        FacultySlotFactory(course=CourseFactory(start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3)))
    client.force_login(coordinator)
    with django_assert_num_queries(6):
        response = client.get(reverse("workshops:staff-course-list"))
    assert len(response.context["courses"]) == count


def test_course_staffing_page_shows_slots_and_suggestions(client, coordinator):
    course = CourseFactory()
    declined = FacultyInvitationFactory(slot__course=course, status="declined", decline_reason="Conference")
    suggestion = _faculty("Next")
    client.force_login(coordinator)
    response = client.get(reverse("workshops:staff-course", args=[course.slug]))
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert (row["is_open"], row["invitations"], [s.profile for s in row["suggestions"]]) == (
        True,
        [declined],
        [suggestion],
    )
    assert "Conference" in response.content.decode()
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(response.content)
    assert parser.errors == []


def test_course_staffing_page_refuses_outsider(client, outsider):
    course = CourseFactory()
    client.force_login(outsider)
    assert client.get(reverse("workshops:staff-course", args=[course.slug])).status_code == 403


def test_course_staffing_unknown_slug_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("workshops:staff-course", args=["nope"])).status_code == 404


def test_course_propose_queues_the_engine_and_the_run_page_shows_its_proposals(
    client, coordinator, django_capture_on_commit_callbacks
):
    slot = FacultySlotFactory(required_expertise=["breast"])
    FacultySlotFactory(course=slot.course, role="pathologist")
    profile = _faculty()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshops:staff-course-propose", args=[slot.course.slug]))
    run = BackgroundRun.objects.get()
    assert response["Location"] == reverse("workshops:staff-run", args=[run.pk])
    assert (run.status, run.progress, run.params) == ("succeeded", 100, {"course_ids": [slot.course.pk]})
    assert list(FacultyInvitation.objects.values_list("slot", "person", "status")) == [
        (slot.pk, profile.person_id, "proposed")
    ]
    page = client.get(response["Location"])
    outcome = page.context["outcome"]
    assert [(pair["left"], pair["right"]) for pair in outcome["pairs"]] == [
        (f"Medical oncologist — {slot.course.title}", profile.person.full_name)
    ]
    assert outcome["pairs"][0]["parts"][0]["text"] == "No topic in common with what the slot asks for."
    assert [item["item"] for item in outcome["unmatched"]] == [f"Pathologist — {slot.course.title}"]
    assert outcome["unmatched"][0]["text"].startswith("No volunteer fits: 0 have the role")
    assert page.context["back_url"] == reverse("workshops:staff-course", args=[slot.course.slug])
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page.content)
    assert parser.errors == []


def test_propose_season_queues_the_engine_for_the_year(client, coordinator, django_capture_on_commit_callbacks):
    slot = FacultySlotFactory()
    CourseFactory(status="closed")
    _faculty()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workshops:staff-propose-season"), {"year": "2027"})
    run = BackgroundRun.objects.get()
    assert response["Location"] == reverse("workshops:staff-run", args=[run.pk])
    assert run.return_url == reverse("workshops:staff-course-list") + "?year=2027"
    assert FacultyInvitation.objects.get().slot == slot


def test_a_queued_run_shows_progress_and_refreshes_itself(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    client.post(reverse("workshops:staff-course-propose", args=[course.slug]))  # not committed: stays queued
    run = BackgroundRun.objects.get()
    page = client.get(reverse("workshops:staff-run", args=[run.pk]))
    html = page.content.decode()
    assert (page.context["outcome"], run.status) == (None, "queued")
    assert '<meta http-equiv="refresh" content="5">' in html
    assert 'hx-trigger="every 2s"' in html
    fragment = client.get(reverse("workshops:staff-run", args=[run.pk]), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<section id="run-status"')


def test_a_failed_run_says_so_and_changes_nothing(client, coordinator, django_capture_on_commit_callbacks):
    course = CourseFactory(status="planning")
    FacultySlotFactory(course=course)
    _faculty()
    client.force_login(coordinator)
    response = client.post(reverse("workshops:staff-course-propose", args=[course.slug]))
    course.status = "cancelled"
    course.save()
    run = BackgroundRun.objects.get()
    from oncoreach.core.runs import execute_run

    execute_run(run_id=run.pk)
    page = client.get(response["Location"])
    assert (page.context["run"].status, page.context["run"].message) == (
        "failed",
        "Choose at least one course in planning or open.",
    )
    assert FacultyInvitation.objects.count() == 0


def test_the_staffing_run_page_refuses_outsiders(client, coordinator, outsider):
    course = CourseFactory()
    client.force_login(coordinator)
    client.post(reverse("workshops:staff-course-propose", args=[course.slug]))
    run = BackgroundRun.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("workshops:staff-run", args=[run.pk])).status_code == 403


def test_propose_season_without_courses_shows_error(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("workshops:staff-propose-season"), {"year": "2030"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Choose at least one course in planning or open."]


def test_course_propose_refuses_outsider(client, outsider):
    slot = FacultySlotFactory()
    _faculty()
    client.force_login(outsider)
    assert client.post(reverse("workshops:staff-course-propose", args=[slot.course.slug])).status_code == 403
    assert FacultyInvitation.objects.count() == 0


def test_send_invitations_sends_proposed(client, coordinator):
    invitation = FacultyInvitationFactory(person=_faculty().person)
    client.force_login(coordinator)
    client.post(reverse("workshops:staff-course-send", args=[invitation.slot.course.slug]))
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    assert OutboundEmail.objects.get().to == invitation.person.email


def test_send_invitations_refuses_outsider(client, outsider):
    invitation = FacultyInvitationFactory()
    client.force_login(outsider)
    assert client.post(reverse("workshops:staff-course-send", args=[invitation.slot.course.slug])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "proposed"


def test_slot_propose_by_hand(client, coordinator):
    slot = FacultySlotFactory()
    profile = _faculty()
    client.force_login(coordinator)
    client.post(reverse("workshops:staff-slot-propose", args=[slot.pk]), {"person": profile.person_id})
    assert FacultyInvitation.objects.get().person == profile.person


def test_slot_propose_by_hand_refuses_filled_slot(client, coordinator):
    filled = FacultyInvitationFactory(status="accepted")
    profile = _faculty()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-slot-propose", args=[filled.slot.pk]), {"person": profile.person_id}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["This slot is already filled."]
    assert FacultyInvitation.objects.count() == 1


def test_slot_propose_refuses_outsider(client, outsider):
    slot = FacultySlotFactory()
    profile = _faculty()
    client.force_login(outsider)
    assert (
        client.post(reverse("workshops:staff-slot-propose", args=[slot.pk]), {"person": profile.person_id}).status_code
        == 403
    )


def test_invitation_transition_withdraws(client, coordinator):
    invitation = FacultyInvitationFactory(status="invited")
    client.force_login(coordinator)
    client.post(reverse("workshops:staff-invitation-transition", args=[invitation.pk]), {"to": "withdrawn"})
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"


def test_invitation_transition_refuses_accepting_for_volunteer(client, coordinator):
    invitation = FacultyInvitationFactory(status="invited")
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-invitation-transition", args=[invitation.pk]), {"to": "accepted"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Staff cannot make this change here."]
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_invitation_transition_refuses_outsider(client, outsider):
    invitation = FacultyInvitationFactory(status="invited")
    client.force_login(outsider)
    assert (
        client.post(
            reverse("workshops:staff-invitation-transition", args=[invitation.pk]), {"to": "withdrawn"}
        ).status_code
        == 403
    )


def test_course_transition_opens_course(client, coordinator):
    course = CourseFactory(status="planning")
    client.force_login(coordinator)
    client.post(reverse("workshops:staff-course-transition", args=[course.slug]), {"to": "open"})
    course.refresh_from_db()
    assert course.status == "open"


def test_course_transition_refused_shows_error(client, coordinator):
    course = CourseFactory(status="planning")
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-transition", args=[course.slug]), {"to": "closed"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["A course cannot go from “Planning” to “Closed”."]
    course.refresh_from_db()
    assert course.status == "planning"


def test_course_transition_refuses_outsider(client, outsider):
    course = CourseFactory(status="planning")
    client.force_login(outsider)
    assert (
        client.post(reverse("workshops:staff-course-transition", args=[course.slug]), {"to": "open"}).status_code == 403
    )


def test_course_schedule_saves(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-schedule", args=[course.slug]),
        {"start_date": "2027-04-01", "end_date": "2027-04-02", "capacity": "30"},
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.start_date, course.capacity) == (dt.date(2027, 4, 1), 30)


def test_course_schedule_capacity_below_accepted_shows_field_error(client, coordinator):
    course = CourseFactory(capacity=5)
    RegistrationFactory.create_batch(2, course=course)
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-schedule", args=[course.slug]),
        {"start_date": "2027-03-05", "end_date": "2027-03-07", "capacity": "1"},
    )
    assert response.status_code == 400
    assert response.context["schedule_form"].errors["capacity"] == [
        "2 participants are already accepted; places cannot go below that."
    ]
    course.refresh_from_db()
    assert course.capacity == 5


def test_course_schedule_end_before_start_shows_field_error(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-schedule", args=[course.slug]),
        {"start_date": "2027-03-05", "end_date": "2027-03-01", "capacity": "40"},
    )
    assert response.status_code == 400
    assert response.context["schedule_form"].errors["end_date"] == ["The last day is before the first day."]


def test_course_schedule_refuses_outsider(client, outsider):
    course = CourseFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("workshops:staff-course-schedule", args=[course.slug]),
        {"start_date": "2027-04-01", "end_date": "2027-04-02", "capacity": "30"},
    )
    assert response.status_code == 403


def test_add_slot_from_staff_page(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-add-slot", args=[course.slug]),
        {"role": "pathologist", "required_language": "es", "required_expertise": "Breast, lymphoma"},
    )
    assert response.status_code == 302
    slot = course.slots.get()
    assert (slot.role, slot.required_language, slot.required_expertise) == ("pathologist", "es", ["breast", "lymphoma"])


def test_add_slot_invalid_role_changes_nothing(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(reverse("workshops:staff-course-add-slot", args=[course.slug]), {"role": "astrologer"})
    assert response.status_code == 400
    assert list(response.context["slot_form"].errors) == ["role"]
    assert course.slots.count() == 0


def test_add_slot_refuses_outsider(client, outsider):
    course = CourseFactory()
    client.force_login(outsider)
    assert (
        client.post(reverse("workshops:staff-course-add-slot", args=[course.slug]), {"role": "pathologist"}).status_code
        == 403
    )


def test_add_session_from_staff_page(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-add-session", args=[course.slug]),
        {"day": "2027-03-06", "start_time": "09:00", "end_time": "10:00", "title": "Tumor board"},
    )
    assert response.status_code == 302
    assert [s.title for s in course.sessions.all()] == ["Tumor board"]


def test_add_session_outside_course_dates_shows_field_error(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-course-add-session", args=[course.slug]),
        {"day": "2027-04-06", "start_time": "09:00", "end_time": "10:00", "title": "Late"},
    )
    assert response.status_code == 400
    assert response.context["session_form"].errors["day"] == ["The session must fall within the course dates."]
    assert course.sessions.count() == 0


def test_add_session_refuses_outsider(client, outsider):
    course = CourseFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("workshops:staff-course-add-session", args=[course.slug]),
        {"day": "2027-03-06", "start_time": "09:00", "end_time": "10:00", "title": "x"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_course_staffing_page_query_count(client, coordinator, django_assert_num_queries, count):
    course = CourseFactory()
    for n in range(count):
        FacultySlotFactory(course=course)
        FacultyInvitationFactory(slot=FacultySlotFactory(course=course), status="invited")
        _faculty(f"Volunteer {n}")
    client.force_login(coordinator)
    with django_assert_num_queries(18):
        response = client.get(reverse("workshops:staff-course", args=[course.slug]))
    assert len(response.context["rows"]) == 2 * count


def test_slot_propose_unknown_person_changes_nothing(client, coordinator):
    slot = FacultySlotFactory()
    client.force_login(coordinator)
    response = client.post(reverse("workshops:staff-slot-propose", args=[slot.pk]), {"person": "999999"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Choose a volunteer from the list."]
    assert FacultyInvitation.objects.count() == 0
