"""Staff notes about a person: written by staff, edited only by their author, every edit kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.people.models import Person, StaffNote, StaffNoteRevision
from oncoreach.people.permissions import can_edit_staff_note, can_keep_staff_notes

NOTE_MAX_LENGTH = 5000


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the note first: it is empty."), code="empty")
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("A note holds at most %(limit)d characters.") % {"limit": NOTE_MAX_LENGTH}, code="too_long"
        )
    return body


def _refuse_merged(person: Person) -> None:
    if person.merged_into_id is not None:
        raise ValidationError(
            _("%(name)s was merged into %(survivor)s (record %(id)d): write the note there.")
            % {"name": person.full_name, "survivor": person.merged_into, "id": person.merged_into_id},
            code="merged",
        )


@transaction.atomic
def add_staff_note(*, actor: Any, person: Person, body: str) -> StaffNote:
    """Write a note about ``person``; refused for a person merged away (it belongs on the survivor)."""
    if not can_keep_staff_notes(actor):
        raise PermissionDenied
    _refuse_merged(person)
    note = StaffNote.objects.create(person=person, author=actor, body=_clean_body(body))
    record_audit(actor=actor, action="people.note_added", target=person, note=note.pk)
    return note


@transaction.atomic
def edit_staff_note(*, actor: Any, note: StaffNote, body: str) -> StaffNote:
    """Change a note's text; only its author may, and the previous text is kept as a revision."""
    if not can_edit_staff_note(actor, note):
        raise PermissionDenied
    _refuse_merged(note.person)
    body = _clean_body(body)
    if body == note.body:
        return note
    StaffNoteRevision.objects.create(note=note, body=note.body, written_at=note.updated_at)
    note.body = body
    note.save(update_fields=["body", "updated_at"])
    record_audit(actor=actor, action="people.note_edited", target=note.person, note=note.pk)
    return note
