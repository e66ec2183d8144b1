"""The Django admin is linked from the administrator's dashboard only; staff never need it."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.integration]

ADMIN = "/django-admin/"


def test_administrator_dashboard_links_the_django_admin(client, administrator):
    client.force_login(administrator)

    html = client.get(reverse("people:dashboard")).content.decode()

    assert f'href="{ADMIN}"' in html


@pytest.mark.parametrize("persona", ["coordinator", "editor", "volunteer", "member"])
def test_other_dashboards_do_not_link_the_django_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("people:dashboard"))

    assert (response.context["django_admin_url"], ADMIN in response.content.decode()) == (None, False)
