import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.workshops import services, tokens
from oncoreach.workshops.models import FacultyInterest, FacultyInvitation
from oncoreach.workshops.tokens import make_response_token
from tests.factories.volunteers import VolunteerProfileFactory
from tests.factories.workshops import FacultyInvitationFactory, FacultySlotFactory, TravelFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def invitation(volunteer):
    return FacultyInvitationFactory(person=volunteer.person, status="invited")


def test_invitation_page_shows_own_invitation(client, volunteer, invitation):
    client.force_login(volunteer)
    response = client.get(reverse("workshops:invitation-respond", args=[invitation.pk]))
    assert response.status_code == 200
    assert response.context["invitation"] == invitation
    assert response.context["can_answer"] is True


def test_invitation_accept_from_dashboard(client, volunteer, invitation):
    client.force_login(volunteer)
    url = reverse("workshops:invitation-respond", args=[invitation.pk])
    response = client.post(url, {"action": "accept"})
    assert response["Location"] == url
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_invitation_decline_keeps_reason(client, volunteer, invitation):
    client.force_login(volunteer)
    client.post(reverse("workshops:invitation-respond", args=[invitation.pk]), {"action": "decline", "reason": "Exams"})
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "Exams")


def test_invitation_unknown_action_changes_nothing(client, volunteer, invitation):
    client.force_login(volunteer)
    response = client.post(reverse("workshops:invitation-respond", args=[invitation.pk]), {"action": "maybe"})
    assert response.status_code == 400
    assert response.context["errors"] == ["Choose accept or decline."]
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_invitation_accept_twice_shows_error(client, volunteer, invitation):
    client.force_login(volunteer)
    url = reverse("workshops:invitation-respond", args=[invitation.pk])
    client.post(url, {"action": "accept"})
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 400
    assert response.context["errors"] == ["An invitation cannot go from “Accepted” to “Accepted”."]


