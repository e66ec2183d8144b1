"""Guest authors: write a story, follow its state, revise it when the editors ask.

Volunteers without editor rights never see the Wagtail admin (ARCHITECTURE.md §7); these views
are their whole side of the moderation workflow. Each view: fetch-or-deny → form → one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.stories import services
from oncoreach.stories.forms import StoryForm, initial_from_query
from oncoreach.stories.permissions import can_revise_story, can_write_story
from oncoreach.stories.selectors_authoring import (
    AuthorStoryStatus,
    author_story_rows,
    get_story_for_author,
    story_form_initial,
    story_status,
)


def _refuse(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Signed in but not a volunteer: say why, and where to become one."""
    return render(request, "stories/authoring/story_write_refused.html", {"nav_section": "stories"}, status=403)


def _apply_service_error(form: StoryForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def story_write(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_write_story(request.user):
        return _refuse(request)
    form = StoryForm(request.POST or None, request.FILES or None, initial=initial_from_query(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            page = services.submit_guest_story(author_user=request.user, data=form.story_data(), images=form.images())
        except ValidationError as error:
            _apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("Thank you! “%(title)s” is with the editors now. We will e-mail you when they have read it.")
                % {"title": page.draft_title},
            )
            return redirect("stories:mine")
    return render(request, "stories/authoring/story_form.html", {"form": form, "nav_section": "stories"})


@login_required
def story_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Any signed-in user sees their own stories (an author who stopped volunteering keeps them)."""
    rows = author_story_rows(user=request.user)
    context = {
        "rows": rows,
        "nav_section": "stories",
        "published": AuthorStoryStatus.PUBLISHED,
        "can_write": can_write_story(request.user),
    }
    return render(request, "stories/authoring/story_mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_revise(request: AuthenticatedHttpRequest, page_id: int) -> HttpResponse:
    """A POST goes to the service even when the story is no longer revisable: a double submit of
    the same form (same token) must succeed quietly, and the service says why anything else fails."""
    page = get_story_for_author(user=request.user, page_id=page_id)
    status = story_status(page)
    if request.method == "GET" and not can_revise_story(status=status):
        messages.error(request, services.not_revisable_message(status))
        return redirect("stories:mine")
    initial, existing_images = story_form_initial(page=page)
    form = StoryForm(request.POST or None, request.FILES or None, initial=initial, existing_images=existing_images)
    if request.method == "POST" and form.is_valid():
        try:
            services.revise_guest_story(
                author_user=request.user,
                page=page,
                data=form.story_data(),
                images=form.images(),
                remove_image_block_ids=form.removed_image_ids(),
            )
        except ValidationError as error:
            if error.code == "not_revisable":
                messages.error(request, error.messages[0])
                return redirect("stories:mine")
            _apply_service_error(form, error)
        else:
            messages.success(request, _("Thank you! Your revised story is with the editors again."))
            return redirect("stories:mine")
    return render(
        request,
        "stories/authoring/story_form.html",
        {"form": form, "page": page, "existing_images": existing_images, "nav_section": "stories"},
    )
