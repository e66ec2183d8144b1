import datetime as dt

import factory

from oncoreach.people.models import Affiliation, Inquiry, Membership, Organization, Person
from tests.factories.geo import CountryFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Cancer Centre {n}")
    kind = "hospital"
    country = factory.SubFactory(CountryFactory)
    city = "Capital City"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else f"{o.given_name.lower()}@example.org")
    user = None
    country_of_practice = factory.SubFactory(CountryFactory)
    country_of_residence = factory.SelfAttribute("country_of_practice")
    specialty = "medical_oncology"
    career_stage = "early"
    languages = factory.LazyFunction(lambda: ["en"])
    time_zone = "UTC"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    is_primary = True


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    name = factory.Sequence(lambda n: f"Inquirer {n}")
    email = factory.Sequence(lambda n: f"inquirer{n}@example.org")
    topic = "volunteer"
    message = "I would like to teach at a workshop."
    submission_token = factory.Faker("uuid4", cast_to=None)


class MembershipFactory(factory.django.DjangoModelFactory):
    """One membership period from the society's export (2026, regular member)."""

    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    member_number = factory.Sequence(lambda n: f"M{10000 + n}")
    category = "Regular"
    valid_from = dt.date(2026, 1, 1)
    valid_until = dt.date(2026, 12, 31)
