from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (``manage.py seed_demo``): the top layer, which may import every app; none imports it."""

    name = "oncoreach.demo"
    label = "demo"
    verbose_name = _("Demo data")
