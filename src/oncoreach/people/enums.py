from django.db import models
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
