from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "oncoreach.stories"
    label = "stories"
    verbose_name = _("Stories")

    def ready(self) -> None:
        # Notifications for moderation done in the Wagtail admin, and guests kept out of
        # Wagtail's own admin e-mails (see stories.signal_handlers).
        from oncoreach.stories import signal_handlers

        signal_handlers.install()
