"""The demo logins: one per role, all with the same password (printed by ``print_demo_logins``).

``what`` is the line ``make run`` prints and the README's login table repeats: what each person
can try right after seeding. Each promise is backed by data the seeder makes through the services
(``tests/demo`` checks every one), so keep the two in step.
"""

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
    groups: tuple[str, ...] = ()
    is_staff: bool = False
    is_superuser: bool = False
    what: str = ""


PUBLIC_WHAT = (
    "Read stories (tagged by country, program and topic) and their Atom feeds, country pages, the course "
    "catalogue with each course's calendar (.ics), open calls; send a “Get involved” message"
)

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
        what=(
            "My courses (/en/workshops/mine/): a palliative care workshop she attended in Lima, with its "
            "certificate (PDF, with a public verification link) and the evaluation still to fill in; a place "
            "on a coming workshop in Bogotá with its visa letter and travel form. Profile with her membership of the "
            "society (two years, from its member database), affiliations, data download"
        ),
    ),
    DemoLogin(
        role=Role.APPLICANT,
        email=f"applicant@{DEMO_DOMAIN}",
        name="Kwame Mensah",
        country="GHA",
        specialty="medical_oncology",
        career_stage="early",
        training_completed_year=2021,
        languages=("en",),
        time_zone="Africa/Accra",
        language="en",
        orcid="0000-0003-0802-3613",
        bio="Medical oncologist in Accra building a breast cancer clinic and a hospital cancer registry.",
        position="Specialist",
        what=(
            "My applications: a draft to finish and submit (a referee already named), one invited to send a "
            "letter of intent, an accepted award (the offer can be declined), one not selected last year, and a "
            "course registration awaiting a decision. My award offers (/en/awards/offers/): an IDEA offer with "
            "conditions to accept or decline by its deadline, and the interview he had (his time and the "
            "interviewer's, with its .ics). Virtual mentoring (/en/mentoring/): a proposed mentor "
            "(Grace Whitfield) to accept, contact details once both accepted"
        ),
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
        bio="Palliative care physician in Chicago; course faculty, reviewer and author since 2012.",
        position="Professor",
        what=(
            "Volunteer dashboard: an invitation to answer, a booked trip with its visa letter (PDF), a past "
            "course, teaching and reviewing hours, open faculty slots; three applications to review (accept one, "
            "score one); her stories in every moderation state; the IDEA interviews she gives (slots in her zone "
            "and the applicant's, two coming, offer another). Virtual mentoring (/en/mentoring/): her offer to "
            "mentor, a pairing both accepted with her mentee Lucía (contact details shown), a proposal to answer; last "
            "year's finished cohort: her evaluation, her certificate of mentoring (PDF) and an invitation to write a story"
        ),
    ),
    DemoLogin(
        role="grantee",
        email=f"grantee@{DEMO_DOMAIN}",
        name="Esther Nakato",
        country="UGA",
        specialty="palliative_care",
        career_stage="mid",
        training_completed_year=2012,
        languages=("en",),
        time_zone="Africa/Kampala",
        language="en",
        orcid="0000-0002-3356-8891",
        bio="Palliative care physician in Kampala leading a home-based morphine project.",
        position="Head of palliative care",
        what=(
            "My grants (/en/awards/grants/mine/): the IIG grant she leads for her hospital, with its budget, "
            "signed agreement and payments, and its interim report due soon: send it (a PDF and a short "
            "summary), then see it received; the final report comes later"
        ),
    ),
    DemoLogin(
        role="reviewer",
        email=f"reviewer@{DEMO_DOMAIN}",
        name="Ana Souza",
        country="PRT",
        specialty="radiation_oncology",
        career_stage="senior",
        training_completed_year=2004,
        languages=("pt", "en", "es"),
        time_zone="Europe/Lisbon",
        language="pt",
        orcid="0000-0002-7167-8105",
        bio="Radiation oncologist in Lisbon; external reviewer for the society's awards since 2016.",
        position="Consultant",
        what=(
            "Reviews (/en/calls/reviews/): her scored reviews of this year's IDEA and IDEA-PC applications "
            "(one score per rubric criterion, other reviewers' scores shown once hers is in), and two requests "
            "on the open IDEA call: one to accept or decline (declaring a conflict), one accepted to score"
        ),
    ),
    DemoLogin(
        role="committee_chair",
        email=f"chair@{DEMO_DOMAIN}",
        name="Margaret Ellis",
        country="GBR",
        specialty="medical_oncology",
        career_stage="senior",
        training_completed_year=1995,
        languages=("en", "fr"),
        time_zone="Europe/London",
        language="en",
        orcid="0000-0001-8135-3489",
        bio="Medical oncologist in London; chairs the IDEA selection committee.",
        position="Professor",
        what=(
            "Chairs this year's IDEA and IDEA-PC committee (a role on the call, not a staff group): from Reviews "
            "(/en/calls/reviews/, “Committees you sit on”) the committee ranking with raw and calibrated ranks "
            "side by side, the rank changes calibration makes, disagreement flags and the shortlist's balance, "
            "CSV; the panel decisions she recorded (fund, wait list, do not fund) with notes, and more to record"
        ),
    ),
    DemoLogin(
        role="committee_member",
        email=f"committee@{DEMO_DOMAIN}",
        name="Tomás Herrera",
        country="ESP",
        specialty="radiation_oncology",
        career_stage="senior",
        training_completed_year=2001,
        languages=("es", "en"),
        time_zone="Europe/Madrid",
        language="es",
        orcid="0000-0002-4681-3571",
        bio="Radiation oncologist in Madrid; member of the IDEA selection committee.",
        position="Head of department",
        what=(
            "Member of this year's IDEA and IDEA-PC committee: from Reviews (/en/calls/reviews/, “Committees "
            "you sit on”) the committee ranking and its CSV to read, with the chair's decisions (members do "
            "not record them)"
        ),
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
        what="Moderate the two stories waiting in the CMS (/cms/): publish one, ask for changes on the other",
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
        what=(
            "Shortlisted award applications to decide and reviewed ones to shortlist; calls to set up (form and "
            "stages, rubric, reviewer panel); host applications to approve; registrations to accept or wait-list; "
            "a declined faculty invitation and a planning course to staff with the matching engine; new inquiries "
            "to mark handled; people (a page per person; search ignores accents; Grace Whitfield's timeline "
            "runs to several pages, with staff notes and their edit history; a duplicate participant to merge "
            "under “Possible duplicates”, then undo), organizations and CSV exports "
            "— all in our own pages, without the Django admin; the society's two membership imports "
            "(one row finds nobody here). Awards (/en/awards/grants/): an IIG grant with tranches paid, approved "
            "and scheduled, an overdue report, the ledger and the finance CSV; the IDEA decisions table (two "
            "shortlisted to decide, e-mails previewed before sending) and interviews; the public awardee directory "
            "(/en/awards/awardees/) with CSV and JSON. Virtual mentoring (/en/mentoring/staff/): this year's "
            "published round with its engine run and pairs in each consent state; a cohort in the middle of its "
            "year with its at-risk list (/en/mentoring/staff/at-risk/: no meeting for six weeks or a check-in "
            "“not going well”, CSV; one pairing ended and re-paired by the engine); last year's finished cohort"
        ),
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
        what=(
            "Everything above, plus “View as” anyone but an administrator from the people list (read-only, "
            "with a reason, audited), the Wagtail admin (/cms/) and the Django admin (/django-admin/, linked "
            "from their dashboard only)"
        ),
    ),
)
