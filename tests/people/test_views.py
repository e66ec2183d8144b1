import csv
import datetime as dt
import io
import json
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from oncoreach.accounts.models import User
from oncoreach.core.models import OutboundEmail
from oncoreach.people import services
from oncoreach.people.models import Affiliation, Inquiry
from tests.factories.accounts import UserFactory
from tests.factories.geo import CountryFactory
from tests.factories.people import AffiliationFactory, InquiryFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def country(db):
    return CountryFactory(iso3="NPL", iso2="NP", name="Nepal", slug="nepal")


def _signup_data(country, **overrides):
    data = {
        "email": "sita@example.org",
        "given_name": "Sita",
        "family_name": "Sharma",
        "password": "a sturdy passphrase 42",
        "country_of_practice": str(country.pk),
        "consent": "on",
    }
    data.update(overrides)
    return data


# --- sign-up -------------------------------------------------------------------------------------------


def test_signup_page_shows_an_accessible_form(client, country):
    response = client.get(reverse("people:signup"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_email"' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_signup_creates_an_unconfirmed_account_and_redirects(client, country):
    response = client.post(reverse("people:signup"), _signup_data(country))

    user = User.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("people:signup-done"))
    assert (user.email, user.email_confirmed, user.person.full_name) == ("sita@example.org", False, "Sita Sharma")
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["sita@example.org"]


def test_signup_for_a_registered_address_looks_exactly_like_a_new_one(client, country):
    UserFactory(email="sita@example.org")

    response = client.post(reverse("people:signup"), _signup_data(country))

    assert (response.status_code, response["Location"]) == (302, reverse("people:signup-done"))
    assert User.objects.count() == 1
    assert list(OutboundEmail.objects.values_list("subject", flat=True)) == ["You already have an account"]


def test_signup_shows_field_errors_and_creates_nothing(client, country):
    response = client.post(reverse("people:signup"), _signup_data(country, password="12345", consent=""))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_password_error"' in html
    assert 'aria-invalid="true"' in html
    assert sorted(response.context["form"].errors) == ["consent", "password"]
    assert User.objects.count() == 0


def test_signup_sends_a_signed_in_user_to_the_dashboard(client, member):
    client.force_login(member)

    response = client.get(reverse("people:signup"))

    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))


def test_signup_done_page_is_public(client):
    response = client.get(reverse("people:signup-done"))

    assert (response.status_code, response.oncoreach_public) == (200, True)


def test_confirm_email_link_confirms_and_sends_to_sign_in(client, country):
    user = services.register_person(
        email="sita@example.org",
        given_name="Sita",
        family_name="",
        password="a sturdy passphrase 42",
        country_of_practice=country,
        consent=True,
    ).user

    response = client.get(reverse("people:confirm-email", args=[services.make_confirmation_token(user=user)]))

    user.refresh_from_db()
    assert (response.status_code, response["Location"], user.email_confirmed) == (
        302,
        reverse("accounts:login"),
        True,
    )


def test_confirm_email_with_a_bad_link_explains_and_offers_a_new_one(client, db):
    response = client.get(reverse("people:confirm-email", args=["nonsense:abc:def"]))

    assert response.status_code == 400
    assert response.context["expired"] is False
    assert reverse("people:resend-confirmation") in response.content.decode()


def test_resend_confirmation_answers_the_same_for_any_address(client, db):
    UserFactory(email="waiting@example.org", email_confirmed=False)

    responses = [
        client.post(reverse("people:resend-confirmation"), {"email": email})
        for email in ("waiting@example.org", "nobody@example.org")
    ]

    assert [(r.status_code, r["Location"]) for r in responses] == [(302, reverse("people:signup-done"))] * 2
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["waiting@example.org"]


