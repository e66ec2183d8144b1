from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramKind(models.TextChoices):
    """The portfolio: what kind of work a program is."""

    COURSE = "course", _("Courses and workshops")
    AWARD = "award", _("Awards and grants")
    MENTORING = "mentoring", _("Mentoring")


class QuestionKind(models.TextChoices):
    """What a question asks for; the form builder picks the field and its checks from this."""

    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("One choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    TIME = "time", _("Time of day")
    YES_NO = "yes_no", _("Yes or no")
    FILE = "file", _("File upload")
    EMAIL = "email", _("E-mail address")
    URL = "url", _("Web address")
    MONEY = "money", _("Amount of money")
    SECTION = "section", _("Section heading")
    GROUP = "group", _("Repeating group (a table of rows)")


#: Kinds that are not questions: a section heading has no answer of its own.
ANSWERLESS_KINDS = frozenset({QuestionKind.SECTION})
#: Kinds whose answer is one of (or several of) a list of choices.
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
#: Kinds a column of a repeating group may have (one value per cell; no files, no nesting).
COLUMN_KINDS = frozenset(
    {
        QuestionKind.SHORT_TEXT,
        QuestionKind.LONG_TEXT,
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.NUMBER,
        QuestionKind.MONEY,
        QuestionKind.DATE,
        QuestionKind.TIME,
        QuestionKind.YES_NO,
        QuestionKind.EMAIL,
        QuestionKind.URL,
    }
)
#: Kinds whose answer a condition can only test for being there (too long or not comparable).
ANSWERED_ONLY_SOURCE_KINDS = frozenset({QuestionKind.LONG_TEXT, QuestionKind.FILE, QuestionKind.GROUP})


class Audience(models.TextChoices):
    """Who may see a question and its answer. The person filling the form in is the applicant
    (or the referee, for referee-only questions); program staff always see every answer."""

    APPLICANT = "applicant", _("Applicant")
    REFEREE = "referee", _("Referee")
    REVIEWER = "reviewer", _("Reviewer")
    COMMITTEE = "committee", _("Committee")
    STAFF = "staff", _("Program staff")


#: What a new question is shown to unless staff say otherwise.
DEFAULT_AUDIENCES = (Audience.APPLICANT.value, Audience.REVIEWER.value, Audience.COMMITTEE.value)


class ConditionOp(models.TextChoices):
    """How a "show if" condition compares the other question's answer."""

    EQUALS = "equals", _("is")
    ONE_OF = "one_of", _("is one of")
    ANSWERED = "answered", _("is answered")


#: Languages a form's text (labels, help, choices) can be written in; English is required and is
#: the fallback. Arabic is ready for the day the site ships it.
FORM_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("ar", "العربية"),
)
FORM_LANGUAGE_CODES = tuple(code for code, _name in FORM_LANGUAGES)
RTL_LANGUAGES = frozenset({"ar"})

#: Active ISO 4217 currency codes (money questions and budget totals carry one).
CURRENCIES = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XCG",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    ]
)


class UploadType(models.TextChoices):
    """File types a file question may accept; each is recognised by its content, not its name."""

    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Picture (JPEG, PNG or WebP)")
