from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oncoreach.mentoring"
    verbose_name = _("Virtual mentoring")

    def ready(self) -> None:
        from oncoreach.core.runs import register_runner
        from oncoreach.mentoring import matching_adapter
        from oncoreach.mentoring.enums import CASCADE_RUN, ROUND_RUN

        register_runner(ROUND_RUN, matching_adapter.run_round)
        register_runner(CASCADE_RUN, matching_adapter.run_cascade)

        # The person's timeline on their staff page (people never imports mentoring).
        from oncoreach.mentoring.timeline import timeline_events
        from oncoreach.people.timeline import register_timeline_source

        register_timeline_source("mentoring", timeline_events)

        # Impact figures (programs.impact; the reporting app shows them).
        from oncoreach.mentoring import figures
        from oncoreach.programs.impact import register_family

        register_family(figures.MENTORSHIPS)
        register_family(figures.EVALUATIONS)

        # Calls' conflicts of interest: a past mentorship (calls never imports mentoring).
        from oncoreach.calls.conflicts import register_conflict_rule
        from oncoreach.mentoring.conflicts import RULE

        register_conflict_rule(RULE)

        # The volunteer dashboard: completed mentorships (evaluation, certificate, story prompt).
        from oncoreach.mentoring.panels_term import finished_panel
        from oncoreach.volunteers.dashboard import register_panel

        register_panel("mentoring.finished", finished_panel)
