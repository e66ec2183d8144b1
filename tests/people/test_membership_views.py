"""Staff upload of the society's membership export: preview, then confirm."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from oncoreach.people.models import Membership, MembershipImport
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

HEADER = "member_number,email,given_name,family_name,category,valid_from,valid_until\n"


def _upload(*rows, name="members.csv"):
    return SimpleUploadedFile(name, (HEADER + "".join(f"{r}\n" for r in rows)).encode(), content_type="text/csv")


@pytest.fixture
def ana(db):
    return PersonFactory(user=UserFactory(email="ana@example.org"), given_name="Ana", family_name="Silva")


def _import_record(**fields):
    return MembershipImport.objects.create(file_name="members.csv", sha256="0" * 64, **fields)


def test_overview_shows_the_upload_form_and_past_imports(client, coordinator):
    past = _import_record(added=3, unknown=1)
    client.force_login(coordinator)

    response = client.get(reverse("people:membership-overview"))

    assert response.status_code == 200
    assert list(response.context["imports"]) == [past]
    assert 'enctype="multipart/form-data"' in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "member", "editor"])
def test_membership_pages_refuse_everyone_but_program_staff(client, request, persona, ana):
    client.force_login(request.getfixturevalue(persona))
    record = _import_record()

    responses = [
        client.get(reverse("people:membership-overview")),
        client.post(
            reverse("people:membership-import-preview"), {"file": _upload("M-1,ana@example.org,,,R,2026-01-01,")}
        ),
        client.post(reverse("people:membership-import-confirm"), {"token": "0" * 64, "file_name": "x.csv"}),
        client.get(reverse("people:membership-import-detail", args=[record.pk])),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert Membership.objects.count() == 0


def test_membership_pages_send_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("people:membership-overview"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("count", [1, 3])
def test_overview_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        _import_record(imported_by=coordinator)
    client.force_login(coordinator)

    # session, user, groups, count, page of imports (with who imported them)
    with django_assert_num_queries(5):
        response = client.get(reverse("people:membership-overview"))

    assert len(response.context["imports"].object_list) == count


def test_preview_then_confirm_imports_the_file(client, coordinator, ana):
    client.force_login(coordinator)
    upload = _upload(
        "M-1,ana@example.org,Ana,Silva,Regular,2026-01-01,2026-12-31", "M-2,x@example.org,X,Y,Regular,2026-01-01,"
    )

    preview = client.post(reverse("people:membership-import-preview"), {"file": upload})

    record = preview.context["record"]
    assert preview.status_code == 200
    assert (record.pk, record.added, record.unknown) == (None, 1, 1)
    assert "Nothing has been saved yet" in preview.content.decode()
    assert (Membership.objects.count(), MembershipImport.objects.count()) == (0, 0)

    confirm = client.post(reverse("people:membership-import-confirm"), preview.context["confirm_form"].initial)

    saved = MembershipImport.objects.get()
    assert (confirm.status_code, confirm["Location"]) == (302, saved.get_absolute_url())
    assert (saved.imported_by, saved.added, saved.unknown) == (coordinator, 1, 1)
    assert list(Membership.objects.values_list("person_id", "member_number", "valid_from")) == [
        (ana.pk, "M-1", dt.date(2026, 1, 1))
    ]
    again = client.post(reverse("people:membership-import-confirm"), preview.context["confirm_form"].initial)
    assert again["Location"] == reverse("people:membership-overview")
    assert MembershipImport.objects.count() == 1


def test_preview_shows_each_problem_of_a_malformed_file_and_saves_nothing(client, coordinator, ana):
    client.force_login(coordinator)
    upload = _upload("M-1,ana@example.org,,,Regular,2026-01-01,", "M-1,b@example.org,,,Regular,2026-02-30,")

    response = client.post(reverse("people:membership-import-preview"), {"file": upload})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": [
            "Row 3, column “member_number”: M-1 is also on row 2; each member may appear only once.",
            "Row 3, column “valid_from”: “2026-02-30” is not a date; write dates as YYYY-MM-DD, for example 2026-01-31.",
            "Nothing was imported. Correct the file and upload it again.",
        ]
    }
    assert b'aria-invalid="true"' in response.content
    assert (Membership.objects.count(), MembershipImport.objects.count()) == (0, 0)


def test_the_problems_are_translated(client, coordinator, ana):
    client.force_login(coordinator)
    upload = _upload("M-1,ana@example.org,,,Regular,2026-01-01,", "M-1,b@example.org,,,Regular,2026-01-01,")

    with translation.override("es"):
        url = reverse("people:membership-import-preview")
    response = client.post(url, {"file": upload})

    with translation.override("es"):
        assert response.context["form"].errors["file"][0] == (
            "Fila 3, columna «member_number»: M-1 también está en la fila 2; cada miembro puede aparecer una sola vez."
        )


def test_confirm_with_an_unknown_token_changes_nothing(client, coordinator):
    client.force_login(coordinator)

    response = client.post(reverse("people:membership-import-confirm"), {"token": "a" * 64, "file_name": "m.csv"})

    assert (response.status_code, response["Location"]) == (302, reverse("people:membership-overview"))
    assert MembershipImport.objects.count() == 0


def test_import_detail_lists_changes_and_unknown_people(client, coordinator):
    record = _import_record(
        rows=2,
        added=1,
        unknown=1,
        changes=[
            {
                "row": 2,
                "member_number": "M-1",
                "person_id": 1,
                "person": "Ana Silva",
                "matched_by": "email",
                "category": "Regular",
                "period": "2026-01-01 – …",
                "change": "new",
                "before": "",
            }
        ],
        unknown_rows=[{"row": 3, "member_number": "M-2", "email": "x@example.org", "name": "X Y"}],
    )
    client.force_login(coordinator)

    response = client.get(record.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana Silva" in html
    assert "verified e-mail" in html
    assert "x@example.org" in html


def test_import_detail_of_an_unknown_import_is_not_found(client, coordinator):
    client.force_login(coordinator)

    assert client.get(reverse("people:membership-import-detail", args=[4242])).status_code == 404


def test_dashboard_shows_the_members_own_membership_history(client, ana):
    from tests.factories.people import MembershipFactory

    MembershipFactory(person=ana, member_number="M-77", category="Trainee")
    client.force_login(ana.user)

    html = client.get(reverse("people:dashboard")).content.decode()

    assert "M-77, Trainee" in html
