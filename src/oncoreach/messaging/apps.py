from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "oncoreach.messaging"
    verbose_name = _("Messages to a cohort")

    def ready(self) -> None:
        from oncoreach.core.runs import register_runner
        from oncoreach.messaging.enums import SEND_RUN
        from oncoreach.messaging.runs import run_send_message

        register_runner(SEND_RUN, run_send_message)
