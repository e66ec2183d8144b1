import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from oncoreach.calls.services import DrivenElsewhere, decide_application
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.people.models import Organization
from oncoreach.workshops import services
from oncoreach.workshops.models import Course, Registration
from oncoreach.workshops.selectors_participants import impact_for_course
from oncoreach.workshops.services import transition_course
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.people import AffiliationFactory, PersonFactory
from tests.factories.workshops import CourseFactory, CourseTemplateFactory, open_intake, submitted_registration

pytestmark = [pytest.mark.integration]


@pytest.fixture
def course(db):
    return CourseFactory(capacity=2)


def test_opening_a_course_opens_its_intake_call(coordinator):
    course = CourseFactory(status="planning")
    transition_course(course=course, to="open", actor=coordinator)
    course.refresh_from_db()
    assert course.intake_call.kind == "participant"
    assert course.intake_call.is_open() is True
    assert course.follow_up_form is not None
    assert services.open_registration(course=course, actor=coordinator) == course.intake_call


def test_open_registration_refused_for_cancelled_course(coordinator):
    course = CourseFactory(status="cancelled")
    with pytest.raises(ValidationError) as exc:
        services.open_registration(course=course, actor=coordinator)
    assert exc.value.code == "course_over"
    assert Course.objects.get(pk=course.pk).intake_call is None


def test_register_then_submit_makes_a_pending_registration(course, member):
    open_intake(course)
    registration = services.register(course=course, person=member.person, actor=member)
    assert registration.status == "pending"
    assert registration.application.status == "draft"
    question = registration.application.call.form.questions.order_by("order").first()
    services.save_registration_answers(
        registration=registration, values={question.field_name: "To learn."}, actor=member
    )
    registration = services.submit_registration(registration=registration, actor=member)
    registration.application.refresh_from_db()
    assert (registration.status, registration.application.status) == ("pending", "eligible")
    with pytest.raises(ValidationError) as exc:
        services.submit_registration(registration=registration, actor=member)
    assert exc.value.code == "sent"


def test_an_ineligible_participant_is_not_selected_in_the_same_step(member):
    course = CourseFactory()
    call = open_intake(course)
    call.eligible_income_groups = ["L"]
    call.save()
    member.person.country_of_practice = None
    member.person.save()
    registration = services.register(course=course, person=member.person, actor=member)
    question = call.form.questions.order_by("order").first()
    services.save_registration_answers(
        registration=registration, values={question.field_name: "To learn."}, actor=member
    )
    registration = services.submit_registration(registration=registration, actor=member)
    registration.application.refresh_from_db()
    assert (registration.status, registration.application.status) == ("rejected", "ineligible")
    event = AuditEvent.objects.get(action="workshops.registration_transition")
    assert event.data == {"old": "pending", "new": "rejected", "reason": "ineligible"}


def test_registering_twice_is_refused(course, member):
    open_intake(course)
    services.register(course=course, person=member.person, actor=member)
    with pytest.raises(ValidationError) as exc:
        services.register(course=course, person=member.person, actor=member)
    assert exc.value.code == "duplicate"
    assert Registration.objects.count() == 1


def test_register_refused_without_open_intake(course, member):
    with pytest.raises(ValidationError) as exc:
        services.register(course=course, person=member.person, actor=member)
    assert exc.value.code == "closed"
    assert Registration.objects.count() == 0


def test_accept_waitlist_reject(course, coordinator):
    accepted = services.decide_registration(
        registration=submitted_registration(course), outcome="accepted", actor=coordinator
    )
    waiting = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    rejected = services.decide_registration(
        registration=submitted_registration(course), outcome="rejected", actor=coordinator
    )
    assert [accepted.status, waiting.status, rejected.status] == ["accepted", "waitlisted", "rejected"]
    assert [accepted.application.status, waiting.application.status] == ["accepted", "waitlisted"]
    keys = set(OutboundEmail.objects.values_list("event_key", flat=True))
    assert f"workshops.registration.{waiting.pk}.waitlisted" in keys
    assert f"workshops.registration.{accepted.pk}.accepted" in keys
    assert f"calls:application:{accepted.application.pk}:accepted" not in keys
    assert f"calls:application:{rejected.application.pk}:rejected" in keys
    assert f"calls:application:{waiting.application.pk}:waitlisted" not in keys


