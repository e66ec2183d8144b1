"""The demo's membership records come from two exports imported through the real service."""

import pytest
from django.urls import reverse

from oncoreach.people.models import Membership, MembershipImport, Person
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration]

MEMBER = "member@demo.oncoreach.org"
STAFF = "staff@demo.oncoreach.org"


def test_the_member_has_two_years_of_membership_and_is_active(demo):
    person = Person.objects.get(user__email=MEMBER)

    categories = list(
        Membership.objects.filter(person=person).order_by("valid_from").values_list("category", flat=True)
    )

    assert categories == ["Early career", "Regular"]
    assert person.membership_status == "active"
    assert "MSCO-10482, Regular" in client_for(MEMBER).get(reverse("people:dashboard")).content.decode()


def test_staff_see_two_imports_and_the_unknown_person(demo):
    imports = list(MembershipImport.objects.order_by("created_at").values_list("unknown", "imported_by__email"))

    page = client_for(STAFF).get(MembershipImport.objects.latest("created_at").get_absolute_url()).content.decode()

    assert imports == [(0, STAFF), (1, STAFF)]
    assert "k.osei@example.org" in page


def test_a_member_who_did_not_renew_has_lapsed(demo):
    lapsed = Person.objects.filter(memberships__member_number__startswith="MSCO-2").exclude(
        memberships__valid_until__isnull=True
    )

    assert sorted(set(lapsed.values_list("membership_status", flat=True))) == ["active", "lapsed"]
