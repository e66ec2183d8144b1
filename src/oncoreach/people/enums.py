from collections.abc import Iterable

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Specialty(models.TextChoices):
    MEDICAL_ONCOLOGY = "medical_oncology", _("Medical oncology")
    RADIATION_ONCOLOGY = "radiation_oncology", _("Radiation oncology")
    SURGICAL_ONCOLOGY = "surgical_oncology", _("Surgical oncology")
    GYNECOLOGIC_ONCOLOGY = "gynecologic_oncology", _("Gynecologic oncology")
    PEDIATRIC_ONCOLOGY = "pediatric_oncology", _("Pediatric oncology")
    HEMATOLOGY_ONCOLOGY = "hematology_oncology", _("Hematology/oncology")
    PATHOLOGY = "pathology", _("Pathology")
    RADIOLOGY = "radiology", _("Radiology")
    ONCOLOGY_NURSING = "oncology_nursing", _("Oncology nursing")
    PALLIATIVE_CARE = "palliative_care", _("Palliative care")
    ONCOLOGY_PHARMACY = "oncology_pharmacy", _("Oncology pharmacy")
    BIOSTATISTICS = "biostatistics", _("Biostatistics")
    EPIDEMIOLOGY = "epidemiology", _("Epidemiology and public health")
    CLINICAL_RESEARCH = "clinical_research", _("Clinical research")
    OTHER = "other", _("Other")


class CareerStage(models.TextChoices):
    TRAINEE = "trainee", _("Trainee (resident or fellow)")
    EARLY = "early", _("Early career (under 10 years after training)")
    MID = "mid", _("Mid career")
    SENIOR = "senior", _("Senior")
    RETIRED = "retired", _("Retired")


class MembershipStatus(models.TextChoices):
    NONE = "none", _("Not a member")
    ACTIVE = "active", _("Active member")
    LAPSED = "lapsed", _("Lapsed member")


class OrganizationKind(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital or cancer centre")
    UNIVERSITY = "university", _("University")
    NATIONAL_SOCIETY = "national_society", _("National society")
    MINISTRY = "ministry", _("Ministry of health")
    NGO = "ngo", _("Non-governmental organization")
    PARTNER_SOCIETY = "partner_society", _("Partner society")
    OTHER = "other", _("Other")


class InquiryTopic(models.TextChoices):
    WRITE = "write", _("Write a story")
    VOLUNTEER = "volunteer", _("Volunteer as faculty, mentor or reviewer")
    HOST = "host", _("Host a course at my institution")
    PARTNER = "partner", _("Partner or donate")
    OTHER = "other", _("Something else")


# The ~45 most widely spoken languages (ISO 639-1), for "languages spoken". Names are shown in
# the reader's language; the codes match geo.Country.languages.
LANGUAGE_CHOICES: list[tuple[str, str | Promise]] = [
    ("af", _("Afrikaans")),
    ("am", _("Amharic")),
    ("ar", _("Arabic")),
    ("bn", _("Bengali")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fa", _("Persian")),
    ("fr", _("French")),
    ("gu", _("Gujarati")),
    ("ha", _("Hausa")),
    ("he", _("Hebrew")),
    ("hi", _("Hindi")),
    ("hu", _("Hungarian")),
    ("id", _("Indonesian")),
    ("ig", _("Igbo")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("jv", _("Javanese")),
    ("km", _("Khmer")),
    ("kn", _("Kannada")),
    ("ko", _("Korean")),
    ("ml", _("Malayalam")),
    ("mr", _("Marathi")),
    ("ms", _("Malay")),
    ("my", _("Burmese")),
    ("ne", _("Nepali")),
    ("nl", _("Dutch")),
    ("pa", _("Punjabi")),
    ("pl", _("Polish")),
    ("ps", _("Pashto")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("ru", _("Russian")),
    ("si", _("Sinhala")),
    ("so", _("Somali")),
    ("sw", _("Swahili")),
    ("ta", _("Tamil")),
    ("te", _("Telugu")),
    ("th", _("Thai")),
    ("tl", _("Tagalog")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("ur", _("Urdu")),
    ("uz", _("Uzbek")),
    ("vi", _("Vietnamese")),
    ("yo", _("Yoruba")),
    ("zh", _("Chinese")),
    ("zu", _("Zulu")),
]
LANGUAGE_CODES = frozenset(code for code, _name in LANGUAGE_CHOICES)


def language_name(code: str) -> str:
    """A language's name in the reader's language ("fr" → "French", "Francés", …); an unknown
    code is shown as it is."""
    return str(dict(LANGUAGE_CHOICES).get(code, code))


def language_names(codes: Iterable[str]) -> list[str]:
    return [language_name(code) for code in codes if code]


# The languages the site itself ships in (settings.LANGUAGES), for "preferred language".
SITE_LANGUAGE_CHOICES: list[tuple[str, str | Promise]] = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
]

BIO_MAX_LENGTH = 2000