def test_accept_refused_when_full(course, coordinator):
    for _ in range(2):
        services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=coordinator)
    extra = submitted_registration(course)
    with pytest.raises(ValidationError) as exc:
        services.decide_registration(registration=extra, outcome="accepted", actor=coordinator)
    assert exc.value.code == "full"
    extra.refresh_from_db()
    assert (extra.status, extra.application.status) == ("pending", "eligible")


def test_ineligible_or_draft_cannot_be_decided(course, coordinator):
    registration = submitted_registration(course, status="draft")
    with pytest.raises(ValidationError) as exc:
        services.decide_registration(registration=registration, outcome="accepted", actor=coordinator)
    assert exc.value.code == "not_decidable"
    with pytest.raises(ValidationError):
        services.decide_registration(registration=registration, outcome="nonsense", actor=coordinator)


def test_decline_promotes_first_waitlisted(course, coordinator):
    first = services.decide_registration(
        registration=submitted_registration(course), outcome="accepted", actor=coordinator
    )
    services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=coordinator)
    waiting1 = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    waiting2 = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    services.cancel_registration(registration=first, actor=None, reason="Visa refused")
    first.refresh_from_db()
    waiting1.refresh_from_db()
    waiting2.refresh_from_db()
    assert (first.status, waiting1.status, waiting2.status) == ("cancelled", "accepted", "waitlisted")
    first.application.refresh_from_db()
    waiting1.application.refresh_from_db()
    assert (first.application.status, waiting1.application.status) == ("declined", "accepted")
    assert AuditEvent.objects.filter(action="workshops.registration_promoted").count() == 1
    assert OutboundEmail.objects.filter(event_key=f"workshops.registration.{waiting1.pk}.promoted").count() == 1


def test_staff_withdrawal_promotes(course, coordinator):
    first = services.decide_registration(
        registration=submitted_registration(course), outcome="accepted", actor=coordinator
    )
    services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=coordinator)
    waiting = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    services.withdraw_registration(registration=first, actor=coordinator)
    waiting.refresh_from_db()
    assert waiting.status == "accepted"
    with pytest.raises(ValidationError):
        services.withdraw_registration(registration=first, actor=coordinator)


def test_promoting_when_full_or_nobody_waits(course, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.promote_from_waitlist(course=course, actor=coordinator)
    assert exc.value.code == "empty_waitlist"
    for _ in range(2):
        services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=coordinator)
    waiting = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    with pytest.raises(ValidationError) as exc:
        services.promote_from_waitlist(course=course, actor=coordinator)
    assert exc.value.code == "full"
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"


def test_calls_staff_pages_cannot_decide_a_registration(coordinator):
    course = CourseFactory(capacity=1)
    services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=coordinator)
    other = submitted_registration(course, status="shortlisted")
    with pytest.raises(DrivenElsewhere):
        decide_application(application=other.application, outcome="accepted", actor=coordinator)
    other.application.refresh_from_db()
    assert other.application.status == "shortlisted"


def test_capacity_below_accepted_is_refused(course, coordinator):
    from oncoreach.workshops.services import update_course_schedule

    for _ in range(2):
        services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=coordinator)
    with pytest.raises(ValidationError):
        update_course_schedule(
            course=course, actor=coordinator, start_date=course.start_date, end_date=course.end_date, capacity=1
        )
    assert Course.objects.get(pk=course.pk).capacity == 2


def _attended(course, coordinator, **scores):
    registration = services.decide_registration(
        registration=submitted_registration(course), outcome="accepted", actor=coordinator
    )
    return services.record_participation(
        registration=registration, attendance="attended", actor=coordinator, today=course.start_date, **scores
    )


def test_attendance_scores_and_certificate_code(course, coordinator):
    registration = _attended(course, coordinator, pre="40", post="75.5")
    assert registration.status == "attended"
    assert len(registration.certificate_code) == 16
    assert (registration.pre_test_score, str(registration.post_test_score)) == (40, "75.50")
    no_show = services.record_attendance(
        registration=registration, attended=False, actor=coordinator, today=course.start_date
    )
    assert (no_show.status, no_show.certificate_code) == ("no_show", None)


