"""The demo logins: one per role, all with the same password (printed by ``print_demo_logins``)."""

from __future__ import annotations

from dataclasses import dataclass

from oncoreach.accounts.enums import Role, StaffGroup

DEMO_PASSWORD = "oncoreach-demo"  # noqa: S105 (a published demo password, never used in production data)
DEMO_DOMAIN = "demo.oncoreach.org"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    country: str
    specialty: str
    career_stage: str
    training_completed_year: int | None
    languages: tuple[str, ...]
    time_zone: str
    language: str
    orcid: str
    bio: str
    position: str
    membership_status: str = "active"
    is_volunteer: bool = False
    groups: tuple[str, ...] = ()
    is_staff: bool = False
    is_superuser: bool = False
    what: str = ""


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        role=Role.MEMBER,
        email=f"member@{DEMO_DOMAIN}",
        name="Lucía Fernández",
        country="PER",
        specialty="medical_oncology",
        career_stage="early",
        training_completed_year=2021,
        languages=("es", "en"),
        time_zone="America/Lima",
        language="es",
        orcid="0000-0002-1825-0097",
        bio="Medical oncologist in Lima with an interest in breast cancer and clinical trials.",
        position="Attending physician",
        what="A member: profile, applications to open calls, data download",
    ),
    DemoLogin(
        role=Role.VOLUNTEER,
        email=f"volunteer@{DEMO_DOMAIN}",
        name="Grace Whitfield",
        country="USA",
        specialty="palliative_care",
        career_stage="senior",
        training_completed_year=1998,
        languages=("en", "es"),
        time_zone="America/Chicago",
        language="en",
        orcid="0000-0001-5109-3700",
        bio="Palliative care physician in Chicago; course faculty, mentor and reviewer since 2012.",
        position="Professor",
        is_volunteer=True,
        what="Faculty, mentor, reviewer and author (stories in every moderation state)",
    ),
    DemoLogin(
        role=Role.EDITOR,
        email=f"editor@{DEMO_DOMAIN}",
        name="Priya Raman",
        country="USA",
        specialty="oncology_nursing",
        career_stage="mid",
        training_completed_year=2009,
        languages=("en", "ta"),
        time_zone="America/New_York",
        language="en",
        orcid="0000-0003-1415-9269",
        bio="Oncology nurse and editor of the program's stories.",
        position="Senior editor",
        groups=(StaffGroup.EDITOR.value,),
        is_staff=False,
        what="Moderates and publishes stories (/cms/)",
    ),
    DemoLogin(
        role=Role.PROGRAM_STAFF,
        email=f"staff@{DEMO_DOMAIN}",
        name="Marcus Bell",
        country="USA",
        specialty="epidemiology",
        career_stage="mid",
        training_completed_year=2011,
        languages=("en", "fr"),
        time_zone="America/New_York",
        language="en",
        orcid="",
        bio="Program manager for courses and awards.",
        position="Program manager",
        groups=(StaffGroup.PROGRAM_STAFF.value,),
        what="Runs calls, reviews, courses and faculty staffing; people lists and exports",
    ),
    DemoLogin(
        role=Role.ADMINISTRATOR,
        email=f"admin@{DEMO_DOMAIN}",
        name="Helen Okoye",
        country="USA",
        specialty="clinical_research",
        career_stage="senior",
        training_completed_year=2002,
        languages=("en", "yo"),
        time_zone="America/New_York",
        language="en",
        orcid="0000-0002-9079-593X",
        bio="Director of international programs.",
        position="Director",
        groups=(StaffGroup.ADMINISTRATOR.value,),
        is_staff=True,
        is_superuser=True,
        what="Everything, including the Wagtail and Django admin",
    ),
)
