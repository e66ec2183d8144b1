"""Choosing a story's authors in the CMS: a searchable chooser of authors, by name only.

Editors must not be able to look people up by e-mail, nor list people who have nothing to do
with stories (members, applicants, referees...).
"""

import pytest

from oncoreach.accounts.enums import StaffGroup
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]

AUTHOR_RESULTS = "/cms/stories/author-chooser/results/"
SNIPPET_RESULTS = "/cms/snippets/choose/people/person/results/"


def _results(client, query, url=AUTHOR_RESULTS):
    response = client.get(url, {"q": query})
    return response.status_code, [str(person) for person in response.context["results"]]


@pytest.fixture
def people(story_index):
    """One person of each kind, all named Okafor."""
    credited = PersonFactory(given_name="Ada", family_name="Okafor", email="ada@hospital.example")
    make_story(title="Tumor boards", authors=[credited])
    volunteer = PersonFactory(
        given_name="Bola", family_name="Okafor", is_volunteer=True, user=UserFactory(email="bola@example.org")
    )
    editor = PersonFactory(
        given_name="Chidi",
        family_name="Okafor",
        user=UserFactory(email="chidi@example.org", groups=[StaffGroup.EDITOR.value]),
    )
    PersonFactory(given_name="Dayo", family_name="Okafor", email="dayo@example.org")  # a member, never an author
    PersonFactory(given_name="Efe", family_name="Okafor", is_volunteer=True)  # no login: cannot write
    PersonFactory(
        given_name="Femi",
        family_name="Okafor",
        is_volunteer=True,
        user=UserFactory(email="femi@example.org", is_active=False),
    )
    return credited, volunteer, editor


def test_author_chooser_lists_authors_only(client, editor, people):
    client.force_login(editor)

    assert _results(client, "Okafor") == (200, ["Ada Okafor", "Bola Okafor", "Chidi Okafor"])


def test_author_chooser_searches_names_never_e_mail(client, editor, people):
    client.force_login(editor)

    assert _results(client, "ada Okafor") == (200, ["Ada Okafor"])
    assert _results(client, "hospital.example") == (200, [])
    assert _results(client, "bola@example.org") == (200, [])


def test_author_chooser_search_ignores_accents_and_case(client, editor, story_index):
    lucia = PersonFactory(given_name="Lucía", family_name="Fernández")
    make_story(title="Palliative care in Lima", authors=[lucia])
    client.force_login(editor)

    assert _results(client, "lucia FERNANDEZ") == (200, ["Lucía Fernández"])


def test_author_chooser_results_show_no_e_mail(client, editor, people):
    client.force_login(editor)

    html = client.get(AUTHOR_RESULTS, {"q": "Okafor"}).content.decode()

    assert ("Ada Okafor" in html, "ada@hospital.example" in html, "bola@example.org" in html) == (True, False, False)


def test_author_chooser_chosen_view_refuses_someone_who_is_not_an_author(client, editor, people):
    member = PersonFactory(given_name="Gift", family_name="Okafor")
    client.force_login(editor)

    # Django's locale middleware turns the admin's 404 into a redirect to /en/…, a 404 too.
    assert client.get(f"/cms/stories/author-chooser/chosen/{member.pk}/", follow=True).status_code == 404
    assert client.get(f"/cms/stories/author-chooser/chosen/{people[0].pk}/").status_code == 200


def test_author_chooser_is_for_cms_users_only(client, volunteer, people):
    client.force_login(volunteer)

    assert client.get(AUTHOR_RESULTS, {"q": "Okafor"}).status_code == 302  # Wagtail sends them to sign in


def test_editors_cannot_use_the_people_snippet_chooser(client, editor, people):
    """The snippet chooser lists everyone and searches e-mail: program staff only (Wagtail
    answers a refusal with a redirect to the CMS home and a message)."""
    client.force_login(editor)

    results = client.get(SNIPPET_RESULTS, {"q": "example.org"})
    chosen = client.get(f"/cms/snippets/choose/people/person/chosen/{people[0].pk}/")

    assert [(r.status_code, r["Location"]) for r in (results, chosen)] == [(302, "/cms/")] * 2


def test_program_staff_keep_the_people_snippet_chooser(client, coordinator, people):
    client.force_login(coordinator)

    status, names = _results(client, "dayo@example.org", url=SNIPPET_RESULTS)

    assert (status, names) == (200, ["Dayo Okafor"])


def test_story_editor_offers_the_author_chooser_without_listing_everyone(client, administrator, story_index):
    """At real volume a <select> of every person made the edit page megabytes long."""
    people = PersonFactory.create_batch(30, family_name="Rarename")
    story = make_story(title="Chooser check", authors=[people[0]])
    client.force_login(administrator)

    response = client.get(f"/cms/pages/{story.pk}/edit/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Rarename") <= 2  # only the chosen author, never the whole list
    assert "/cms/stories/author-chooser/" in html


@pytest.mark.parametrize("count", [1, 3])
def test_author_chooser_results_query_count(client, editor, story_index, django_assert_num_queries, count):
    make_story(title="Credits", authors=PersonFactory.create_batch(count, family_name="Okafor"))
    client.force_login(editor)
    client.get(AUTHOR_RESULTS, {"q": "Okafor"})  # warm Wagtail's per-process caches

    with django_assert_num_queries(7):
        client.get(AUTHOR_RESULTS, {"q": "Okafor"})
