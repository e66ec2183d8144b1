import pytest
from django.core.exceptions import ValidationError

from oncoreach.people.validators import (
    orcid_check_digit,
    parse_time_zone,
    time_zone_names,
    validate_language_codes,
    validate_orcid,
    validate_time_zone,
)

pytestmark = [pytest.mark.unit]


@pytest.mark.parametrize("orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"])
def test_validate_orcid_accepts_real_identifiers(orcid):
    assert validate_orcid(orcid) is None


def test_orcid_check_digit_is_iso_7064_mod_11_2():
    assert [orcid_check_digit("000000021825009"), orcid_check_digit("000000021694233")] == ["7", "X"]


@pytest.mark.parametrize(
    ("orcid", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1694-2330", "orcid_checksum"),
        ("0000-0002-1825-009", "orcid_format"),
        ("0000000218250097", "orcid_format"),
        ("https://orcid.org/0000-0002-1825-0097", "orcid_format"),
    ],
)
def test_validate_orcid_refuses_typos_and_bad_formats(orcid, code):
    with pytest.raises(ValidationError) as caught:
        validate_orcid(orcid)

    assert caught.value.code == code


def test_time_zone_names_are_sorted_iana_names_with_utc():
    names = time_zone_names()

    assert (list(names) == sorted(names), "UTC" in names, "Africa/Nairobi" in names, "posixrules" in names) == (
        True,
        True,
        True,
        False,
    )


def test_validate_time_zone_refuses_unknown_names():
    assert validate_time_zone("America/Bogota") is None
    with pytest.raises(ValidationError):
        validate_time_zone("Mars/Olympus_Mons")


def test_validate_language_codes_refuses_codes_not_in_the_list():
    assert validate_language_codes(["en", "sw"]) is None
    with pytest.raises(ValidationError):
        validate_language_codes(["en", "xx"])


def test_parse_time_zone_finds_the_zone_by_name_or_city_in_any_case():
    assert parse_time_zone(" africa/nairobi ") == "Africa/Nairobi"
    assert parse_time_zone("Nairobi") == "Africa/Nairobi"
    assert parse_time_zone("sao paulo") == "America/Sao_Paulo"
    assert parse_time_zone("Istanbul") == "Europe/Istanbul"  # two aliases, one clock
    assert parse_time_zone("") == ""


def test_parse_time_zone_refuses_unknown_and_ambiguous_names_specifically():
    with pytest.raises(ValidationError) as unknown:
        parse_time_zone("Mars/Base")
    with pytest.raises(ValidationError) as ambiguous:
        parse_time_zone("West")  # Australia/West and Brazil/West keep different clocks
    assert unknown.value.code == "time_zone"
    assert ambiguous.value.code == "time_zone_ambiguous"
    assert "Australia/West" in ambiguous.value.messages[0]
