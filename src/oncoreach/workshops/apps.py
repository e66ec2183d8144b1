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

        # Faculty trips are travel.Trip rows: staff manage their booking, per diem and
        # reimbursement on the invitation's travel page, and their visa letter keeps the faculty
        # wording (travel never imports workshops).
        from oncoreach.travel.documents import register_visa_letter
        from oncoreach.travel.enums import TripPurpose
        from oncoreach.travel.selectors import register_trip_manager
        from oncoreach.workshops.documents import faculty_trip_visa_letter_pdf
        from oncoreach.workshops.selectors import travel_page_for_trip

        register_trip_manager(TripPurpose.WORKSHOP_FACULTY, travel_page_for_trip)
        register_visa_letter(TripPurpose.WORKSHOP_FACULTY, faculty_trip_visa_letter_pdf)

        # The person's timeline on their staff page (people never imports workshops).
        from oncoreach.people.timeline import register_timeline_source
        from oncoreach.workshops.timeline import timeline_events

        register_timeline_source("workshops", timeline_events)

        # The worker runs the staffing engine for staff (core never imports workshops).
        from oncoreach.core.runs import register_runner
        from oncoreach.workshops.enums import TEAM_PROPOSAL_RUN
        from oncoreach.workshops.matching_adapter import run_team_proposal

        register_runner(TEAM_PROPOSAL_RUN, run_team_proposal)

        # Impact figures (programs.impact; the reporting app shows them).
        from oncoreach.programs.impact import register_family, register_journeys
        from oncoreach.workshops import figures

        for family in (figures.PARTICIPANTS, figures.COURSES, figures.FACULTY):
            register_family(family)
        register_journeys(figures.JOURNEYS)
