"""Every awards URL against every role: who gets the page and who is refused (and how)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from oncoreach.awards import urls as awards_urls
from oncoreach.awards.tokens import make_offer_token
from tests.factories.accounts import UserFactory
from tests.factories.awards import (
    GrantFactory,
    GrantReportFactory,
    InterviewBookingFactory,
    OfferFactory,
    TrackFactory,
    TrancheFactory,
)
from tests.factories.calls import ReviewAssignmentFactory, add_to_panel
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

ROLES = ["anonymous", "outsider", "applicant", "interviewer", "coordinator", "reviewer", "chair"]
A, O, P, I, C, R, H = ROLES  # noqa: E741 — one letter per role keeps the table readable
SIGNED_IN = {O, P, I, C, R, H}

# url name → (method, roles that get 200); everyone else is refused as noted in REFUSAL.
MATRIX = {
    "directory": ("get", set(ROLES)),
    "directory-csv": ("get", set(ROLES)),
    "directory-json": ("get", set(ROLES)),
    "offer-token": ("get", set(ROLES)),
    "my-offers": ("get", SIGNED_IN),
    "interview": ("get", {P}),
    "interview-ics": ("get", {P, I, C}),
    "offer": ("get", {P}),
    "call-interviews": ("get", {I, C}),
    "decisions": ("get", {C}),
    "grant-list": ("get", {C}),
    "grant": ("get", {P, C}),
    "grant-agreement": ("get", {P, C}),
    "overdue-reports": ("get", {C}),
    "ledger": ("get", {C}),
    "finance-csv": ("get", {C}),
    "slot-withdraw": ("post", {I, C}),
    "tranche-move": ("post", {C}),
    "report-received": ("post", {C}),
    "my-grants": ("get", SIGNED_IN),
    "report-submit": ("get", {P}),
    "report-file": ("get", {P, C}),
    "my-awards": ("get", SIGNED_IN),
    "cycle-travel": ("get", {C}),
    "track-mentors": ("get", {C}),
}
# Pages about one person's own things answer 404 to others (their existence is not revealed).
NOT_FOUND_FOR_OTHERS = {"interview", "interview-ics", "offer"}


@pytest.fixture
def reviewer_user(call, applicant_user):
    """An external reviewer on the call's panel, assigned the applicant's application."""
    person = PersonFactory(user=UserFactory(email="reviewer@example.org"))
    add_to_panel(call, person)
    ReviewAssignmentFactory(application=applicant_user.application, reviewer=person, status="accepted")
    return person.user


@pytest.fixture
def chair_user(call):
    """The committee chair of the call (a panel role, not program staff)."""
    person = PersonFactory(user=UserFactory(email="chair@example.org"))
    add_to_panel(call, person, role="chair")
    return person.user


def test_the_matrix_names_every_awards_url():
    assert set(MATRIX) == {pattern.name for pattern in awards_urls.urlpatterns}


@pytest.fixture
def world(call, applicant_user, interviewer_user, slot):
    booking = InterviewBookingFactory(slot=slot, application=applicant_user.application)
    offer = OfferFactory(application__applicant=applicant_user.person)
    grant = GrantFactory(lead=applicant_user.person)
    grant.agreement.save("a.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    tranche = TrancheFactory(grant=grant)
    report = GrantReportFactory(grant=grant)
    sent = GrantReportFactory(grant=grant, kind="final", file_name="final.pdf")
    sent.file.save("final.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    token = make_offer_token(offer_pk=offer.pk, offered_at=int(offer.offered_at.timestamp()))
    return {
        "directory": {},
        "directory-csv": {},
        "directory-json": {},
        "offer-token": {"token": token},
        "my-offers": {},
        "interview": {"pk": applicant_user.application.pk},
        "interview-ics": {"pk": booking.pk},
        "offer": {"pk": offer.pk},
        "call-interviews": {"slug": call.slug},
        "decisions": {"slug": call.slug},
        "grant-list": {},
        "grant": {"pk": grant.pk},
        "grant-agreement": {"pk": grant.pk},
        "overdue-reports": {},
        "ledger": {},
        "finance-csv": {},
        "slot-withdraw": {"pk": slot.pk},
        "tranche-move": {"pk": tranche.pk},
        "report-received": {"pk": report.pk},
        "my-grants": {},
        "report-submit": {"pk": report.pk},
        "report-file": {"pk": sent.pk},
        "my-awards": {},
        "cycle-travel": {"pk": call.cycle.pk},
        "track-mentors": {"pk": TrackFactory(cycle=call.cycle).pk},
    }


def _login(client, request, role):
    users = {
        "outsider": "outsider",
        "applicant": "applicant_user",
        "interviewer": "interviewer_user",
        "coordinator": "coordinator",
        "reviewer": "reviewer_user",
        "chair": "chair_user",
    }
    if role != "anonymous":
        client.force_login(request.getfixturevalue(users[role]))


@pytest.mark.parametrize("role", ROLES)
def test_every_awards_url_for_every_role(client, request, world, role):
    _login(client, request, role)
    outcomes = {}
    for name, (method, _allowed) in MATRIX.items():
        url = reverse(f"awards:{name}", kwargs=world[name])
        response = getattr(client, method)(url)
        if response.streaming:
            b"".join(response.streaming_content)
        outcomes[name] = response.status_code
    expected = {}
    for name, (method, allowed) in MATRIX.items():
        if role in allowed:
            expected[name] = 302 if method == "post" else 200
        elif role == "anonymous":
            expected[name] = 302  # to the sign-in page
        elif name in NOT_FOUND_FOR_OTHERS:
            expected[name] = 404
        else:
            expected[name] = 403
    assert outcomes == expected
