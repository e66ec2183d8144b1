from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "oncoreach.awards"
    label = "awards"
    verbose_name = _("Awards and grants")

    def ready(self) -> None:
        # The volunteer dashboard shows the interviews a volunteer gives (volunteers never imports awards).
        from oncoreach.awards.panels import interviews_panel
        from oncoreach.volunteers.dashboard import register_panel

        register_panel("awards.interviews", interviews_panel)
