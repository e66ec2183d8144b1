import pytest

from tests.factories.people import PersonFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]


def test_story_editor_chooses_authors_without_listing_everyone(client, administrator, story_index):
    """At real volume a <select> of every person made the edit page megabytes long."""
    people = PersonFactory.create_batch(30, family_name="Rarename")
    story = make_story(title="Chooser check", authors=[people[0]])
    client.force_login(administrator)
    response = client.get(f"/cms/pages/{story.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Rarename") <= 2  # only the chosen author, never the whole list


def test_person_chooser_searches_by_name(client, administrator):
    PersonFactory(given_name="Amara", family_name="Okafor")
    PersonFactory(given_name="Lucia", family_name="Mendes")
    client.force_login(administrator)
    response = client.get("/cms/snippets/choose/people/person/results/?q=Okafor")
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Okafor" in html, "Mendes" in html) == (True, False)


def test_editors_can_use_the_person_chooser(client, editor):
    PersonFactory(given_name="Amara", family_name="Okafor")
    client.force_login(editor)
    response = client.get("/cms/snippets/choose/people/person/results/?q=Okafor")
    assert response.status_code == 200
    assert "Okafor" in response.content.decode()