def test_attendance_refused_before_course_and_for_pending(course, coordinator):
    registration = submitted_registration(course)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(registration=registration, attended=True, actor=coordinator)
    assert exc.value.code == "not_accepted"
    accepted = services.decide_registration(registration=registration, outcome="accepted", actor=coordinator)
    with pytest.raises(ValidationError) as exc:
        services.record_attendance(registration=accepted, attended=True, actor=coordinator)
    assert exc.value.code == "too_early"


def test_bad_score_changes_nothing(course, coordinator):
    registration = _attended(course, coordinator, pre="", post="")
    with pytest.raises(ValidationError):
        services.record_participation(registration=registration, attendance="", pre="10", post="120", actor=coordinator)
    registration.refresh_from_db()
    assert registration.pre_test_score is None


def test_follow_up_only_after_acceptance(course, coordinator):
    registration = submitted_registration(course)
    with pytest.raises(ValidationError):
        services.save_follow_up(registration=registration, values={}, actor=None)
    registration = services.decide_registration(registration=registration, outcome="accepted", actor=coordinator)
    form = services.default_follow_up_form()
    question = form.questions.order_by("order").last()
    services.save_follow_up(registration=registration, values={question.field_name: "Vegetarian"}, actor=None)
    registration.refresh_from_db()
    assert registration.follow_up.answers.get().value == "Vegetarian"


def test_evaluation_once_and_only_for_attendees(course, coordinator):
    pending = submitted_registration(course)
    with pytest.raises(ValidationError):
        services.submit_evaluation(registration=pending, values={}, actor=None)
    registration = _attended(course, coordinator, pre="", post="")
    course.refresh_from_db()
    rating = course.evaluation_form.questions.order_by("order").first()
    services.submit_evaluation(registration=registration, values={rating.field_name: "4"}, actor=None)
    registration.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.submit_evaluation(registration=registration, values={rating.field_name: "1"}, actor=None)
    assert exc.value.code == "duplicate"
    assert impact_for_course(course=course).evaluation_average == 4


def test_followup_surveys_are_sent_once_a_year_after(coordinator):
    course = CourseFactory(start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 9, 3), status="closed")
    recent = CourseFactory(start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 3), status="closed")
    from tests.factories.workshops import RegistrationFactory

    old = RegistrationFactory(course=course, status="attended")
    RegistrationFactory(course=course, status="no_show")
    RegistrationFactory(course=recent, status="attended")
    assert services.send_followup_surveys() == 1
    assert services.send_followup_surveys() == 0
    old.refresh_from_db()
    assert old.impact_survey_sent_at is not None
    assert OutboundEmail.objects.filter(event_key=f"workshops.registration.{old.pk}.impact_survey").count() == 1


def test_impact_survey_answers_feed_figures(coordinator):
    from tests.factories.workshops import RegistrationFactory

    course = CourseFactory(start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 9, 3), status="closed")
    registration = RegistrationFactory(course=course, status="attended", pre_test_score=50, post_test_score=80)
    with pytest.raises(ValidationError):
        services.submit_impact_survey(registration=registration, values={})
    services.send_followup_surveys()
    registration.refresh_from_db()
    q = services.impact_survey_form().questions.order_by("order")
    values = {q[0].field_name: "yes", q[1].field_name: "2", q[2].field_name: "7"}
    services.submit_impact_survey(registration=registration, values=values)
    registration.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submit_impact_survey(registration=registration, values=values)
    impact = impact_for_course(course=course)
    assert (impact.attendees, impact.practice_changes, impact.tumor_boards_started, impact.colleagues_trained) == (
        1,
        1,
        2,
        7,
    )
    assert impact.score_gain == 30


