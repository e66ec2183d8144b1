"""Guest authors' URLs, joined into the ``stories`` namespace by ``stories/urls.py``.

They sit under /<lang>/stories/ before Wagtail's page serving, so story slugs avoid these names
(``services.RESERVED_SLUGS``).
"""

from django.urls import path

from oncoreach.stories import views_authoring

urlpatterns = [
    path("stories/write/", views_authoring.story_write, name="write"),
    path("stories/mine/", views_authoring.story_mine, name="mine"),
    path("stories/mine/<int:page_id>/revise/", views_authoring.story_revise, name="revise"),
]
