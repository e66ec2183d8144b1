from django.db import models
from django.utils.translation import gettext_lazy as _


class IncomeGroup(models.TextChoices):
    """World Bank income groups (codes as in OGHIST.xlsx)."""

    LOW = "L", _("Low income")
    LOWER_MIDDLE = "LM", _("Lower middle income")
    UPPER_MIDDLE = "UM", _("Upper middle income")
    HIGH = "H", _("High income")
    UNCLASSIFIED = "", _("Not classified")


LMIC_GROUPS = frozenset({IncomeGroup.LOW, IncomeGroup.LOWER_MIDDLE, IncomeGroup.UPPER_MIDDLE})


class Region(models.TextChoices):
    """World Bank regions (FY2026 naming)."""

    EAST_ASIA_PACIFIC = "EAP", _("East Asia & Pacific")
    EUROPE_CENTRAL_ASIA = "ECA", _("Europe & Central Asia")
    LATIN_AMERICA_CARIBBEAN = "LAC", _("Latin America & Caribbean")
    MIDDLE_EAST_NORTH_AFRICA = "MENA", _("Middle East, North Africa, Afghanistan & Pakistan")
    NORTH_AMERICA = "NA", _("North America")
    SOUTH_ASIA = "SA", _("South Asia")
    SUB_SAHARAN_AFRICA = "SSA", _("Sub-Saharan Africa")
    NONE = "", _("No region")