def test_approve_host_application(coordinator):
    call = CallFactory(kind="host")
    applicant = PersonFactory()
    affiliation = AffiliationFactory(person=applicant)
    application = ApplicationFactory(call=call, applicant=applicant, status="eligible")
    course = services.approve_host_application(
        application=application,
        actor=coordinator,
        template=CourseTemplateFactory(),
        title="MCMC Lusaka",
        city="Lusaka",
        start_date=dt.date(2027, 6, 1),
        end_date=dt.date(2027, 6, 3),
        time_zone="Africa/Lusaka",
        capacity=30,
    )
    application.refresh_from_db()
    assert application.status == "accepted"
    assert course.status == "planning"
    assert course.host_organization == affiliation.organization
    assert Organization.objects.get(pk=affiliation.organization.pk).is_partner is True
    assert list(course.host_contacts.all()) == [applicant]
    with pytest.raises(ValidationError):
        services.approve_host_application(
            application=application,
            actor=coordinator,
            template=CourseTemplateFactory(),
            title="Again",
            city="Lusaka",
            start_date=dt.date(2027, 6, 1),
            end_date=dt.date(2027, 6, 3),
            time_zone="Africa/Lusaka",
            capacity=30,
        )
    assert Course.objects.count() == 1


def test_approve_refuses_non_host_application(coordinator):
    application = ApplicationFactory(call=CallFactory(kind="award"), status="eligible")
    with pytest.raises(ValidationError) as exc:
        services.approve_host_application(
            application=application,
            actor=coordinator,
            template=CourseTemplateFactory(),
            title="X",
            city="Y",
            start_date=dt.date(2027, 6, 1),
            end_date=dt.date(2027, 6, 3),
            time_zone="UTC",
            capacity=30,
        )
    assert exc.value.code == "not_host"


def test_acceptance_mail_links_to_the_registration_page(course, coordinator):
    registration = services.decide_registration(
        registration=submitted_registration(course), outcome="accepted", actor=coordinator
    )
    mail = OutboundEmail.objects.get()
    assert mail.event_key == f"workshops.registration.{registration.pk}.accepted"
    assert mail.subject == f"Your place is confirmed: {course.title}"
    assert registration.get_absolute_url() in mail.body_text


def test_withdrawing_from_the_wait_list_cancels_without_promotion(course, coordinator):
    waiting = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    services.cancel_registration(registration=waiting, actor=None)
    waiting.refresh_from_db()
    waiting.application.refresh_from_db()
    assert (waiting.status, waiting.waitlisted_at, waiting.application.status) == ("cancelled", None, "withdrawn")
    assert AuditEvent.objects.filter(action="workshops.registration_promoted").count() == 0


def test_cancelling_after_attending_is_refused_and_keeps_the_attendance(course, coordinator):
    registration = _attended(course, coordinator, pre="", post="")
    with pytest.raises(ValidationError):
        services.cancel_registration(registration=registration, actor=None)
    registration.refresh_from_db()
    registration.application.refresh_from_db()
    assert (registration.status, registration.application.status) == ("attended", "accepted")
    assert registration.certificate_code is not None


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("pending", "attended"),
        ("waitlisted", "no_show"),
        ("rejected", "accepted"),
        ("cancelled", "pending"),
        ("attended", "cancelled"),
        ("accepted", "pending"),
    ],
)
def test_transition_registration_refuses_what_the_table_has_not(course, start, to):
    registration = submitted_registration(course)
    Registration.objects.filter(pk=registration.pk).update(status=start)
    with pytest.raises(ValidationError) as exc:
        services.transition_registration(registration=registration, to=to, actor=None)
    assert exc.value.code == "registration_transition"
    assert Registration.objects.get(pk=registration.pk).status == start
    assert AuditEvent.objects.filter(action="workshops.registration_transition").count() == 0


def test_attendance_can_be_corrected_and_the_certificate_follows(course, coordinator):
    registration = _attended(course, coordinator, pre="", post="")
    code = registration.certificate_code
    registration = services.record_attendance(
        registration=registration, attended=False, actor=coordinator, today=course.start_date
    )
    assert (registration.status, registration.certificate_code) == ("no_show", None)
    registration = services.record_attendance(
        registration=registration, attended=True, actor=coordinator, today=course.start_date
    )
    assert registration.status == "attended"
    assert registration.certificate_code not in (None, code)
    events = AuditEvent.objects.filter(action="workshops.registration_transition", target_id=str(registration.pk))
    assert [event.data["new"] for event in events.order_by("id")] == ["accepted", "attended", "no_show", "attended"]
