import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.volunteers.models import ActivityLog
from oncoreach.workshops import services
from oncoreach.workshops.models import Course, Session
from tests.factories.people import OrganizationFactory
from tests.factories.programs import ProgramFactory
from tests.factories.workshops import (
    CourseFactory,
    CourseTemplateFactory,
    FacultyInvitationFactory,
    FacultySlotFactory,
    RegistrationFactory,
)

pytestmark = [pytest.mark.integration]


def _create(coordinator, **overrides):
    host = OrganizationFactory()
    data = {
        "actor": coordinator,
        "template": CourseTemplateFactory(),
        "program": ProgramFactory(),
        "title": "MCMC Arequipa",
        "host_organization": host,
        "city": "Arequipa",
        "country": host.country,
        "start_date": dt.date(2027, 4, 1),
        "end_date": dt.date(2027, 4, 3),
        "time_zone": "America/Lima",
        "capacity": 60,
        "languages": ["es", "en", "es"],
        "co_hosts": [host, OrganizationFactory()],
    }
    data.update(overrides)
    return services.create_course(**data)


def test_create_course_starts_in_planning(coordinator):
    course = _create(coordinator)
    assert (course.status, course.slug, course.languages) == ("planning", "mcmc-arequipa-2027", ["es", "en"])
    assert course.co_hosts.count() == 1  # the host is never its own co-host
    assert AuditEvent.objects.filter(action="workshops.course_created").count() == 1


def test_create_course_makes_slug_unique(coordinator):
    _create(coordinator)
    assert _create(coordinator).slug == "mcmc-arequipa-2027-2"


def test_create_course_rejects_end_before_start(coordinator):
    with pytest.raises(ValidationError) as exc:
        _create(coordinator, end_date=dt.date(2027, 3, 1))
    assert exc.value.message_dict == {"end_date": ["The last day is before the first day."]}
    assert Course.objects.count() == 0


def test_create_course_rejects_unknown_time_zone(coordinator):
    with pytest.raises(ValidationError) as exc:
        _create(coordinator, time_zone="Mars/Olympus")
    assert list(exc.value.message_dict) == ["time_zone"]
    assert Course.objects.count() == 0


def test_update_course_schedule_saves(coordinator):
    course = CourseFactory()
    services.update_course_schedule(
        course=course, actor=coordinator, start_date=dt.date(2027, 5, 1), end_date=dt.date(2027, 5, 2), capacity=10
    )
    course.refresh_from_db()
    assert (course.start_date, course.end_date, course.capacity) == (dt.date(2027, 5, 1), dt.date(2027, 5, 2), 10)


def test_update_course_schedule_refuses_capacity_below_accepted(coordinator):
    course = CourseFactory(capacity=3)
    RegistrationFactory.create_batch(3, course=course)
    RegistrationFactory(course=course, status="waitlisted")
    with pytest.raises(ValidationError) as exc:
        services.update_course_schedule(
            course=course, actor=coordinator, start_date=course.start_date, end_date=course.end_date, capacity=2
        )
    assert exc.value.message_dict == {"capacity": ["3 participants are already accepted; places cannot go below that."]}
    course.refresh_from_db()
    assert course.capacity == 3


def test_update_course_schedule_refuses_end_before_start(coordinator):
    course = CourseFactory()
    with pytest.raises(ValidationError):
        services.update_course_schedule(
            course=course, actor=coordinator, start_date=dt.date(2027, 5, 2), end_date=dt.date(2027, 5, 1), capacity=5
        )
    course.refresh_from_db()
    assert course.start_date == dt.date(2027, 3, 5)


def test_update_course_schedule_refuses_overlap_for_committed_faculty(coordinator):
    invitation = FacultyInvitationFactory(status="accepted")
    FacultyInvitationFactory(
        person=invitation.person,
        status="accepted",
        slot__course__start_date=dt.date(2027, 6, 1),
        slot__course__end_date=dt.date(2027, 6, 3),
    )
    course = invitation.slot.course
    with pytest.raises(ValidationError) as exc:
        services.update_course_schedule(
            course=course, actor=coordinator, start_date=dt.date(2027, 6, 3), end_date=dt.date(2027, 6, 5), capacity=40
        )
    other = invitation.person.faculty_invitations.exclude(pk=invitation.pk).get().slot.course
    assert exc.value.message_dict == {
        "start_date": [f"{invitation.person} already teaches at {other} on overlapping dates."]
    }
    course.refresh_from_db()
    assert course.start_date == dt.date(2027, 3, 5)


def test_is_full_is_computed_from_capacity(db):
    course = CourseFactory(capacity=2)
    RegistrationFactory(course=course)
    assert course.is_full is False
    RegistrationFactory(course=course, status="attended")
    assert course.is_full is True


