"""Rules shared by the Person model, the profile form and the API."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoreach.people.enums import BIRTH_YEAR_MIN, BIRTH_YEAR_MIN_AGE, LANGUAGE_CODES

ORCID_FORMAT = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
DOI_FORMAT = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def normalize_doi(value: str) -> str:
    """A DOI as stored and compared: without a resolver prefix, in lower case (DOIs are case-blind)."""
    doi = value.strip()
    for prefix in _DOI_PREFIXES:
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
            break
    return doi.strip().lower()


def validate_doi(value: str) -> None:
    if not DOI_FORMAT.match(normalize_doi(value)):
        raise ValidationError(_("A DOI looks like 10.1200/JCO.2024.42.16_suppl.1"), code="doi_format")


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_orcid(value: str) -> None:
    """An ORCID iD must look right *and* carry the right check digit, so typos are caught."""
    if not ORCID_FORMAT.match(value):
        raise ValidationError(_("An ORCID iD looks like 0000-0002-1825-0097."), code="orcid_format")
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            _("This ORCID iD has a typo: its last character does not match the others. Copy it from orcid.org."),
            code="orcid_checksum",
        )


@cache
def time_zone_names() -> tuple[str, ...]:
    """Time zones people can pick: the IANA names, without legacy aliases like 'posixrules'."""
    names = {name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/")}
    names.add("UTC")
    return tuple(sorted(names))


def validate_time_zone(value: str) -> None:
    if value and value not in time_zone_names():
        raise ValidationError(_("Choose a time zone from the list."), code="time_zone")


def _same_clock(names: list[str]) -> bool:
    """Whether the zones show the same time in January and July (a fixed year: no clock read)."""
    moments = [dt.datetime(2025, 1, 15, 12, tzinfo=dt.UTC), dt.datetime(2025, 7, 15, 12, tzinfo=dt.UTC)]
    offsets = {tuple(moment.astimezone(zoneinfo.ZoneInfo(name)).utcoffset() for moment in moments) for name in names}
    return len(offsets) == 1


def parse_time_zone(value: str) -> str:
    """The IANA name a person typed, found without regard to case or spaces; a city alone
    ("Nairobi", "sao paulo") is enough when only one zone ends with it. Empty stays empty."""
    typed = " ".join(value.split())
    if not typed:
        return ""
    key = typed.replace(" ", "_").casefold()
    names = time_zone_names()
    exact = [name for name in names if name.casefold() == key]
    if exact:
        return exact[0]
    by_city = [name for name in names if name.rsplit("/", 1)[-1].casefold() == key]
    if len(by_city) == 1 or (by_city and _same_clock(by_city)):
        # Aliases (Asia/Istanbul, Europe/Istanbul) keep the same clock: take the fullest name.
        return max(by_city, key=lambda name: (len(name), name))
    if by_city:
        raise ValidationError(
            _("“%(value)s” matches several time zones: %(names)s. Type the full name."),
            code="time_zone_ambiguous",
            params={"value": typed, "names": ", ".join(by_city)},
        )
    raise ValidationError(
        _("“%(value)s” is not a time zone we know. Type a name like Africa/Nairobi, or the largest city near you."),
        code="time_zone",
        params={"value": typed},
    )


def validate_language_codes(value: list[str]) -> None:
    if not isinstance(value, list) or any(code not in LANGUAGE_CODES for code in value):
        raise ValidationError(_("Choose languages from the list."), code="languages")


def latest_birth_year() -> int:
    """The latest year of birth accepted this year (someone at least BIRTH_YEAR_MIN_AGE years old)."""
    return timezone.now().year - BIRTH_YEAR_MIN_AGE


def validate_birth_year(value: int | None) -> None:
    """A four-digit year from 1900 up to 16 years ago: a typo (1069, 2042, a training year) is caught."""
    if value is None:
        return
    if value < BIRTH_YEAR_MIN or value > latest_birth_year():
        raise ValidationError(
            _("Enter the year of birth as four digits, between %(first)d and %(last)d.")
            % {"first": BIRTH_YEAR_MIN, "last": latest_birth_year()},
            code="birth_year",
        )
