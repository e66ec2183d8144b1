import pytest
from django.contrib.auth.models import AnonymousUser

from oncoreach.volunteers.permissions import can_view_private_volunteer_data
from tests.factories.volunteers import VolunteerProfileFactory

pytestmark = [pytest.mark.integration]


def test_private_data_visible_to_the_volunteer_and_staff_only(volunteer, coordinator, outsider, editor):
    profile = VolunteerProfileFactory(person=volunteer.person, travel_document_notes="Passport ends 2027")
    assert [
        can_view_private_volunteer_data(user, profile)
        for user in (volunteer, coordinator, outsider, editor, AnonymousUser())
    ] == [True, True, False, False, False]
