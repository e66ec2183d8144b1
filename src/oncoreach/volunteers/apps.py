from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "oncoreach.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        # The staff page of a person shows their volunteer work (people never imports volunteers).
        from oncoreach.people.selectors import register_person_section
        from oncoreach.volunteers.selectors import person_sections

        register_person_section("volunteers", person_sections)

        # The person's timeline on their staff page (people never imports volunteers).
        from oncoreach.people.timeline import register_timeline_source
        from oncoreach.volunteers.timeline import timeline_events

        register_timeline_source("volunteers", timeline_events)
