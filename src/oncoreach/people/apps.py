from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "oncoreach.people"
    label = "people"
    verbose_name = _("People and organizations")

    def ready(self) -> None:
        # The timeline's own sources; apps above people register theirs the same way.
        from oncoreach.people.timeline import audit_events, email_events, note_events, register_timeline_source

        register_timeline_source("people.notes", note_events)
        register_timeline_source("core.outbox", email_events)
        register_timeline_source("core.audit", audit_events)
