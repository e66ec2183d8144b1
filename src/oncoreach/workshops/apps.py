from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "oncoreach.workshops"
    label = "workshops"
    verbose_name = _("Workshops and courses")

    def ready(self) -> None:
        # The volunteer dashboard shows invitations, travel and open calls for faculty through a
        # panel, so the volunteers app never imports workshops (ARCHITECTURE.md §2 layering).
        from oncoreach.volunteers.dashboard import register_panel
        from oncoreach.workshops.panels import faculty_panel

        register_panel("workshops.faculty", faculty_panel)

        # The staff page of a person shows their invitations and registrations (people never
        # imports workshops).
        from oncoreach.people.selectors import register_person_section
        from oncoreach.workshops.selectors_person import person_sections

        register_person_section("workshops", person_sections)

        # Registrations follow their calls Application (calls never imports workshops).
        from oncoreach.calls.signals import application_status_changed
        from oncoreach.workshops.participants import on_application_status_changed

        application_status_changed.connect(on_application_status_changed, dispatch_uid="workshops.registrations")
