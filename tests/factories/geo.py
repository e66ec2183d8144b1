import datetime as dt

import factory

from oncoreach.geo.models import Country, IncomeClassification


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: f"X{n // 26 % 26 + 65:c}{n % 26 + 65:c}")
    iso2 = factory.LazyAttribute(lambda o: o.iso3[1:])
    name = factory.LazyAttribute(lambda o: f"Country {o.iso3}")
    slug = factory.LazyAttribute(lambda o: o.iso3.lower())
    region = "SSA"
    income_group = "LM"
    languages = factory.LazyFunction(lambda: ["en"])
    time_zone = "Africa/Nairobi"


class IncomeClassificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeClassification

    country = factory.SubFactory(CountryFactory)
    fiscal_year = 2026
    income_group = "LM"
    valid_from = factory.LazyAttribute(lambda o: dt.date(o.fiscal_year - 1, 7, 1))
    valid_to = factory.LazyAttribute(lambda o: dt.date(o.fiscal_year, 6, 30))
