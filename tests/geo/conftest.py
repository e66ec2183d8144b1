"""Fixtures for geo tests, and `reference_data` for any test that needs real countries."""

import pytest

from oncoreach.geo.services import load_reference_data


@pytest.fixture
def reference_data(db):
    """The shipped countries and World Bank history (FY1989–FY2026), loaded in about 0.3 s.

    Returns the LoadReport. Countries are then looked up by ISO code, e.g.
    ``Country.objects.get(iso3="NGA")``.
    """
    return load_reference_data()
