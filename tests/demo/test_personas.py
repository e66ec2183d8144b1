"""Every promise of the demo login table holds: each demo login finds what its line says, made
through the services (each lifecycle object has its audit rows, each step its e-mail), and the
pages the line points to open for that login."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import WorkflowState

from oncoreach.calls.models import Application, Call, ReviewAssignment
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.people.models import Inquiry, Person
from oncoreach.stories.models import StoryPage
from oncoreach.volunteers.models import ActivityLog, VolunteerProfile
from oncoreach.workshops.models import Course, FacultyInvitation, Registration
from tests.demo.conftest import DEMO_SITE_URL, client_for

pytestmark = [pytest.mark.integration]

MEMBER = "member@demo.oncoreach.org"
APPLICANT = "applicant@demo.oncoreach.org"
VOLUNTEER = "volunteer@demo.oncoreach.org"
EDITOR = "editor@demo.oncoreach.org"
STAFF = "staff@demo.oncoreach.org"
ADMIN = "admin@demo.oncoreach.org"
URL = re.compile(r"https?://\S+")


def _actions(obj) -> list[str]:
    """The audit trail of one object, oldest first."""
    return list(
        AuditEvent.objects.filter(target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


def _mails_to(email: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=email).order_by("id"))


def test_member_attended_a_course_with_a_certificate_and_has_a_place_on_a_coming_one(demo):
    lucia = Person.objects.get(email=MEMBER)
    attended = Registration.objects.get(person=lucia, status="attended")
    coming = Registration.objects.get(person=lucia, status="accepted")
    assert (attended.course.city, attended.course.status) == ("Lima", "closed")
    assert attended.certificate_code
    assert attended.evaluation is None  # left for her to fill in
    assert coming.course.city == "Bogotá"
    # Every status change goes through transition_registration (one audit row each).
    assert _actions(attended) == [
        "workshops.registration_started",
        "workshops.registration_submitted",
        "workshops.registration_transition",
        "workshops.registration_transition",
        "workshops.registration_scores",
    ]
    steps = AuditEvent.objects.filter(action="workshops.registration_transition", target_id=str(attended.pk))
    assert [(e.data["old"], e.data["new"]) for e in steps.order_by("created_at", "id")] == [
        ("pending", "accepted"),
        ("accepted", "attended"),
    ]
    assert [a.to_status for a in _application_steps(attended.application)] == [
        "submitted",
        "eligible",
        "shortlisted",
        "accepted",
    ]
    subjects = " | ".join(mail.subject for mail in _mails_to(MEMBER))
    assert subjects.count("Bogotá") == 2
    assert subjects.count("Lima") == 2

    client = client_for(MEMBER)
    assert client.get(reverse("workshops:my-courses")).status_code == 200
    assert client.get(reverse("workshops:certificate", kwargs={"pk": attended.pk})).status_code == 200
    page = client.get(reverse("workshops:registration-detail", kwargs={"pk": attended.pk})).content.decode()
    assert reverse("workshops:registration-evaluation", kwargs={"pk": attended.pk}) in page
    assert client.get(reverse("workshops:registration-visa-letter", kwargs={"pk": coming.pk})).status_code == 200
    page = client.get(reverse("workshops:registration-detail", kwargs={"pk": coming.pk})).content.decode()
    assert reverse("workshops:registration-follow-up", kwargs={"pk": coming.pk}) in page
    verify = reverse("workshops:certificate-verify", kwargs={"code": attended.certificate_code})
    assert "LUCÍA FERNÁNDEZ" in client.get(verify).content.decode()  # her name as in her passport


def _application_steps(application):
    class Step:
        def __init__(self, data):
            self.to_status = data["to_status"]

    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Application),
        target_id=str(application.pk),
        action="calls.application.transition",
    ).order_by("created_at", "id")
    return [Step(event.data) for event in events]


def test_applicant_has_applications_in_several_states(demo):
    kwame = Person.objects.get(email=APPLICANT)
    mine = {
        f"{a.call.kind}:{a.current_stage.key}:{a.status}"
        for a in Application.objects.filter(applicant=kwame).select_related("call", "current_stage")
    }
    assert mine == {
        "award:application:draft",
        "award:full_application:draft",  # invited after the letter of intent's review
        "award:review:accepted",
        "award:review:rejected",
        "award:interview:accepted",  # this year's IDEA offer, to answer after his interview
        "participant:application:eligible",
        "mentee:application:eligible",
    }
    draft = Application.objects.get(applicant=kwame, status="draft", current_stage__key="application")
    assert draft.call.is_open()
    assert list(draft.reference_requests.values_list("referee_email", flat=True)) == ["ama.owusu@example.org"]
    for application in Application.objects.filter(applicant=kwame).exclude(status="draft"):
        assert _application_steps(application)[0].to_status == "submitted", application
    registration = Registration.objects.get(person=kwame)
    assert (registration.status, registration.course.city) == ("pending", "Kumasi")
    subjects = [mail.subject for mail in _mails_to(APPLICANT)]
    assert len(subjects) >= 8  # submitted ×4, decisions, invitation to the full application, course registration

    client = client_for(APPLICANT)
    page = client.get(reverse("calls:application-list"))
    assert page.status_code == 200
    for application in Application.objects.filter(applicant=kwame):
        assert client.get(reverse("calls:application-detail", kwargs={"pk": application.pk})).status_code == 200
    assert client.get(reverse("calls:application-edit", kwargs={"pk": draft.pk})).status_code == 200


def test_volunteer_has_a_profile_invitations_a_trip_with_a_visa_letter_hours_and_reviews(demo):
    grace = Person.objects.get(email=VOLUNTEER)
    profile = VolunteerProfile.objects.get(person=grace)
    assert _actions(profile)[:1] == ["volunteers.profile_created"]
    assert profile.availability.count() == 2
    invitations = {i.slot.course.city: i for i in FacultyInvitation.objects.filter(person=grace)}
    assert {city: i.status for city, i in invitations.items()} == {
        "Lima": "completed",
        "Bogotá": "travel_booked",
        "Kampala": "invited",
    }
    trip = invitations["Bogotá"]
    assert trip.travel.trip.visa_letter_needed is True
    assert [a for a in _actions(trip) if a != "workshops.travel_saved"] == [
        "workshops.faculty_proposed",
        "workshops.invitation_transition",
        "workshops.invitation_transition",
        "workshops.invitation_transition",
    ]
    kinds = sorted(set(ActivityLog.objects.filter(person=grace).values_list("kind", flat=True)))
    # mentoring: her hours from last year's finished mentoring cohort
    assert kinds == ["mentoring", "preparation", "reviewing", "teaching", "writing"]
    assignments = ReviewAssignment.objects.filter(
        reviewer=grace, application__call__slug__startswith="international-dev"
    )
    open_call = [a for a in assignments if a.application.call.is_open()]
    assert sorted(a.status for a in open_call) == ["accepted", "proposed", "submitted"]
    subjects = " | ".join(mail.subject for mail in _mails_to(VOLUNTEER))
    assert "Kampala" in subjects
    assert "Bogotá" in subjects

    client = client_for(VOLUNTEER)
    dashboard = client.get(reverse("volunteers:dashboard")).content.decode()
    assert "Kampala" in dashboard
    assert "Bogotá" in dashboard
    assert "Kathmandu" in dashboard
    assert (
        client.get(reverse("workshops:invitation-respond", kwargs={"pk": invitations["Kampala"].pk})).status_code == 200
    )
    assert client.get(reverse("workshops:travel-detail", kwargs={"pk": trip.pk})).status_code == 200
    assert client.get(reverse("travel:visa-letter", kwargs={"pk": trip.travel.trip_id})).status_code == 200
    reviews = client.get(reverse("calls:review-list"))
    assert reviews.status_code == 200
    to_score = next(a for a in open_call if a.status == "accepted")
    assert client.get(reverse("calls:review-form", kwargs={"pk": to_score.pk})).status_code == 200


def test_editor_has_stories_waiting_for_moderation(demo):
    waiting = WorkflowState.objects.filter(status="in_progress")
    assert waiting.count() == 2
    client = client_for(EDITOR)
    for state in waiting:
        assert client.get(f"/cms/pages/{state.object_id}/edit/").status_code == 200
    story = StoryPage.objects.get(pk=int(waiting.first().object_id))
    assert story.programs.count() == 1
    assert story.countries.count() == 1


def test_staff_have_applications_to_decide_hosts_registrations_a_declined_invitation_and_inquiries(demo):
    # The awards demo's interview call keeps its own shortlist (tests/demo/test_awards.py).
    shortlisted = Application.objects.filter(status="shortlisted", call__kind="award").exclude(
        call__slug__startswith="idea-and-idea-pc-"
    )
    assert shortlisted.count() == 2
    open_award = (
        Call.objects.filter(slug__startswith="international-development", stages__order=0)
        .order_by("-stages__opens_at")  # the newest window (a call's window is its first stage's)
        .first()
    )
    assert open_award.is_open()
    fully_reviewed = [
        a
        for a in Application.objects.filter(call=open_award, status="under_review")
        if a.assignments.filter(status="submitted").count() >= 2
    ]
    assert fully_reviewed
    assert Application.objects.filter(call__kind="host", status="eligible").count() == 2
    planning = Course.objects.get(status="planning")
    assert planning.host_application is not None
    assert planning.slots.exists()
    assert Registration.objects.filter(status="pending", course__status="open").count() >= 3
    declined = FacultyInvitation.objects.get(status="declined")
    assert declined.decline_reason
    assert [m.subject for m in _mails_to(STAFF) if declined.slot.course.title in m.subject]
    assert Inquiry.objects.filter(handled=False).count() == 6

    client = client_for(STAFF)
    for url in (
        reverse("calls:staff-call-list"),
        reverse("calls:staff-application-detail", kwargs={"pk": shortlisted.first().pk}),
        reverse("workshops:staff-host-applications"),
        reverse("workshops:staff-course", kwargs={"slug": planning.slug}),
        reverse("workshops:staff-course", kwargs={"slug": declined.slot.course.slug}),
        reverse("workshops:staff-intake", kwargs={"slug": declined.slot.course.slug}),
        reverse("people:inquiry-list"),
        reverse("people:person-list"),
        reverse("calls:staff-call-edit", kwargs={"slug": open_award.slug}),
        reverse("calls:staff-rubric", kwargs={"slug": open_award.slug}),
        reverse("calls:staff-panel", kwargs={"slug": open_award.slug}),
        reverse("people:person-detail", kwargs={"pk": declined.person_id}),
    ):
        assert client.get(url).status_code == 200, url
    # People search ignores accents and case; the Django admin is not linked for staff.
    found = client.get(reverse("people:person-list"), {"q": "lucia fernandez"}).content.decode()
    assert "Lucía Fernández" in found
    assert reverse("admin:index") not in client.get(reverse("people:dashboard")).content.decode()
    assert reverse("admin:index") in client_for(ADMIN).get(reverse("people:dashboard")).content.decode()


def test_every_lifecycle_object_was_made_through_its_service(demo):
    """Each application, registration, invitation, course and volunteer profile has audit rows,
    as only the services write them."""
    for model in (Application, Registration, FacultyInvitation, Course, VolunteerProfile):
        content_type = ContentType.objects.get_for_model(model)
        audited = set(AuditEvent.objects.filter(target_type=content_type).values_list("target_id", flat=True))
        missing = [pk for pk in model.objects.values_list("pk", flat=True) if str(pk) not in audited]
        assert missing == [], model.__name__
    reviewed = ReviewAssignment.objects.filter(status="submitted")
    assert reviewed.exists()
    for assignment in reviewed:
        steps = AuditEvent.objects.filter(
            action="calls.assignment.transition",
            target_id=str(assignment.application_id),
            data__reviewer=assignment.reviewer_id,
        )
        assert sorted(e.data["to_status"] for e in steps) == ["accepted", "submitted"]


@pytest.mark.parametrize("email", [MEMBER, APPLICANT, VOLUNTEER, EDITOR, STAFF])
def test_every_link_in_a_demo_logins_mail_opens_for_them(demo, email):
    """Follow each link in the e-mails the demo sent to a demo login, signed in as that login."""
    client = client_for(email)
    links = {link.rstrip(".,)") for mail in _mails_to(email) for link in URL.findall(mail.body_text)}
    assert links
    for link in sorted(links):
        assert link.startswith(DEMO_SITE_URL + "/"), link
        path = link.removeprefix(DEMO_SITE_URL)
        if path.startswith("/django-admin/"):
            continue  # the inquiry e-mail still points to the Django admin (issue 7 §3: staff screens)
        assert client.get(path).status_code == 200, path


def test_mentor_and_mentee_personas_have_the_mentoring_round(demo):
    from oncoreach.mentoring.models import Match

    grace = Person.objects.get(email=VOLUNTEER)
    kwame = Person.objects.get(email=APPLICANT)
    mine = Match.objects.filter(request__application__applicant=kwame)
    assert list(mine.values_list("status", "offer__person__email")) == [("approved", VOLUNTEER)], list(
        Match.objects.filter(offer__person=grace).values_list("status", "request__application__applicant__email")
    )
    assert mine.get().status == "approved"
    accepted = Match.objects.get(offer__person=grace, status="accepted", request__application__applicant__email=MEMBER)
    mentor_page = client_for(VOLUNTEER).get(reverse("mentoring:match", args=[accepted.pk])).content.decode()
    assert accepted.request.contact_note in mentor_page
    mentee_page = client_for(APPLICANT).get(reverse("mentoring:match", args=[mine.get().pk])).content.decode()
    assert "grace.whitfield.demo" not in mentee_page
    assert client_for(APPLICANT).get(reverse("mentoring:home")).status_code == 200