def test_invitation_of_someone_else_is_404(client, outsider, invitation):
    client.force_login(outsider)
    url = reverse("workshops:invitation-respond", args=[invitation.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "decline"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_proposed_invitation_is_not_shown_to_volunteer(client, volunteer):
    proposed = FacultyInvitationFactory(person=volunteer.person, status="proposed")
    client.force_login(volunteer)
    assert client.get(reverse("workshops:invitation-respond", args=[proposed.pk])).status_code == 404


def test_invitation_page_requires_login(client, invitation):
    response = client.get(reverse("workshops:invitation-respond", args=[invitation.pk]))
    assert response.status_code == 302


def _link(invitation):
    return reverse("workshops:invitation-respond-token", args=[make_response_token(invitation=invitation)])


def test_signed_link_lets_volunteer_answer_without_login(client, invitation):
    token = make_response_token(invitation=invitation)
    url = reverse("workshops:invitation-respond-token", args=[token])
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == "invited"  # GET never answers
    client.post(url, {"action": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_signed_link_tampered_or_for_other_person_is_refused(client, invitation):
    someone_else = FacultyInvitationFactory(status="invited")
    for_other_person = signing.dumps({"i": invitation.pk, "p": someone_else.person_id}, salt=tokens.SALT)
    for token in ("garbage", for_other_person, make_response_token(invitation=invitation)[:-2] + "xx"):
        response = client.post(reverse("workshops:invitation-respond-token", args=[token]), {"action": "accept"})
        assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "invited"


def test_the_link_in_the_invitation_email_answers_it(client, coordinator):
    invitation = FacultyInvitationFactory(person=VolunteerProfileFactory().person, status="proposed")
    services.send_invitations(course=invitation.slot.course, actor=coordinator)
    path = re.search(r"/en/workshops/invitations/answer/\S+/", OutboundEmail.objects.get().body_text).group(0)

    response = client.post(path, {"action": "accept"})

    invitation.refresh_from_db()
    assert (response.status_code, invitation.status) == (302, "accepted")


def test_signed_link_answers_once_then_shows_that_it_was_used(client, invitation):
    """Accept, then decline with the same e-mailed link: the second answer is refused."""
    url = _link(invitation)
    client.post(url, {"action": "accept"})

    again = client.post(url, {"action": "decline", "reason": "Changed my mind"})
    page = client.get(url)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("accepted", "")
    assert (again.status_code, page.status_code) == (410, 200)
    html = page.content.decode()
    assert "This link was already used" in html
    assert "sign in and open it from your volunteer dashboard" in html
    assert 'name="action"' not in html


def test_signed_link_stops_once_the_invitation_is_answered_elsewhere(client, volunteer, invitation):
    url = _link(invitation)
    client.force_login(volunteer)
    client.post(reverse("workshops:invitation-respond", args=[invitation.pk]), {"action": "accept"})
    client.logout()

    response = client.post(url, {"action": "decline"})

    invitation.refresh_from_db()
    assert (response.status_code, invitation.status) == (410, "accepted")


def test_signed_link_expires_after_thirty_days(client, invitation):
    url = _link(invitation)

    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = client.post(url, {"action": "accept"})

    invitation.refresh_from_db()
    assert (response.status_code, invitation.status) == (404, "invited")
    assert "This link does not work" in response.content.decode()


def test_signed_link_is_bound_to_the_sending(client, invitation):
    """A link made for an earlier sending of the invitation does not answer a later one."""
    invitation.invited_at = timezone.now() - dt.timedelta(days=3)
    invitation.save()
    url = _link(invitation)
    FacultyInvitation.objects.filter(pk=invitation.pk).update(invited_at=timezone.now())

    response = client.post(url, {"action": "accept"})

    invitation.refresh_from_db()
    assert (response.status_code, invitation.status) == (404, "invited")


def test_travel_page_shows_own_travel_and_the_itinerary_form(client, volunteer):
    travel = TravelFactory(invitation__person=volunteer.person, itinerary="LHR → KTM")
    client.force_login(volunteer)
    response = client.get(reverse("workshops:travel-detail", args=[travel.invitation.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["itinerary", "visa_letter_needed"]
    assert "LHR → KTM" in response.content.decode()


def test_the_traveller_enters_their_own_itinerary(client, volunteer):
    travel = TravelFactory(invitation__person=volunteer.person, booking_status="requested")
    url = reverse("workshops:travel-detail", args=[travel.invitation.pk])
    client.force_login(volunteer)
    response = client.post(
        url,
        {
            "itinerary": "  Arrive 4 March 10:40 (QR 650), leave 8 March  ",
            "visa_letter_needed": "on",
            "booking_status": "booked",
            "per_diem": "999",
        },
    )
    assert response["Location"] == url
    travel.refresh_from_db()
    assert (travel.itinerary, travel.trip.visa_letter_needed, travel.booking_status, travel.per_diem) == (
        "Arrive 4 March 10:40 (QR 650), leave 8 March",
        True,
        "requested",
        0,
    )
    audit = AuditEvent.objects.get(action="workshops.itinerary_saved")
    assert audit.data == {"has_itinerary": True, "visa_letter_needed": True}  # never the itinerary itself


def test_the_itinerary_is_closed_once_the_trip_is_over(client, volunteer):
    travel = TravelFactory(invitation__person=volunteer.person, invitation__status="completed", itinerary="old")
    url = reverse("workshops:travel-detail", args=[travel.invitation.pk])
    client.force_login(volunteer)
    assert client.get(url).context["form"] is None
    assert client.post(url, {"itinerary": "new"}).status_code == 404
    travel.refresh_from_db()
    assert travel.itinerary == "old"


def test_travel_page_refuses_outsider(client, volunteer, outsider):
    travel = TravelFactory(invitation__person=volunteer.person, itinerary="secret")
    url = reverse("workshops:travel-detail", args=[travel.invitation.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"itinerary": "mine now"}).status_code == 404
    travel.refresh_from_db()
    assert travel.itinerary == "secret"


def test_my_courses_lists_the_courses_a_volunteer_teaches(client, volunteer):
    travel = TravelFactory(invitation__person=volunteer.person)
    FacultyInvitationFactory(person=volunteer.person, status="invited")  # not yet teaching
    client.force_login(volunteer)
    response = client.get(reverse("workshops:my-courses"))
    assert response.context["teaching"] == [travel.invitation]
    assert reverse("workshops:travel-detail", args=[travel.invitation.pk]) in response.content.decode()


def test_travel_page_staff_books_travel(client, coordinator):
    travel = TravelFactory()
    client.force_login(coordinator)
    url = reverse("workshops:travel-detail", args=[travel.invitation.pk])
    response = client.post(
        url,
        {
            "itinerary": "GRU → LIM",
            "booking_status": "booked",
            "per_diem": "55.00",
            "per_diem_currency": "USD",
            "reimbursement_status": "none",
        },
    )
    assert response["Location"] == url
    travel.invitation.refresh_from_db()
    assert travel.invitation.status == "travel_booked"


def test_travel_page_staff_invalid_input_changes_nothing(client, coordinator):
    travel = TravelFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:travel-detail", args=[travel.invitation.pk]),
        {"booking_status": "booked", "per_diem": "-5", "per_diem_currency": "USD", "reimbursement_status": "none"},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["per_diem"]
    travel.refresh_from_db()
    assert travel.booking_status == "not_started"


def test_express_interest_for_fitting_slot(client, volunteer):
    VolunteerProfileFactory(person=volunteer.person, specialty="medical_oncology")
    slot = FacultySlotFactory()
    client.force_login(volunteer)
    response = client.post(reverse("workshops:express-interest", args=[slot.pk]))
    assert response["Location"] == reverse("volunteers:dashboard")
    assert list(FacultyInterest.objects.values_list("slot", "person")) == [(slot.pk, volunteer.person.pk)]


def test_express_interest_refuses_slot_that_does_not_fit(client, volunteer):
    VolunteerProfileFactory(person=volunteer.person, specialty="medical_oncology")
    slot = FacultySlotFactory(role="pathologist")
    client.force_login(volunteer)
    assert client.post(reverse("workshops:express-interest", args=[slot.pk])).status_code == 404
    assert FacultyInterest.objects.count() == 0


def test_express_interest_refuses_without_profile(client, outsider):
    slot = FacultySlotFactory()
    client.force_login(outsider)
    assert client.post(reverse("workshops:express-interest", args=[slot.pk])).status_code == 404


def test_dashboard_panel_shows_call_for_faculty_and_invitations(client, volunteer, invitation):
    VolunteerProfileFactory(person=volunteer.person, specialty="medical_oncology")
    open_slot = FacultySlotFactory(
        course__title="Open MCMC", course__start_date=dt.date(2027, 5, 5), course__end_date=dt.date(2027, 5, 7)
    )
    FacultySlotFactory(role="pathologist")  # does not fit
    client.force_login(volunteer)
    response = client.get(reverse("volunteers:dashboard"))
    panel = response.context["panels"][0].context
    assert panel["awaiting"] == [invitation]
    assert panel["open_slots"] == [open_slot]


def test_visa_letter_pdf_for_traveller(client, volunteer):
    pytest.importorskip("weasyprint")
    volunteer.person.passport_name = "VICTOR ÉMILE VOLUNTEER"
    volunteer.person.save()
    travel = TravelFactory(invitation__person=volunteer.person, visa_letter_needed=True)
    client.force_login(volunteer)
    response = client.get(reverse("travel:visa-letter", args=[travel.trip.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def test_visa_letter_refused_to_outsider_and_when_not_needed(client, volunteer, outsider):
    needed = TravelFactory(invitation__person=volunteer.person, visa_letter_needed=True)
    not_needed = TravelFactory(invitation__person=volunteer.person, visa_letter_needed=False)
    client.force_login(outsider)
    assert client.get(reverse("travel:visa-letter", args=[needed.trip.pk])).status_code == 404
    client.force_login(volunteer)
    assert client.get(reverse("travel:visa-letter", args=[not_needed.trip.pk])).status_code == 404