@pytest.mark.parametrize(
    ("start", "to"),
    [("planning", "open"), ("planning", "cancelled"), ("open", "cancelled"), ("open", "planning"), ("held", "closed")],
)
def test_transition_course_allowed(coordinator, start, to):
    course = CourseFactory(status=start, start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3))
    services.transition_course(course=course, to=to, actor=coordinator)
    course.refresh_from_db()
    assert course.status == to
    event = AuditEvent.objects.get(action="workshops.course_transition")
    assert event.data == {"old": start, "new": to, "reason": ""}


def test_transition_course_open_to_held_after_first_day(coordinator):
    course = CourseFactory(status="open", start_date=dt.date(2026, 11, 26), end_date=dt.date(2026, 11, 28))
    services.transition_course(course=course, to="held", actor=coordinator)
    course.refresh_from_db()
    assert course.status == "held"


@pytest.mark.parametrize(
    ("start", "to"),
    [("planning", "held"), ("held", "cancelled"), ("closed", "open"), ("cancelled", "open"), ("open", "bogus")],
)
def test_transition_course_refused(coordinator, start, to):
    course = CourseFactory(status=start)
    with pytest.raises(ValidationError) as exc:
        services.transition_course(course=course, to=to, actor=coordinator)
    assert exc.value.code == "course_transition"
    course.refresh_from_db()
    assert course.status == start
    assert AuditEvent.objects.count() == 0


def test_transition_course_refuses_held_before_first_day(coordinator):
    course = CourseFactory(status="open")
    with pytest.raises(ValidationError) as exc:
        services.transition_course(course=course, to="held", actor=coordinator)
    assert exc.value.code == "held_too_early"
    course.refresh_from_db()
    assert course.status == "open"


def test_cancelling_course_withdraws_live_invitations_and_tells_invitees(
    coordinator, django_capture_on_commit_callbacks
):
    slot = FacultySlotFactory()
    invited = FacultyInvitationFactory(slot=slot, status="invited")
    proposed = FacultyInvitationFactory(slot=FacultySlotFactory(course=slot.course), status="proposed")
    declined = FacultyInvitationFactory(slot=FacultySlotFactory(course=slot.course), status="declined")
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_course(course=slot.course, to="cancelled", actor=coordinator)
    for invitation in (invited, proposed, declined):
        invitation.refresh_from_db()
    assert (invited.status, proposed.status, declined.status) == ("withdrawn", "withdrawn", "declined")
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [invited.person.email]
    assert [m.to for m in mail.outbox] == [[invited.person.email]]


def test_closing_course_completes_faculty_and_logs_hours(coordinator):
    course = CourseFactory(status="held", start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3))
    accepted = FacultyInvitationFactory(slot__course=course, status="travel_booked")
    services.transition_course(course=course, to="closed", actor=coordinator)
    accepted.refresh_from_db()
    assert accepted.status == "completed"
    entry = ActivityLog.objects.get()
    assert (entry.person, entry.kind, str(entry.hours), entry.date) == (
        accepted.person,
        "teaching",
        "24.0",
        dt.date(2026, 11, 3),
    )


def test_add_session_within_course(coordinator):
    course = CourseFactory()
    session = services.add_session(
        course=course,
        actor=coordinator,
        day=dt.date(2027, 3, 6),
        start_time=dt.time(9),
        end_time=dt.time(10),
        title="Tumor board",
    )
    assert list(Session.objects.all()) == [session]


def test_add_session_refuses_day_outside_course(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.add_session(
            course=CourseFactory(),
            actor=coordinator,
            day=dt.date(2027, 3, 8),
            start_time=dt.time(9),
            end_time=dt.time(10),
            title="x",
        )
    assert exc.value.message_dict == {"day": ["The session must fall within the course dates."]}
    assert Session.objects.count() == 0


def test_add_session_refuses_end_before_start(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.add_session(
            course=CourseFactory(),
            actor=coordinator,
            day=dt.date(2027, 3, 5),
            start_time=dt.time(11),
            end_time=dt.time(10),
            title="x",
        )
    assert exc.value.message_dict == {"end_time": ["The session ends before it starts."]}


def test_add_slot_normalizes_expertise(coordinator):
    slot = services.add_slot(
        course=CourseFactory(),
        actor=coordinator,
        role="pathologist",
        required_language="es",
        required_expertise=["Breast ", "breast"],
    )
    assert (slot.role, slot.required_language, slot.required_expertise) == ("pathologist", "es", ["breast"])


def test_add_slot_refuses_unknown_role(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.add_slot(course=CourseFactory(), actor=coordinator, role="astrologer")
    assert exc.value.message_dict == {"role": ["Choose a role from the list."]}
