import datetime as dt
import uuid

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from oncoreach.accounts.enums import StaffGroup
from oncoreach.accounts.models import User
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.people import services
from oncoreach.people.models import Affiliation, Inquiry, Organization, Person
from tests.factories.accounts import UserFactory
from tests.factories.geo import CountryFactory
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]

GOOD_PASSWORD = "a sturdy passphrase 42"


def _register(country, **overrides):
    arguments = {
        "email": "New.Person@Example.org",
        "given_name": "Nadia",
        "family_name": "Newcomer",
        "password": GOOD_PASSWORD,
        "country_of_practice": country,
        "consent": True,
        "language": "es",
    }
    arguments.update(overrides)
    return services.register_person(**arguments)


@pytest.fixture
def country(db):
    return CountryFactory(iso3="KEN", iso2="KE", name="Kenya", slug="kenya")


# --- register_person ------------------------------------------------------------------------------


def test_register_person_creates_unconfirmed_user_person_and_confirmation_email(country):
    registration = _register(country)

    user = registration.user
    person = Person.objects.get(user=user)
    assert registration.created is True
    assert (user.email, user.email_confirmed, user.is_active, user.preferred_language) == (
        "new.person@example.org",
        False,
        True,
        "es",
    )
    assert user.check_password(GOOD_PASSWORD) is True
    assert (person.full_name, person.country_of_practice, person.email) == (
        "Nadia Newcomer",
        country,
        "new.person@example.org",
    )
    assert person.privacy_consent_at is not None
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["people.registered"]
    outbox = list(OutboundEmail.objects.all())
    assert [(m.to, m.language) for m in outbox] == [("new.person@example.org", "es")]
    assert "/es/people/confirm/" in outbox[0].body_text


def test_register_person_refuses_without_consent(country):
    with pytest.raises(ValidationError) as caught:
        _register(country, consent=False)

    assert list(caught.value.message_dict) == ["consent"]
    assert User.objects.count() == 0


def test_register_person_refuses_weak_password_whether_or_not_the_address_exists(country):
    UserFactory(email="taken@example.org")

    for email in ("taken@example.org", "free@example.org"):
        with pytest.raises(ValidationError) as caught:
            _register(country, email=email, password="password")
        assert list(caught.value.message_dict) == ["password"]
    assert OutboundEmail.objects.count() == 0


def test_register_person_for_confirmed_address_tells_the_owner_and_creates_nothing(country):
    owner = UserFactory(email="taken@example.org", email_confirmed=True)

    registration = _register(country, email="Taken@example.org")

    assert (registration.user, registration.created) == (owner, False)
    assert User.objects.count() == 1
    assert Person.objects.count() == 0
    assert list(OutboundEmail.objects.values_list("to", "subject")) == [
        ("taken@example.org", "You already have an account")
    ]


def test_register_person_twice_creates_one_account_and_one_email(country):
    first = _register(country, language="en")
    second = _register(country, language="en")

    assert (second.user, second.created) == (first.user, False)
    assert User.objects.count() == 1
    assert Person.objects.count() == 1
    # The repeated submit falls in the same e-mail window, so only one link is queued.
    assert list(OutboundEmail.objects.values_list("subject", flat=True)) == ["Confirm your e-mail address"]


# --- confirm_email ---------------------------------------------------------------------------------


def test_confirm_email_confirms_and_audits(country):
    user = _register(country).user
    token = services.make_confirmation_token(user=user)

    confirmed = services.confirm_email(token=token)

    user.refresh_from_db()
    assert (confirmed, user.email_confirmed) == (user, True)
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "people.registered",
        "accounts.email_confirmed",
    ]


def test_confirm_email_twice_is_harmless(country):
    user = _register(country).user
    token = services.make_confirmation_token(user=user)
    services.confirm_email(token=token)

    services.confirm_email(token=token)

    assert AuditEvent.objects.filter(action="accounts.email_confirmed").count() == 1


def test_confirm_email_accepts_a_link_just_under_three_days_old(country):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        user = _register(country).user
        token = services.make_confirmation_token(user=user)
    with time_machine.travel(dt.datetime(2026, 3, 4, 11, 59, tzinfo=dt.UTC), tick=False):
        services.confirm_email(token=token)

    user.refresh_from_db()
    assert user.email_confirmed is True


