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

        # The person's timeline on their staff page (people never imports stories).
        from oncoreach.people.timeline import register_timeline_source
        from oncoreach.stories.timeline import timeline_events

        register_timeline_source("stories", timeline_events)
