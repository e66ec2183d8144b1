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

        # The person's timeline on their staff page (people never imports workshops).
        from oncoreach.people.timeline import register_timeline_source
        from oncoreach.workshops.timeline import timeline_events

        register_timeline_source("workshops", timeline_events)

        # The worker runs the staffing engine for staff (core never imports workshops).
        from oncoreach.core.runs import register_runner
        from oncoreach.workshops.enums import TEAM_PROPOSAL_RUN
        from oncoreach.workshops.matching_adapter import run_team_proposal

        register_runner(TEAM_PROPOSAL_RUN, run_team_proposal)
