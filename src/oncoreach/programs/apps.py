from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "oncoreach.programs"
    label = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from oncoreach.core.files import delete_files_with_rows
        from oncoreach.programs.models import Answer

        delete_files_with_rows(Answer, "file")  # no orphan uploads on disk
