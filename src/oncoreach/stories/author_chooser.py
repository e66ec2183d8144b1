"""The CMS chooser for a story's authors: authors only, searched by name only (accents ignored).

Editors pick authors in the story editor. They may see who can be credited on a story, never
look anybody up by e-mail address, nor list people who have nothing to do with stories
(members, applicants, referees). Who counts as an author is ``story_author_candidates()``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView, ChosenMultipleView, ChosenView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from oncoreach.people.models import Person
from oncoreach.people.selectors import search_people


def _candidates() -> QuerySet[Person]:
    from oncoreach.stories.selectors_authoring import story_author_candidates

    return story_author_candidates()


class AuthorSearchForm(BaseFilterForm):
    q = forms.CharField(label=_("Name"), required=False)

    def filter(self, objects: QuerySet[Person]) -> QuerySet[Person]:
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        # The people search (accents and case ignored), by name only: never by e-mail address.
        return search_people(objects, query=query, include_email=False)


class AuthorListMixin:
    filter_form_class = AuthorSearchForm

    def get_object_list(self) -> Any:
        return _candidates().order_by("family_name", "given_name", "id")


class AuthorChooseView(AuthorListMixin, ChooseView):
    pass


class AuthorChooseResultsView(AuthorListMixin, ChooseResultsView):
    pass


class AuthorChosenView(ChosenView):
    def get_object(self, pk: Any) -> Person:
        return _candidates().get(pk=pk)


class AuthorChosenMultipleView(ChosenMultipleView):
    def get_objects(self, pks: Any) -> QuerySet[Person]:
        return _candidates().filter(pk__in=pks)


class AuthorChooserViewSet(ChooserViewSet):
    model = Person
    icon = "user"
    choose_one_text = _("Choose an author")
    choose_another_text = _("Choose another author")
    # The CMS's widget for every foreign key to Person (the story's author panel is the only one);
    # people.wagtail_hooks leaves its staff-only snippet chooser unregistered.
    register_widget = True
    choose_view_class = AuthorChooseView
    choose_results_view_class = AuthorChooseResultsView
    chosen_view_class = AuthorChosenView
    chosen_multiple_view_class = AuthorChosenMultipleView


author_chooser_viewset = AuthorChooserViewSet("story_author_chooser", url_prefix="stories/author-chooser")
