from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "oncoreach.api"
    label = "api"
    verbose_name = _("JSON API")

    def ready(self) -> None:
        from oncoreach.api.auth import check_token
        from oncoreach.core.apikit.auth import register_token_checker

        register_token_checker(check_token)
