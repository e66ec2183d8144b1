import datetime as dt

import factory

from oncoreach.geo.models import ClassificationImport, Country, IncomeClassification


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: f"X{n // 26 % 26 + 65:c}{n % 26 + 65:c}")
    # A letter and a digit: never a real ISO alpha-2 code, so factories and the shipped
    # reference data (tests.geo.conftest.reference_data) can share one database.
    iso2 = factory.Sequence(lambda n: f"{n // 10 % 26 + 65:c}{n % 10}")
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


class ClassificationImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassificationImport

    imported_by = None
    file_name = factory.Sequence(lambda n: f"CLASS_{n}.xlsx")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    fiscal_years = factory.LazyFunction(lambda: [2027])
    added = 0
    changed = 1
    unchanged = 217
    changes = factory.LazyFunction(
        lambda: [{"iso3": "CRI", "country": "Costa Rica", "fiscal_year": 2027, "old": "UM", "new": "H"}]
    )
