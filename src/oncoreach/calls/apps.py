from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "oncoreach.calls"
    verbose_name = _("Calls for applications")

    def ready(self) -> None:
        from oncoreach.calls.models import ReferenceRequest
        from oncoreach.core.files import delete_files_with_rows

        delete_files_with_rows(ReferenceRequest, "letter")  # no orphan letters on disk

        # The worker runs the reviewer-assignment engine for staff (core never imports calls).
        from oncoreach.calls.enums import REVIEWER_ASSIGNMENT_RUN
        from oncoreach.calls.matching_adapter import run_decline_cascade, run_reviewer_assignment
        from oncoreach.calls.services_review import DECLINE_CASCADE_RUN
        from oncoreach.core.runs import register_runner

        register_runner(REVIEWER_ASSIGNMENT_RUN, run_reviewer_assignment)
        register_runner(DECLINE_CASCADE_RUN, run_decline_cascade)

        from oncoreach.calls.enums import REVIEW_PACKET_RUN
        from oncoreach.calls.packets import run_review_packet

        register_runner(REVIEW_PACKET_RUN, run_review_packet)

        # The staff page of a person shows their applications and reviewing (people never
        # imports calls).
        from oncoreach.calls.selectors import person_sections
        from oncoreach.people.selectors import register_person_section

        register_person_section("calls", person_sections)

        # The person's timeline on their staff page (people never imports calls).
        from oncoreach.calls.timeline import timeline_events
        from oncoreach.people.timeline import register_timeline_source

        register_timeline_source("calls", timeline_events)

        # The dashboard links "Applications to review" only for reviewers (people never imports calls).
        from oncoreach.calls.permissions import can_see_review_list
        from oncoreach.people.dashboard import register_link_rule

        register_link_rule("calls:review-list", can_see_review_list)
