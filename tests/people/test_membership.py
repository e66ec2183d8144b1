"""Membership records from the society's export: the import service and command, the status that
follows the records, and ``is_member_on``."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from oncoreach.core.models import AuditEvent
from oncoreach.people.models import Membership, MembershipImport, Person
from oncoreach.people.selectors import is_member_on
from oncoreach.people.services_membership import import_memberships, refresh_membership_status, sync_membership_status
from tests.factories.accounts import UserFactory
from tests.factories.people import MembershipFactory, PersonFactory

pytestmark = [pytest.mark.integration]

HEADER = "member_number,email,given_name,family_name,category,valid_from,valid_until\n"


def _csv(*rows):
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def _import(data, **kwargs):
    return import_memberships(file=data, file_name="members.csv", actor=None, **kwargs)


def _records(person):
    return list(
        Membership.objects.filter(person=person)
        .order_by("valid_from")
        .values_list("member_number", "category", "valid_from", "valid_until")
    )


@pytest.fixture
def confirmed_person(db):
    return PersonFactory(user=UserFactory(email="ana@example.org", email_confirmed=True), given_name="Ana")


def _nothing_written():
    return (Membership.objects.count(), MembershipImport.objects.count(), AuditEvent.objects.count())


# --- matching and reporting ---------------------------------------------------------------------------------


def test_rows_find_people_by_member_number_then_verified_email_and_report_the_rest(confirmed_person):
    known = MembershipFactory(member_number="M-1", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2025, 12, 31))
    data = _csv(
        "M-1,someone@else.org,X,Y,Regular,2026-01-01,2026-12-31",
        "M-2,ANA@example.org,Ana,Silva,Trainee,2026-01-01,2026-12-31",
        "M-3,nobody@example.org,Nora,Nobody,Regular,2026-01-01,",
    )

    record = _import(data)

    assert (record.rows, record.added, record.updated, record.unchanged, record.unknown) == (3, 2, 0, 0, 1)
    assert [(c["row"], c["member_number"], c["matched_by"], c["change"]) for c in record.changes] == [
        (2, "M-1", "member_number", "new"),
        (3, "M-2", "email", "new"),
    ]
    assert record.unknown_rows == [
        {"row": 4, "member_number": "M-3", "email": "nobody@example.org", "name": "Nora Nobody"}
    ]
    assert _records(known.person) == [
        ("M-1", "Regular", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("M-1", "Regular", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ]
    assert _records(confirmed_person) == [("M-2", "Trainee", dt.date(2026, 1, 1), dt.date(2026, 12, 31))]
    assert list(
        AuditEvent.objects.filter(action="people.memberships_imported").values_list("target_id", flat=True)
    ) == [str(record.pk)]


def test_people_are_never_found_by_name(db):
    PersonFactory(given_name="Nora", family_name="Nobody", email="nora@example.org")

    record = _import(_csv("M-3,other@example.org,Nora,Nobody,Regular,2026-01-01,2026-12-31"))

    assert (record.added, record.unknown) == (0, 1)
    assert Membership.objects.count() == 0


def test_an_unconfirmed_login_or_a_bare_person_address_is_not_a_verified_email(db):
    PersonFactory(user=UserFactory(email="unconfirmed@example.org", email_confirmed=False))
    PersonFactory(email="referee@example.org", user=None)

    record = _import(
        _csv(
            "M-4,unconfirmed@example.org,,,Regular,2026-01-01,2026-12-31",
            "M-5,referee@example.org,,,Regular,2026-01-01,2026-12-31",
        )
    )

    assert (record.added, record.unknown) == (0, 2)


def test_importing_the_same_file_again_changes_nothing(confirmed_person):
    data = _csv("M-2,ana@example.org,Ana,Silva,Trainee,2026-01-01,2026-12-31")
    _import(data)

    again = _import(data)

    assert (again.added, again.updated, again.unchanged, again.unknown) == (0, 0, 1, 0)
    assert again.changes == []
    assert Membership.objects.count() == 1


def test_a_changed_category_or_end_date_updates_the_record_and_says_what_it_was(confirmed_person):
    _import(_csv("M-2,ana@example.org,Ana,Silva,Trainee,2026-01-01,2026-06-30"))

    record = _import(_csv("M-2,ana@example.org,Ana,Silva,Regular,2026-01-01,2026-12-31"))

    assert (record.added, record.updated) == (0, 1)
    assert [(c["change"], c["before"], c["category"]) for c in record.changes] == [
        ("updated", "Trainee, 2026-01-01 – 2026-06-30", "Regular")
    ]
    assert _records(confirmed_person) == [("M-2", "Regular", dt.date(2026, 1, 1), dt.date(2026, 12, 31))]


def test_a_renewal_adds_to_the_persons_history(confirmed_person):
    _import(_csv("M-2,ana@example.org,,,Regular,2025-01-01,2025-12-31"))

    _import(_csv("M-2,ana@example.org,,,Regular,2026-01-01,2026-12-31"))

    assert [valid_from.year for _n, _c, valid_from, _u in _records(confirmed_person)] == [2025, 2026]


def test_the_first_real_record_replaces_the_one_migrated_from_the_status_field(confirmed_person):
    Membership.objects.create(person=confirmed_person, valid_from=dt.date(2020, 1, 1), source="migrated")

    _import(_csv("M-2,ana@example.org,,,Regular,2026-01-01,2026-12-31"))

    assert _records(confirmed_person) == [("M-2", "Regular", dt.date(2026, 1, 1), dt.date(2026, 12, 31))]


def test_a_dry_run_saves_nothing(confirmed_person):
    before = _nothing_written()

    record = _import(_csv("M-2,ana@example.org,,,Regular,2026-01-01,2026-12-31"), dry_run=True)

    assert (record.pk, record.added) == (None, 1)
    assert _nothing_written() == before


def test_semicolons_and_a_byte_order_mark_are_understood(confirmed_person):
    data = "\ufeffmember_number;email;category;valid_from;valid_until\nM-2;ana@example.org;Regular;2026-01-01;\n"

    record = _import(data.encode())

    assert record.added == 1
    assert _records(confirmed_person) == [("M-2", "Regular", dt.date(2026, 1, 1), None)]


# --- malformed files: refused whole, one message per problem -------------------------------------------


def _refusal(data):
    before = _nothing_written()
    with pytest.raises(ValidationError) as caught:
        _import(data)
    assert _nothing_written() == before
    return caught.value.messages


def test_duplicate_member_numbers_are_refused_naming_both_rows(confirmed_person):
    messages = _refusal(
        _csv(
            "M-2,ana@example.org,,,Regular,2026-01-01,2026-12-31",
            "M-9,b@example.org,,,Regular,2026-01-01,2026-12-31",
            "M-2,c@example.org,,,Regular,2026-01-01,2026-12-31",
        )
    )

    assert messages == [
        "Row 4, column “member_number”: M-2 is also on row 2; each member may appear only once.",
        "Nothing was imported. Correct the file and upload it again.",
    ]


def test_missing_columns_are_refused_by_name(db):
    messages = _refusal(b"member_number,email,valid_from\nM-1,a@example.org,2026-01-01\n")

    assert messages == [
        "The file has no column “category”. The first row must name the columns: "
        "member_number, email, category, valid_from, valid_until.",
        "The file has no column “valid_until”. The first row must name the columns: "
        "member_number, email, category, valid_from, valid_until.",
    ]


def test_bad_dates_and_values_are_refused_by_row_and_column(db):
    messages = _refusal(
        _csv(
            "M-1,a@example.org,,,Regular,2026-13-01,2026-12-31",
            "M-2,b@example.org,,,Regular,01/02/2026,",
            "M-3,not-an-address,,,,2026-01-01,2025-01-01",
            ",d@example.org,,,Regular,,",
        )
    )

    assert messages == [
        "Row 2, column “valid_from”: “2026-13-01” is not a date; write dates as YYYY-MM-DD, for example 2026-01-31.",
        "Row 3, column “valid_from”: “01/02/2026” is not a date; write dates as YYYY-MM-DD, for example 2026-01-31.",
        "Row 4, column “email”: “not-an-address” is not an e-mail address.",
        "Row 4, column “category”: a category is needed.",
        "Row 4, column “valid_until”: 2025-01-01 is before the start date 2026-01-01.",
        "Row 5, column “member_number”: a member number is needed.",
        "Row 5, column “valid_from”: a date is needed.",
        "Nothing was imported. Correct the file and upload it again.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (HEADER.encode(), "The file names the columns but lists no members."),
        ("member_number,email\n".encode("utf-16"), "The file is not UTF-8 text."),
    ],
)
def test_empty_and_unreadable_files_are_refused(db, data, message):
    assert _refusal(data)[0].startswith(message)


def test_many_problems_are_summed_up(db):
    rows = [f"M-{n},,,,Regular,bad,2026-12-31" for n in range(60)]

    messages = _refusal(_csv(*rows))

    assert (len(messages), messages[-2]) == (52, "…and 10 more problems.")


# --- the command ------------------------------------------------------------------------------------------


def test_command_imports_and_reports(confirmed_person, tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_bytes(
        _csv("M-2,ana@example.org,Ana,Silva,Regular,2026-01-01,2026-12-31", "M-3,x@example.org,,,Regular,2026-01-01,")
    )

    call_command("import_memberships", str(path))

    out = capsys.readouterr().out
    assert "members.csv: 2 rows, 1 new, 0 updated, 0 unchanged, 1 unknown people." in out
    assert "row 3: unknown person M-3 x@example.org" in out
    assert Membership.objects.count() == 1


def test_command_refuses_a_malformed_file_and_changes_nothing(db, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(_csv("M-2,a@example.org,,,Regular,2026-01-01,", "M-2,b@example.org,,,Regular,2026-01-01,"))

    with pytest.raises(CommandError, match="M-2 is also on row 2"):
        call_command("import_memberships", str(path))
    assert MembershipImport.objects.count() == 0


# --- status follows the records -------------------------------------------------------------------------


def test_status_follows_the_records_after_an_import(confirmed_person):
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)):
        _import(_csv("M-2,ana@example.org,,,Regular,2026-01-01,2026-12-31"))

    confirmed_person.refresh_from_db()
    assert confirmed_person.membership_status == "active"


def test_the_daily_refresh_lapses_memberships_that_ended_once_a_day(db):
    ended = MembershipFactory(valid_until=dt.date(2026, 12, 31), person__membership_status="active").person
    open_ended = MembershipFactory(valid_until=None, person__membership_status="lapsed").person
    untouched = PersonFactory(membership_status="active")  # no records: nothing says otherwise

    first = refresh_membership_status(today=dt.date(2027, 1, 1))
    second = refresh_membership_status(today=dt.date(2027, 1, 1))

    statuses = dict(Person.objects.values_list("pk", "membership_status"))
    assert (first, second) == (2, None)
    assert (statuses[ended.pk], statuses[open_ended.pk], statuses[untouched.pk]) == ("lapsed", "active", "active")


def test_sync_sets_active_from_the_first_day(db):
    person = MembershipFactory(
        valid_from=dt.date(2027, 1, 1), valid_until=None, person__membership_status="none"
    ).person

    assert sync_membership_status(today=dt.date(2026, 12, 31)) == 1  # records, none in force: lapsed
    assert sync_membership_status(today=dt.date(2027, 1, 1)) == 1
    person.refresh_from_db()
    assert person.membership_status == "active"


@pytest.mark.parametrize(
    ("on", "member"),
    [
        (dt.date(2025, 12, 31), False),
        (dt.date(2026, 1, 1), True),
        (dt.date(2026, 12, 31), True),
        (dt.date(2027, 1, 1), False),
    ],
)
def test_is_member_on_includes_both_ends(db, on, member):
    person = MembershipFactory().person

    assert is_member_on(person=person, on=on) is member


def test_is_member_on_an_unsaved_person_is_false(db):
    assert is_member_on(person=Person(given_name="New"), on=dt.date(2026, 1, 1)) is False


# --- the data migration -------------------------------------------------------------------------------------


def test_the_migration_gives_active_and_lapsed_people_one_record_each(db):
    active = PersonFactory(membership_status="active")
    lapsed = PersonFactory(membership_status="lapsed")
    PersonFactory(membership_status="none")
    migration = importlib.import_module("oncoreach.people.migrations.0007_memberships_from_status")

    migration.forwards(apps, None)
    sync_membership_status()

    assert Membership.objects.filter(source="migrated").count() == 2
    statuses = dict(Person.objects.filter(pk__in=[active.pk, lapsed.pk]).values_list("pk", "membership_status"))
    assert statuses == {active.pk: "active", lapsed.pk: "lapsed"}
    migration.backwards(apps, None)
    assert Membership.objects.count() == 0
