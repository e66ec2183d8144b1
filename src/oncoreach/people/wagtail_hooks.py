"""People in the CMS for program staff: the list and a searchable chooser (never a drop-down
of every person, tens of thousands at real volume).

Person is not in Wagtail's search index (bulk imports would have to keep it in step), so the
chooser searches with the people selector instead (accents and case ignored). It lists everybody
and finds people by e-mail address, so only users who may view people (program staff) can open it;
editors choose story authors with the stories app's own author chooser (authors only, names only).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from oncoreach.people.models import Person
from oncoreach.people.selectors import search_people


class PersonSearchForm(BaseFilterForm):
    q = forms.CharField(label=_("Search term"), required=False)

    def filter(self, objects: QuerySet[Person]) -> QuerySet[Person]:
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        return search_people(objects, query=query)


class PersonListMixin:
    filter_form_class = PersonSearchForm

    def get_object_list(self) -> Any:
        return Person.objects.select_related("country_of_practice").order_by("family_name", "given_name", "id")


class PeopleStaffOnlyMixin:
    """Refuse anyone who may not view people (the CMS's own permission, held by program staff)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("people.view_person"):
            raise PermissionDenied
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class PersonChooseView(PeopleStaffOnlyMixin, PersonListMixin, ChooseView):
    pass


class PersonChooseResultsView(PeopleStaffOnlyMixin, PersonListMixin, ChooseResultsView):
    pass


class PersonChosenView(PeopleStaffOnlyMixin, SnippetChosenView):
    pass


class PersonChosenMultipleView(PeopleStaffOnlyMixin, SnippetChosenMultipleView):
    pass


class PersonChooserViewSet(SnippetChooserViewSet):
    # Not the CMS's widget for foreign keys to Person: editors get stories' author chooser there.
    register_widget = False
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PersonChosenMultipleView


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    add_to_admin_menu = False
    list_display = ["full_name", "email", "country_of_practice", "specialty"]
    search_fields = ["given_name", "family_name", "email"]
    list_per_page = 50
    ordering = ["family_name", "given_name"]
    chooser_viewset_class = PersonChooserViewSet


register_snippet(PersonViewSet)
