"""What the data migrations leave behind: home page as the site root, the stories index under
it, the moderation workflow and the Editors group's rights."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Site, WorkflowPage

from oncoreach.pages.models import HomePage

pytestmark = [pytest.mark.integration]


def test_home_page_is_the_site_root_with_the_program_name(db):
    site = Site.objects.get(is_default_site=True)

    home = site.root_page.specific
    assert type(home) is HomePage
    assert (home.slug, home.title, home.live, home.depth) == ("home", settings.SOCIETY["program_name"], True, 2)


def test_stories_index_sits_under_the_home_page(story_index):
    assert story_index.slug == "stories"
    assert story_index.get_parent().specific_class is HomePage
    assert story_index.url == "/en/stories/"


def test_stories_index_uses_the_story_moderation_workflow(story_index):
    workflow = WorkflowPage.objects.get(page=story_index).workflow

    tasks = [task.specific for task in workflow.tasks]
    assert workflow.name == "Story moderation"
    assert [list(task.groups.values_list("name", flat=True)) for task in tasks] == [["Editors"]]
    assert story_index.get_workflow() == workflow


def test_editors_may_add_change_publish_and_lock_stories_and_reach_the_admin(story_index):
    editors = Group.objects.get(name="Editors")

    codenames = set(
        GroupPagePermission.objects.filter(group=editors, page=story_index).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "publish_page", "lock_page"}
    assert editors.permissions.filter(content_type__app_label="wagtailadmin", codename="access_admin").exists()


def test_editor_persona_can_publish_a_story(editor, story_index):
    from tests.factories.stories import make_story

    story = make_story(title="Editorial", live=False)

    assert story.permissions_for_user(editor).can_publish() is True
