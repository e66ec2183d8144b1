import datetime as dt

import factory

from oncoreach.travel.models import Trip
from tests.factories.people import PersonFactory


class TripFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trip

    traveller = factory.SubFactory(PersonFactory)
    purpose = "annual_meeting"
    title = factory.Sequence(lambda n: f"Annual Meeting {2026 + n}")
    city = "Chicago"
    country = None
    start_date = dt.date(2027, 5, 30)
    end_date = dt.date(2027, 6, 3)
    visa_letter_needed = True
