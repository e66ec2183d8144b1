from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "oncoreach.calls"
    verbose_name = _("Calls for applications")

    def ready(self) -> None:
        # The staff page of a person shows their applications and reviewing (people never
        # imports calls).
        from oncoreach.calls.selectors import person_sections
        from oncoreach.people.selectors import register_person_section

        register_person_section("calls", person_sections)
