"""Public stories URLs: the index and the Atom feeds (story pages are served by Wagtail)."""

from django.urls import path

from oncoreach.stories import feeds, views

urlpatterns = [
    path("stories/", views.story_index, name="index"),
    path("stories/feed/", feeds.story_feed, name="feed"),
    path("stories/feed/<slug:kind>/<slug:slug>/", feeds.tag_story_feed, name="tag-feed"),
]