def test_confirm_email_refuses_an_expired_link(country):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        user = _register(country).user
        token = services.make_confirmation_token(user=user)
    with (
        time_machine.travel(dt.datetime(2026, 3, 4, 12, 1, tzinfo=dt.UTC), tick=False),
        pytest.raises(services.ConfirmationError) as caught,
    ):
        services.confirm_email(token=token)

    user.refresh_from_db()
    assert (caught.value.expired, user.email_confirmed) == (True, False)


def test_confirm_email_refuses_a_tampered_link(country):
    user = _register(country).user
    token = services.make_confirmation_token(user=user)

    with pytest.raises(services.ConfirmationError) as caught:
        services.confirm_email(token=token[:-2] + "xx")

    assert caught.value.expired is False


def test_confirm_email_refuses_a_link_for_a_changed_address(country):
    user = _register(country).user
    token = services.make_confirmation_token(user=user)
    User.objects.filter(pk=user.pk).update(email="other@example.org")

    with pytest.raises(services.ConfirmationError):
        services.confirm_email(token=token)

    user.refresh_from_db()
    assert user.email_confirmed is False


def test_resend_confirmation_sends_only_to_unconfirmed_accounts(db):
    UserFactory(email="waiting@example.org", email_confirmed=False)
    UserFactory(email="done@example.org", email_confirmed=True)

    for email in ("waiting@example.org", "done@example.org", "nobody@example.org"):
        services.resend_confirmation(email=email)

    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["waiting@example.org"]


# --- update_profile ----------------------------------------------------------------------------------


def test_update_profile_saves_the_person_and_keeps_the_login_in_step(member, country):
    person = member.person

    services.update_profile(
        person=person,
        given_name="Mina",
        family_name="Mwangi",
        passport_name="MINA W MWANGI",
        country_of_practice=country,
        country_of_residence=country,
        specialty="radiation_oncology",
        career_stage="mid",
        training_completed_year=2012,
        languages=["sw", "en", "sw"],
        time_zone="Africa/Nairobi",
        orcid="0000-0002-1694-233x",
        bio="  Radiation oncologist.  ",
        preferred_language="fr",
    )

    person.refresh_from_db()
    member.refresh_from_db()
    assert (person.full_name, person.languages, person.orcid, person.bio) == (
        "Mina Mwangi",
        ["sw", "en"],
        "0000-0002-1694-233X",
        "Radiation oncologist.",
    )
    assert (member.display_name, member.time_zone, member.preferred_language) == (
        "Mina Mwangi",
        "Africa/Nairobi",
        "fr",
    )


def test_update_profile_refuses_a_bad_orcid_checksum(member):
    with pytest.raises(ValidationError) as caught:
        services.update_profile(person=member.person, given_name="Mina", family_name="", orcid="0000-0002-1694-2331")

    assert list(caught.value.message_dict) == ["orcid"]
    member.person.refresh_from_db()
    assert member.person.orcid == ""


def test_update_profile_with_a_new_organization_creates_it_as_primary_affiliation(member, country):
    services.update_profile(
        person=member.person,
        given_name="Mina",
        family_name="Member",
        country_of_practice=country,
        new_organization_name="  Kenyatta   National Hospital ",
        new_organization_city="Nairobi",
    )

    organization = Organization.objects.get()
    assert (organization.name, organization.city, organization.country) == (
        "Kenyatta National Hospital",
        "Nairobi",
        country,
    )
    assert list(Affiliation.objects.values_list("organization", "is_primary")) == [(organization.pk, True)]


def test_update_profile_creates_a_person_for_a_login_without_one(db):
    user = UserFactory(email="lonely@example.org")

    person = services.update_profile(person=Person(user=user), given_name="Lone", family_name="Admin")

    assert (person.pk is not None, person.email, person.user) == (True, "lonely@example.org", user)


# --- affiliations -------------------------------------------------------------------------------------


def test_add_affiliation_makes_the_first_one_primary_and_later_ones_not(member):
    first = services.add_affiliation(person=member.person, organization=OrganizationFactory())
    second = services.add_affiliation(person=member.person, organization=OrganizationFactory(), title="Consultant")

    assert [(a.pk, a.is_primary) for a in Affiliation.objects.order_by("id")] == [(first.pk, True), (second.pk, False)]
    assert second.title == "Consultant"


