"""Admin hooks for the stories section.

The patient-privacy checklist (ARCHITECTURE.md §7) is a box on the story; publishing from the
editor is refused, with a message, until an editor has ticked it. The draft is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks

from oncoreach.stories.author_chooser import author_chooser_viewset
from oncoreach.stories.models import StoryPage


@hooks.register("register_admin_viewset")
def register_author_chooser() -> Any:
    """The story editor's author chooser (authors only, by name only)."""
    return author_chooser_viewset


@hooks.register("before_publish_page")
def require_patient_privacy_check(request: HttpRequest, page: Any) -> HttpResponse | None:
    """Stop a direct publish of a story whose privacy box is not ticked (the draft stays saved)."""
    if isinstance(page, StoryPage) and not page.no_patient_identifiers:
        messages.error(
            request,
            _(
                "Not published: confirm that the story contains no patient-identifiable details "
                "(the checkbox at the end of the form), then publish again."
            ),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
