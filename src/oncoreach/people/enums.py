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
    """Kept in step with the person's membership records (``services_membership``): active when a
    record covers today, lapsed when records exist but none does, none without records."""

    NONE = "none", _("Not a member")
    ACTIVE = "active", _("Active member")
    LAPSED = "lapsed", _("Lapsed member")


class MembershipSource(models.TextChoices):
    SOCIETY_EXPORT = "export", _("The society's member database")
    MIGRATED = "migrated", _("The membership status recorded before membership records")


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
    ("ar", "العربية"),
]

BIO_MAX_LENGTH = 2000
#: A year of birth is refused before this year…
BIRTH_YEAR_MIN = 1900
#: …and when it would make the person younger than this (nobody younger trains or practises).
BIRTH_YEAR_MIN_AGE = 16


class SignInProblem(models.TextChoices):
    """Why a sign-in with the society's account was refused; each has its own page (people.oidc)."""

    WRONG_STATE = "wrong_state", _("This sign-in link is not valid")
    WRONG_NONCE = "wrong_nonce", _("This sign-in could not be verified")
    WRONG_AUDIENCE = "wrong_audience", _("This sign-in was meant for another site")
    WRONG_ISSUER = "wrong_issuer", _("This sign-in did not come from the society")
    EXPIRED = "expired", _("This sign-in has expired")
    INVALID_TOKEN = "invalid_token", _("This sign-in could not be verified")
    EMAIL_MISSING = "email_missing", _("We did not receive your e-mail address")
    EMAIL_UNVERIFIED = "email_unverified", _("Your e-mail address is not verified")
    ALREADY_LINKED = "already_linked", _("This account is linked to another society account")
    ACCOUNT_INACTIVE = "inactive", _("This account is closed")
    CANCELLED = "cancelled", _("Sign-in cancelled")
    PROVIDER_ERROR = "provider_error", _("The society did not sign you in")
    PROVIDER_UNAVAILABLE = "unavailable", _("The society's sign-in service cannot be reached")
    FAILED = "failed", _("Sign-in did not work")


# What each refusal means and what to do, with the society's short name as %(society)s.
SIGN_IN_PROBLEM_EXPLANATIONS: dict[str, Promise] = {
    SignInProblem.WRONG_STATE: _(
        "The answer from %(society)s does not belong to a sign-in started in this browser: it may be "
        "old, already used, or opened in another window. Nothing was changed. Please start again."
    ),
    SignInProblem.WRONG_NONCE: _(
        "The identity token from %(society)s was issued for a different sign-in than the one started "
        "in this browser. Nothing was changed. Please start again."
    ),
    SignInProblem.WRONG_AUDIENCE: _(
        "The identity token from %(society)s was issued for another website, not for this one. "
        "Nothing was changed. Please start again; if this happens again, tell us."
    ),
    SignInProblem.WRONG_ISSUER: _(
        "The identity token was not issued by %(society)s's sign-in service. Nothing was changed."
    ),
    SignInProblem.EXPIRED: _(
        "The identity token from %(society)s had already expired when it reached us (a sign-in that took "
        "too long, or a clock that is wrong). Nothing was changed. Please start again."
    ),
    SignInProblem.INVALID_TOKEN: _(
        "The identity token from %(society)s could not be verified: its signature or contents are not "
        "valid. Nothing was changed. Please start again."
    ),
    SignInProblem.EMAIL_MISSING: _(
        "%(society)s did not share a valid e-mail address with us, and we need one to link your society "
        "account to an account here. Nothing was changed."
    ),
    SignInProblem.EMAIL_UNVERIFIED: _(
        "We link your society account to an account here only by an e-mail address that %(society)s has "
        "verified, and yours is not verified yet. Please verify it in your %(society)s account, then sign "
        "in again. Nothing was changed."
    ),
    SignInProblem.ALREADY_LINKED: _(
        "The account here with your e-mail address is already linked to a different %(society)s account. "
        "Nothing was changed. Please contact us so we can sort it out."
    ),
    SignInProblem.ACCOUNT_INACTIVE: _(
        "The account here that belongs to your %(society)s account has been closed. Nothing was changed. "
        "Please contact us if you think this is a mistake."
    ),
    SignInProblem.CANCELLED: _("You cancelled signing in at %(society)s. Nothing was changed."),
    SignInProblem.PROVIDER_ERROR: _(
        "%(society)s's sign-in service answered with an error. Nothing was changed. Please try again later."
    ),
    SignInProblem.PROVIDER_UNAVAILABLE: _(
        "We could not reach %(society)s's sign-in service. Please try again in a few minutes, or sign in "
        "with your e-mail address and password if you have them here."
    ),
    SignInProblem.FAILED: _("Signing in with your %(society)s account did not work. Nothing was changed."),
}
