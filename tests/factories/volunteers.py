import datetime as dt

import factory

from oncoreach.volunteers.models import ActivityLog, VolunteerAvailability, VolunteerProfile
from tests.factories.people import PersonFactory


class VolunteerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerProfile
        django_get_or_create = ("person",)

    person = factory.SubFactory(PersonFactory, is_volunteer=True)
    roles = factory.LazyFunction(lambda: ["faculty"])
    specialty = factory.SelfAttribute("person.specialty")
    expertise = factory.LazyFunction(list)
    max_trips_per_year = 2


class VolunteerAvailabilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerAvailability

    profile = factory.SubFactory(VolunteerProfileFactory)
    start = dt.date(2027, 1, 1)
    end = dt.date(2027, 12, 31)


class ActivityLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityLog

    person = factory.SubFactory(PersonFactory)
    kind = "teaching"
    date = dt.date(2026, 5, 1)
    hours = 8
