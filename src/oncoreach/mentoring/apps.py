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

        # Calls' conflicts of interest: a past mentorship (calls never imports mentoring).
        from oncoreach.calls.conflicts import register_conflict_rule
        from oncoreach.mentoring.conflicts import RULE

        register_conflict_rule(RULE)