def test_resend_confirmation_is_limited_per_address_for_any_address(client, db, settings):
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 2
    UserFactory(email="waiting@example.org", email_confirmed=False)

    def resend(email, n):
        return client.post(reverse("people:resend-confirmation"), {"email": email}, REMOTE_ADDR=f"203.0.113.{n}")

    known = [resend("waiting@example.org", n).status_code for n in range(3)]
    unknown = [resend("nobody@example.org", n).status_code for n in range(3)]
    refused = resend("WAITING@example.org", 9)

    assert known == unknown == [302, 302, 429]
    assert refused.status_code == 429
    assert "Please wait up to an hour, then try again." in refused.content.decode()
    assert OutboundEmail.objects.filter(to="waiting@example.org").count() == 1  # one per window anyway


def test_resend_confirmation_is_limited_per_client(client, db, settings):
    settings.EMAIL_LINK_LIMIT_PER_CLIENT = 2

    statuses = [
        client.post(reverse("people:resend-confirmation"), {"email": f"p{n}@example.org"}).status_code for n in range(3)
    ]

    assert statuses == [302, 302, 429]


def test_signup_counts_against_the_confirmation_limit(client, country, settings):
    """Signing up again with an address re-sends its mail: limited like the re-send page."""
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 2

    statuses = [client.post(reverse("people:signup"), _signup_data(country)).status_code for _ in range(3)]
    resend = client.post(reverse("people:resend-confirmation"), {"email": "sita@example.org"})

    assert (statuses, resend.status_code) == ([302, 302, 429], 429)
    assert User.objects.count() == 1


# --- dashboard and profile --------------------------------------------------------------------------


def test_dashboard_refuses_anonymous_visitors(client, db):
    response = client.get(reverse("people:dashboard"))

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("accounts:login") + "?next=" + reverse("people:dashboard"),
    )


def test_dashboard_shows_a_member_their_profile_and_roles_but_no_staff_links(client, volunteer):
    client.force_login(volunteer)

    response = client.get(reverse("people:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["roles"] == ["Member", "Volunteer"]
    assert reverse("people:profile-edit") in html
    assert reverse("people:person-list") not in html
    assert response.context["cms_url"] is None


def test_dashboard_links_my_courses(client, member):
    client.force_login(member)

    html = client.get(reverse("people:dashboard")).content.decode()

    assert f'<a href="{reverse("workshops:my-courses")}">My courses</a>' in html


def test_dashboard_hides_write_a_story_from_people_who_may_not_write_one(client, member, volunteer):
    client.force_login(member)
    assert reverse("stories:write") not in client.get(reverse("people:dashboard")).content.decode()

    client.force_login(volunteer)
    assert reverse("stories:write") in client.get(reverse("people:dashboard")).content.decode()


def test_dashboard_shows_applications_to_review_only_to_reviewers(client, member):
    from tests.factories.calls import ReviewAssignmentFactory

    client.force_login(member)
    assert reverse("calls:review-list") not in client.get(reverse("people:dashboard")).content.decode()

    ReviewAssignmentFactory(reviewer=member.person)
    assert reverse("calls:review-list") in client.get(reverse("people:dashboard")).content.decode()


def test_dashboard_shows_program_staff_their_staff_links(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("people:dashboard"))

    html = response.content.decode()
    assert response.context["roles"] == ["Member", "Program staff"]
    assert reverse("people:person-list") in html
    assert reverse("wagtailadmin_home") in html


def test_dashboard_works_for_a_login_without_a_person(client, db):
    user = UserFactory(email="bare@example.org")
    client.force_login(user)

    response = client.get(reverse("people:dashboard"))

    assert (response.status_code, response.context["person"]) == (200, None)


def test_profile_edit_saves_and_updates_the_login(client, member, country):
    client.force_login(member)
    data = {
        "given_name": "Mina",
        "family_name": "Magar",
        "country_of_practice": str(country.pk),
        "languages": ["ne", "en"],
        "time_zone": "Asia/Kathmandu",
        "orcid": "0000-0002-1825-0097",
        "bio": "Medical oncologist in Kathmandu.",
        "preferred_language": "es",
        "new_organization_name": "B.P. Koirala Memorial Cancer Hospital",
        "new_organization_city": "Bharatpur",
    }

    response = client.post(reverse("people:profile-edit"), data)

    member.refresh_from_db()
    person = member.person
    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))
    assert (person.full_name, person.languages, person.country_of_practice) == ("Mina Magar", ["ne", "en"], country)
    assert (member.display_name, member.time_zone, member.preferred_language) == (
        "Mina Magar",
        "Asia/Kathmandu",
        "es",
    )
    assert list(Affiliation.objects.values_list("organization__name", "is_primary")) == [
        ("B.P. Koirala Memorial Cancer Hospital", True)
    ]