def test_add_affiliation_again_updates_instead_of_duplicating(member):
    organization = OrganizationFactory()
    services.add_affiliation(person=member.person, organization=organization)

    again = services.add_affiliation(person=member.person, organization=organization, title="Head of unit")

    assert list(Affiliation.objects.values_list("pk", "title")) == [(again.pk, "Head of unit")]


def test_add_affiliation_with_make_primary_moves_the_primary_flag(member):
    first = services.add_affiliation(person=member.person, organization=OrganizationFactory())
    second = services.add_affiliation(person=member.person, organization=OrganizationFactory(), make_primary=True)

    assert dict(Affiliation.objects.values_list("pk", "is_primary")) == {first.pk: False, second.pk: True}


def test_add_affiliation_reuses_a_typed_organization_that_exists(member):
    existing = OrganizationFactory(name="Aga Khan Hospital", city="Nairobi", country=member.person.country_of_practice)

    affiliation = services.add_affiliation(
        person=member.person, new_organization_name="aga khan hospital", new_organization_city="nairobi"
    )

    assert (affiliation.organization, Organization.objects.count()) == (existing, 1)


def test_add_affiliation_refuses_a_new_organization_without_country(db):
    person = PersonFactory(country_of_practice=None)

    with pytest.raises(ValidationError) as caught:
        services.add_affiliation(person=person, new_organization_name="Somewhere")

    assert list(caught.value.message_dict) == ["organization"]
    assert Organization.objects.count() == 0


def test_add_affiliation_refuses_nothing_chosen(member):
    with pytest.raises(ValidationError):
        services.add_affiliation(person=member.person)


def test_remove_primary_affiliation_promotes_the_oldest_remaining(member):
    primary = AffiliationFactory(person=member.person, is_primary=True)
    older = AffiliationFactory(person=member.person, is_primary=False)
    newer = AffiliationFactory(person=member.person, is_primary=False)

    services.remove_affiliation(affiliation=primary)

    assert dict(Affiliation.objects.values_list("pk", "is_primary")) == {older.pk: True, newer.pk: False}


def test_remove_secondary_affiliation_keeps_the_primary(member):
    primary = AffiliationFactory(person=member.person, is_primary=True)
    secondary = AffiliationFactory(person=member.person, is_primary=False)

    services.remove_affiliation(affiliation=secondary)

    assert list(Affiliation.objects.values_list("pk", "is_primary")) == [(primary.pk, True)]


# --- record_inquiry --------------------------------------------------------------------------------------


def _inquire(token, **overrides):
    arguments = {
        "name": "Ines Inquirer",
        "email": "Ines@Example.org",
        "topic": "host",
        "message": "We would like to host a course.",
        "submission_token": token,
    }
    arguments.update(overrides)
    return services.record_inquiry(**arguments)


def test_record_inquiry_saves_and_notifies_staff_after_commit(
    settings, coordinator, editor, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["team@example.org", "Coordinator@example.org"]
    UserFactory(email="retired@example.org", groups=[StaffGroup.PROGRAM_STAFF.value], is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        inquiry = _inquire(uuid.uuid4())

    assert (inquiry.email, inquiry.topic) == ("ines@example.org", "host")
    assert sorted(message.to[0] for message in mail.outbox) == ["coordinator@example.org", "team@example.org"]
    assert mail.outbox[0].subject == "New inquiry from Ines Inquirer: Host a course at my institution"


def test_record_inquiry_with_the_same_token_returns_the_first_and_notifies_once(
    coordinator, django_capture_on_commit_callbacks
):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = _inquire(token)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _inquire(token, message="A second, different message.")

    assert (second, Inquiry.objects.count(), len(callbacks)) == (first, 1, 0)
    assert [message.to for message in mail.outbox] == [["coordinator@example.org"]]


def test_record_inquiry_refuses_an_unknown_topic(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as caught:
        _inquire(uuid.uuid4(), topic="sell")

    assert list(caught.value.message_dict) == ["topic"]
    assert (Inquiry.objects.count(), mail.outbox) == (0, [])
