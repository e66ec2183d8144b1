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

        # The impact figure "stories published" (programs.impact; the reporting app shows it).
        from oncoreach.programs.impact import register_family
        from oncoreach.stories.figures import STORIES

        register_family(STORIES)

        # The dashboard links "Write a story" only for those who may write one (people never imports stories).
        from oncoreach.people.dashboard import register_link_rule
        from oncoreach.stories.permissions import can_write_story

        register_link_rule("stories:write", can_write_story)