def test_profile_edit_refuses_a_bad_orcid_and_an_unknown_time_zone(client, member):
    client.force_login(member)

    response = client.post(
        reverse("people:profile-edit"),
        {"given_name": "Mina", "orcid": "0000-0002-1825-0098", "time_zone": "Mars/Base", "preferred_language": "en"},
    )

    member.person.refresh_from_db()
    assert response.status_code == 200
    assert sorted(response.context["form"].errors) == ["orcid", "time_zone"]
    assert member.person.orcid == ""


def test_profile_edit_page_stays_under_the_weight_budget_with_every_country(client, member, reference_data):
    client.force_login(member)

    response = client.get(reverse("people:profile-edit"))

    html = response.content.decode()
    assert len(response.content) < 50 * 1024, len(response.content)
    assert '<input type="text" name="time_zone"' in html
    assert '<label for="id_time_zone">' in html


def test_profile_edit_takes_a_typed_city_as_the_time_zone(client, member):
    client.force_login(member)

    response = client.post(
        reverse("people:profile-edit"), {"given_name": "Mina", "time_zone": "kathmandu", "preferred_language": "en"}
    )

    member.refresh_from_db()
    assert response.status_code == 302
    assert member.time_zone == "Asia/Kathmandu"


def test_profile_edit_refuses_anonymous_visitors(client, db):
    response = client.get(reverse("people:profile-edit"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- affiliations ---------------------------------------------------------------------------------------


def test_affiliations_page_adds_an_existing_organization(client, member):
    organization = OrganizationFactory(country=member.person.country_of_practice)
    client.force_login(member)

    response = client.post(reverse("people:affiliations"), {"organization": organization.pk, "title": "Fellow"})

    assert (response.status_code, response["Location"]) == (302, reverse("people:affiliations"))
    assert list(member.person.affiliations.values_list("organization", "title", "is_primary")) == [
        (organization.pk, "Fellow", True)
    ]


def test_affiliations_page_refuses_an_empty_choice(client, member):
    client.force_login(member)

    response = client.post(reverse("people:affiliations"), {})

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["organization"])


def test_affiliation_make_primary_and_remove(client, member):
    first = AffiliationFactory(person=member.person, is_primary=True)
    second = AffiliationFactory(person=member.person, is_primary=False)
    client.force_login(member)

    client.post(reverse("people:affiliation-primary", args=[second.pk]))
    client.post(reverse("people:affiliation-remove", args=[first.pk]))

    assert list(member.person.affiliations.values_list("pk", "is_primary")) == [(second.pk, True)]


def test_affiliation_of_someone_else_is_not_found(client, member, outsider):
    theirs = AffiliationFactory(person=outsider.person)
    client.force_login(member)

    responses = [
        client.post(reverse("people:affiliation-remove", args=[theirs.pk])),
        client.post(reverse("people:affiliation-primary", args=[theirs.pk])),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    assert Affiliation.objects.filter(pk=theirs.pk).exists() is True


def test_affiliation_remove_refuses_get(client, member):
    affiliation = AffiliationFactory(person=member.person)
    client.force_login(member)

    response = client.get(reverse("people:affiliation-remove", args=[affiliation.pk]))

    assert response.status_code == 405


# --- my data -------------------------------------------------------------------------------------------------


def test_my_data_downloads_only_the_persons_own_data(client, member, outsider):
    AffiliationFactory(person=member.person, title="Consultant")
    InquiryFactory(email=member.email, message="Mine")
    InquiryFactory(email=outsider.email, message="Not mine")
    client.force_login(member)

    response = client.get(reverse("people:my-data"))

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert (data["account"]["email"], data["person"]["given_name"]) == ("member@example.org", "Mina")
    assert [a["title"] for a in data["affiliations"]] == ["Consultant"]
    assert [i["message"] for i in data["inquiries"]] == ["Mine"]


def test_my_data_refuses_anonymous_visitors(client, db):
    response = client.get(reverse("people:my-data"))

    assert response.status_code == 302


# --- get involved ---------------------------------------------------------------------------------------------


def _inquiry_data(token, **overrides):
    data = {
        "name": "Ines Inquirer",
        "email": "ines@example.org",
        "topic": "volunteer",
        "message": "I can teach palliative care.",
        "token": str(token),
        "website": "",
    }
    data.update(overrides)
    return data


def test_get_involved_page_has_a_csrf_form_and_is_not_cached_publicly(client, db):
    response = client.get(reverse("people:get-involved"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="token"' in html
    assert getattr(response, "oncoreach_public", False) is False


def test_get_involved_records_notifies_and_redirects(client, coordinator, settings, django_capture_on_commit_callbacks):
    settings.STAFF_NOTIFICATION_EMAILS = ["team@example.org"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:get-involved"), _inquiry_data(uuid.uuid4()))

    inquiry = Inquiry.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("people:get-involved-thanks"))
    assert (inquiry.name, inquiry.topic, inquiry.person) == ("Ines Inquirer", "volunteer", None)
    assert sorted(m.to[0] for m in mail.outbox) == ["coordinator@example.org", "team@example.org"]


def test_get_involved_links_a_signed_in_person(client, member):
    client.force_login(member)

    client.post(reverse("people:get-involved"), _inquiry_data(uuid.uuid4()))

    assert Inquiry.objects.get().person == member.person


def test_get_involved_double_submit_records_one_inquiry(client, db):
    token = uuid.uuid4()

    responses = [client.post(reverse("people:get-involved"), _inquiry_data(token)) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert Inquiry.objects.count() == 1


def test_get_involved_honeypot_pretends_success_and_records_nothing(client, db):
    response = client.post(reverse("people:get-involved"), _inquiry_data(uuid.uuid4(), website="http://spam"))

    assert (response.status_code, response["Location"]) == (302, reverse("people:get-involved-thanks"))
    assert Inquiry.objects.count() == 0


def test_get_involved_shows_errors_and_records_nothing(client, db):
    response = client.post(reverse("people:get-involved"), _inquiry_data(uuid.uuid4(), email="not-an-address"))

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["email"])
    assert Inquiry.objects.count() == 0


def test_get_involved_thanks_page_is_public(client, db):
    response = client.get(reverse("people:get-involved-thanks"))

    assert (response.status_code, response.oncoreach_public) == (200, True)


# --- staff lists --------------------------------------------------------------------------------------------------


STAFF_PAGES = [
    "people:person-list",
    "people:person-export",
    "people:organization-list",
    "people:organization-export",
    "people:inquiry-list",
]


@pytest.mark.parametrize("url_name", STAFF_PAGES)
def test_staff_pages_refuse_members_and_editors(client, member, editor, url_name):
    for user in (member, editor):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("url_name", STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_person_list_filters_by_country_specialty_and_membership(client, coordinator, country):
    match = PersonFactory(
        given_name="Asha", country_of_practice=country, specialty="pathology", membership_status="active"
    )
    PersonFactory(given_name="Bina", country_of_practice=country, specialty="pathology", membership_status="none")
    PersonFactory(given_name="Chandra", specialty="pathology", membership_status="active")
    client.force_login(coordinator)

    response = client.get(
        reverse("people:person-list"), {"country": "NPL", "specialty": "pathology", "membership": "active"}
    )

    assert list(response.context["page"]) == [match]
    assert "country=NPL" in response.context["query"]


def test_person_export_downloads_what_the_filters_show(client, coordinator, country):
    match = PersonFactory(given_name="=Asha", family_name="Rai", country_of_practice=country)
    AffiliationFactory(person=match, organization=OrganizationFactory(name="Bir Hospital"))
    PersonFactory(given_name="Bina")
    client.force_login(coordinator)

    response = client.get(reverse("people:person-export"), {"country": "NPL"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:3] == ["id", "given_name", "family_name"]
    assert [(row[1], row[2], row[4], row[9]) for row in rows[1:]] == [("'=Asha", "Rai", "NPL", "Bir Hospital")]


def test_organization_list_searches_and_exports(client, coordinator, country):
    match = OrganizationFactory(name="Bir Hospital", city="Kathmandu", country=country)
    OrganizationFactory(name="Other Centre", city="Lima")
    AffiliationFactory(organization=match)
    client.force_login(coordinator)

    listed = client.get(reverse("people:organization-list"), {"q": "kathmandu"})
    exported = client.get(reverse("people:organization-export"), {"q": "kathmandu"})

    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert list(listed.context["page"]) == [match]
    assert [(row[1], row[4], row[7]) for row in rows[1:]] == [("Bir Hospital", "NPL", "1")]


def test_inquiry_list_shows_inquiries_to_staff(client, coordinator):
    newer = InquiryFactory()
    older = InquiryFactory()
    Inquiry.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2020))
    client.force_login(coordinator)

    response = client.get(reverse("people:inquiry-list"))

    assert list(response.context["page"]) == [newer, older]


@pytest.mark.parametrize("count", [1, 3])
def test_person_list_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        AffiliationFactory(person=PersonFactory())
    client.force_login(coordinator)

    # session, user, groups, countries for the filter, count, page, primary affiliations
    with django_assert_num_queries(7):
        response = client.get(reverse("people:person-list"))

    assert len(response.context["page"]) == count + 1  # plus the coordinator


@pytest.mark.parametrize("count", [1, 3])
def test_organization_list_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        OrganizationFactory()
    client.force_login(coordinator)

    # session, user, groups, count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("people:organization-list"))

    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_inquiry_list_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        InquiryFactory(country=CountryFactory())
    client.force_login(coordinator)

    # session, user, groups, count, page
    with django_assert_num_queries(5):
        response = client.get(reverse("people:inquiry-list"))

    assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_person_export_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        AffiliationFactory(person=PersonFactory())
    client.force_login(coordinator)

    # session, user, groups, people, primary affiliations
    with django_assert_num_queries(5):
        response = client.get(reverse("people:person-export"))
        rows = b"".join(response.streaming_content).decode().splitlines()

    assert len(rows) == count + 2  # header, the people, and the coordinator


def test_signup_confirm_and_sign_in_end_to_end(client, country, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:signup"), _signup_data(country))
    refused = client.post(
        reverse("accounts:login"), {"username": "sita@example.org", "password": "a sturdy passphrase 42"}
    )
    link = next(line for line in mail.outbox[0].body.splitlines() if "/people/confirm/" in line)

    client.get(link.split("127.0.0.1:8000", 1)[1])
    accepted = client.post(
        reverse("accounts:login"), {"username": "sita@example.org", "password": "a sturdy passphrase 42"}
    )

    assert (refused.status_code, accepted.status_code, accepted["Location"]) == (
        200,
        302,
        reverse("people:dashboard"),
    )


def test_confirm_email_with_an_expired_link_offers_a_new_one(client, country):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        user = services.register_person(
            email="sita@example.org",
            given_name="Sita",
            family_name="",
            password="a sturdy passphrase 42",
            country_of_practice=country,
            consent=True,
        ).user
        token = services.make_confirmation_token(user=user)
    with time_machine.travel(dt.datetime(2026, 3, 5, 12, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("people:confirm-email", args=[token]))

    user.refresh_from_db()
    assert (response.status_code, response.context["expired"], user.email_confirmed) == (400, True, False)
    assert "This confirmation link has expired." in response.content.decode()


def test_profile_form_ties_fieldset_errors_to_the_group(client, member):
    client.force_login(member)

    response = client.post(
        reverse("people:profile-edit"), {"given_name": "Mina", "languages": ["xx"], "preferred_language": "en"}
    )

    html = response.content.decode()
    assert list(response.context["form"].errors) == ["languages"]
    assert '<fieldset class="field" aria-describedby="id_languages_error">' in html


def test_dashboard_shows_an_editor_the_cms_link_but_not_the_people_lists(client, editor):
    client.force_login(editor)

    response = client.get(reverse("people:dashboard"))

    assert (response.context["cms_url"], response.context["is_people_staff"]) == (reverse("wagtailadmin_home"), False)
    assert response.context["roles"] == ["Member", "Editor"]


def test_affiliations_page_lists_only_the_persons_own_affiliations(client, member, outsider):
    mine = AffiliationFactory(person=member.person, organization=OrganizationFactory(name="Mine Hospital"))
    AffiliationFactory(person=outsider.person, organization=OrganizationFactory(name="Their Hospital"))
    client.force_login(member)

    response = client.get(reverse("people:affiliations"))

    assert list(response.context["affiliations"]) == [mine]


def test_resend_confirmation_page_renders_a_form(client, db):
    response = client.get(reverse("people:resend-confirmation"))

    assert (response.status_code, list(response.context["form"].fields)) == (200, ["email"])


def test_affiliations_page_offers_only_organizations_in_the_country_of_practice(client, member):
    here = OrganizationFactory(country=member.person.country_of_practice)
    OrganizationFactory()  # elsewhere
    client.force_login(member)

    response = client.get(reverse("people:affiliations"))

    assert list(response.context["form"].fields["organization"].queryset) == [here]


def _spanish_catalogue_compiled():
    from pathlib import Path

    from django.conf import settings

    return any((Path(path) / "es" / "LC_MESSAGES" / "django.mo").exists() for path in settings.LOCALE_PATHS)


@pytest.mark.skipif(not _spanish_catalogue_compiled(), reason="run `make messages` to compile translations")
def test_signup_page_speaks_spanish_under_es(client, db):
    with translation.override("en"):  # restores the language afterwards, so later tests read English
        response = client.get(reverse("people:signup").replace("/en/", "/es/", 1))

    html = response.content.decode()
    assert "<h1>Crear una cuenta</h1>" in html
    assert "País donde ejerce" in html


def test_affiliations_page_shows_a_service_refusal_on_the_form(client, db):
    user = UserFactory(email="nocountry@example.org")
    PersonFactory(user=user, country_of_practice=None)
    client.force_login(user)

    response = client.post(reverse("people:affiliations"), {"new_organization_name": "Somewhere"})

    assert response.status_code == 200
    with translation.override("en"):  # the message is lazy; read it in English
        assert response.context["form"].errors["organization"] == [
            "Set your country of practice first: a new organization is created there."
        ]


def test_dashboard_links_awards_and_mentoring_for_everyone(client, member):
    """The login table sends applicants to their award offers and mentees to virtual mentoring:
    a newcomer finds both from "My account", not by typing the address."""
    client.force_login(member)

    html = client.get(reverse("people:dashboard")).content.decode()

    assert f'href="{reverse("awards:my-offers")}"' in html
    assert f'href="{reverse("mentoring:home")}"' in html
    assert f'href="{reverse("awards:directory")}"' in html
    assert f'href="{reverse("awards:grant-list")}"' not in html
    assert f'href="{reverse("mentoring:staff-cycles")}"' not in html


def test_dashboard_links_program_staff_to_grants_and_mentoring_rounds(client, coordinator):
    """Staff's daily awards and mentoring work starts from their dashboard (never the Django admin)."""
    client.force_login(coordinator)

    html = client.get(reverse("people:dashboard")).content.decode()

    assert f'href="{reverse("awards:grant-list")}"' in html
    assert f'href="{reverse("mentoring:staff-cycles")}"' in html
