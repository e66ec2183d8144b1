from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "oncoreach.awards"
    label = "awards"
    verbose_name = _("Awards and grants")

    def ready(self) -> None:
        # The volunteer dashboard shows the interviews a volunteer gives (volunteers never imports awards).
        from oncoreach.awards.panels import interviews_panel, mentees_panel
        from oncoreach.volunteers.dashboard import register_panel

        register_panel("awards.interviews", interviews_panel)
        register_panel("awards.mentees", mentees_panel)

        # An award call's interview and decision stages link the awards pages from the calls staff
        # pages (calls never imports awards).
        from oncoreach.awards.panels import decision_stage_links, interview_stage_links
        from oncoreach.calls.enums import StageKind
        from oncoreach.calls.stage_kinds import StageBehaviour, register_stage_behaviour

        register_stage_behaviour(
            StageBehaviour(name="awards.interviews", kind=StageKind.INTERVIEW, staff_links=interview_stage_links)
        )
        for kind in StageKind.values:
            register_stage_behaviour(
                StageBehaviour(name="awards.decisions", kind=kind, staff_links=decision_stage_links)
            )

        # The person's timeline on their staff page (people never imports awards).
        from oncoreach.awards.timeline import timeline_events
        from oncoreach.people.timeline import register_timeline_source

        register_timeline_source("awards", timeline_events)

        # Impact figures (programs.impact; the reporting app shows them).
        from oncoreach.awards import figures
        from oncoreach.programs.impact import register_family

        register_family(figures.AWARDS)
        register_family(figures.GRANT_MONEY)

        # A track is a rubric variant of its call's review stages (calls never imports awards).
        from oncoreach.awards.selectors import rubric_variants_for_call
        from oncoreach.calls.rubric_variants import register_variant_source

        register_variant_source(rubric_variants_for_call)

        # The shortlist's balance on the committee ranking counts the tracks too (calls never imports awards).
        from oncoreach.awards.selectors import track_names_for
        from oncoreach.calls.balance import BalanceDimension, register_balance_dimension

        register_balance_dimension(BalanceDimension("track", _("Track"), track_names_for))
