"""Typed query parameters shared by every endpoint, so filters validate the same way everywhere.

Use them in an endpoint's input schema (``Query[...]``): a value out of range or in the wrong
format is refused with 422 and the field named; a parameter the endpoint does not know is refused
with 400 ``unknown_parameter`` (the API app checks that for every endpoint).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

YEAR_MIN = 1950
YEAR_MAX = 2100
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100

Year = Annotated[
    int,
    Field(ge=YEAR_MIN, le=YEAR_MAX, description=f"A calendar year from {YEAR_MIN} to {YEAR_MAX}."),
]
FiscalYear = Annotated[
    int,
    Field(
        ge=YEAR_MIN,
        le=YEAR_MAX,
        description="A World Bank fiscal year, named by the calendar year it ends in (FY2026 = July 2025–June 2026).",
    ),
]
Iso3 = Annotated[
    str,
    Field(pattern=r"^[A-Za-z]{3}$", description="An ISO 3166 alpha-3 country code, e.g. KEN.", examples=["KEN"]),
]
Slug = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]{1,120}$", description="A slug, as in the public URLs.")]
SearchText = Annotated[str, Field(min_length=1, max_length=200, description="Words to search for.")]
Cursor = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        pattern=r"^[A-Za-z0-9_:.-]+$",
        description="The `next_cursor` of the previous page, as given; leave it out for the first page.",
    ),
]
Limit = Annotated[
    int,
    Field(ge=1, le=PAGE_SIZE_MAX, description=f"Items per page, 1 to {PAGE_SIZE_MAX} (default {PAGE_SIZE_DEFAULT})."),
]
Id = Annotated[int, Field(ge=1, le=2**63 - 1, description="A numeric identifier, as given in a list.")]
