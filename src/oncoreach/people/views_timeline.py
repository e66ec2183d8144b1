"""The timeline of one person and the staff notes about them (staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.people import selectors, services_merge, services_notes, timeline
from oncoreach.people.forms import StaffNoteForm
from oncoreach.people.models import Person
from oncoreach.people.permissions import can_edit_staff_note


def _timeline_page(
    request: AuthenticatedHttpRequest, person: Person, form: StaffNoteForm, *, status: int = 200
) -> HttpResponse:
    page = timeline.timeline_for_staff(user=request.user, person=person, cursor=request.GET.get("before", ""))
    notes = list(selectors.staff_notes_for_person(user=request.user, person=person))
    context = {
        "person": person,
        "page": page,
        "is_first_page": not request.GET.get("before"),
        "notes": [(note, can_edit_staff_note(request.user, note)) for note in notes],
        "merges": list(selectors.merges_into_person(user=request.user, person=person)[:10]),
        "undo_window_days": services_merge.UNDO_WINDOW.days,
        "form": form,
        "nav_section": "dashboard",
    }
    return render(request, "people/person_timeline.html", context, status=status)


@login_required
def person_timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_staff(user=request.user, pk=pk)
    return _timeline_page(request, person, StaffNoteForm())


@login_required
@require_POST
def note_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_staff(user=request.user, pk=pk)
    form = StaffNoteForm(request.POST)
    if form.is_valid():
        try:
            services_notes.add_staff_note(actor=request.user, person=person, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Note saved."))
            return redirect(reverse("people:person-timeline", kwargs={"pk": person.pk}) + "#notes")
    return _timeline_page(request, person, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = selectors.get_staff_note(user=request.user, pk=pk)
    if not can_edit_staff_note(request.user, note):
        raise PermissionDenied
    form = StaffNoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            services_notes.edit_staff_note(actor=request.user, note=note, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Note saved; the earlier text is kept in its history."))
            return redirect(reverse("people:person-timeline", kwargs={"pk": note.person_id}) + f"#note-{note.pk}")
    context = {"note": note, "form": form, "revisions": list(note.revisions.all()), "nav_section": "dashboard"}
    return render(request, "people/note_edit.html", context, status=400 if form.errors else 200)
