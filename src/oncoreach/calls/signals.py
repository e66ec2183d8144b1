"""Hooks other apps listen to, so calls never imports them (workshops reacts to declines here)."""

from django.dispatch import Signal

#: Sent inside transition_application's transaction, after the new status is saved.
#: Arguments: application, old (status before), new (status after), actor.
application_status_changed = Signal()
