"""Word lists for what the demo people do and write: programs, topics, story templates, specialties,
career stages, biographies and "get involved" messages. Everything here is fictional."""

from __future__ import annotations

PROGRAMS = [
    # slug, name, short name, kind, summary
    (
        "clinical-trials-workshop",
        "Clinical Trials Workshop",
        "CTW",
        "course",
        "A multi-day workshop on designing and running clinical trials, taught by volunteer faculty with local co-faculty.",
    ),
    (
        "multidisciplinary-cancer-management-course",
        "Multidisciplinary Cancer Management Course",
        "MCMC",
        "course",
        "A two-day course that brings surgeons, medical and radiation oncologists, pathologists and nurses together around real cases.",
    ),
    (
        "palliative-care-workshop",
        "Palliative Care Workshop",
        "IPCW",
        "course",
        "A workshop on pain and symptom control, communication and end-of-life care for the whole care team.",
    ),
    (
        "international-development-and-education-award",
        "International Development and Education Award",
        "IDEA",
        "award",
        "A year of mentoring, the Annual Meeting and a visit to the mentor's institution for early-career oncologists in LMICs.",
    ),
    (
        "palliative-care-development-award",
        "Palliative Care Development Award",
        "PCDA",
        "award",
        "The IDEA model for clinicians building palliative care services in their countries.",
    ),
    (
        "international-innovation-grant",
        "International Innovation Grant",
        "IIG",
        "award",
        "Grants for resource-appropriate projects that improve cancer care in low- and middle-income countries.",
    ),
    (
        "virtual-mentors",
        "Virtual Mentors",
        "VM",
        "mentoring",
        "Monthly virtual mentoring that pairs early-career oncologists in LMICs with experienced members abroad.",
    ),
]

TOPICS = [
    "clinical trials",
    "palliative care",
    "breast cancer",
    "cervical cancer",
    "pathology",
    "radiation therapy",
    "nursing",
    "survivorship",
    "tumor boards",
    "pediatric oncology",
    "cancer registries",
    "HPV vaccination",
    "cancer screening",
    "pain management",
    "global oncology education",
    "quality improvement",
    "telemedicine",
    "oncology pharmacy",
    "patient navigation",
    "head and neck cancer",
    "lung cancer",
    "colorectal cancer",
    "leukemia",
    "prostate cancer",
    "mentoring",
    "research capacity",
]

# Which topics a story about each program leads with (its first topic tag); others are drawn at random.
PROGRAM_TOPICS = {
    "clinical-trials-workshop": ["clinical trials", "research capacity"],
    "multidisciplinary-cancer-management-course": [
        "tumor boards",
        "breast cancer",
        "cervical cancer",
        "colorectal cancer",
        "lung cancer",
        "head and neck cancer",
        "pathology",
        "radiation therapy",
    ],
    "palliative-care-workshop": ["palliative care", "pain management", "nursing"],
    "international-development-and-education-award": ["global oncology education", "mentoring", "research capacity"],
    "palliative-care-development-award": ["palliative care", "pain management"],
    "international-innovation-grant": [
        "cancer registries",
        "cancer screening",
        "HPV vaccination",
        "quality improvement",
        "telemedicine",
        "patient navigation",
    ],
    "virtual-mentors": ["mentoring", "telemedicine", "research capacity"],
}

# Story templates by the kind of program a story is about ("any" fits every kind), so that a story
# tagged with a program reads as being about it. Placeholders: {country}, {city} (in that country),
# {home_city} (in the society's home country, which is then tagged too), {program}, {topic},
# {Topic}, {topic2}, {count}, {days}, {hours}.
TITLE_TEMPLATES = {
    "course": [
        "{Topic} course brings {count} clinicians together in {city}",
        "A week in {city}: what our faculty learned teaching {topic}",
        "How a tumor board in {city} changed {topic} care",
        "Training the trainers: {topic} in {country}",
        "{count} nurses complete {topic} training in {city}",
        "Volunteer faculty return to {city} for {topic}",
        "{city} hosts regional meeting on {topic}",
    ],
    "award": [
        "From {city} to the Annual Meeting: an awardee's year",
        "{country} opens its first dedicated {topic} service",
        "Letter from {city}: building {topic} with local colleagues",
        "A registry takes shape in {city}",
    ],
    "mentoring": [
        "Mentoring across time zones: {topic} between {city} and {home_city}",
        "Virtual tumor boards connect {city} and {home_city}",
    ],
    "any": [
        "{program} returns to {country} after a decade of partnership",
        "What {count} years of {program} taught us in {country}",
        "New {topic} guidelines adapted for {country}",
        "{program} alumni launch a {topic} network in {country}",
        "Closing the gap in {topic}: lessons from {country}",
    ],
}

TEASER_TEMPLATES = {
    "course": [
        "Volunteer faculty and local colleagues spent {days} days in {city} working on {topic}, with {count} participants from across {country}.",
        "{count} participants, {days} days and one shared goal: better {topic} for patients in {country}.",
        "A partnership between {city} and the {program} has grown from a single course into a regional network for {topic}.",
    ],
    "award": [
        "An awardee from {city} describes a year of mentoring, the Annual Meeting, and what changed back home in {topic}.",
    ],
    "mentoring": [
        "A year of monthly calls between {city} and {home_city}, and what changed in {topic}.",
    ],
    "any": [
        "Through {program}, clinicians in {country} are building lasting capacity in {topic}.",
        "The {program} team reports on {topic} in {country}: what worked, what did not, and what comes next.",
    ],
}

PARAGRAPH_TEMPLATES = {
    "course": [
        "Participants came from hospitals across {country}, many travelling overnight by bus. The sessions mixed short lectures with "
        "case discussions, and each afternoon closed with a practical exercise on {topic}.",
        "Local co-faculty led half of the sessions, a deliberate choice: the aim is that the course can run again without visitors. "
        "Several of them are alumni of the {program}.",
        "Follow-up surveys one year later showed that most participants had changed at least one aspect of their practice, "
        "and a third had started teaching {topic} to colleagues in their own hospitals.",
        "Nurses and pharmacists took part alongside physicians, which participants said was the most valuable part: "
        "{topic} depends on the whole team, not on one specialist.",
        "The programme's partners in {country}, including the national society and the ministry of health, have asked for a second course "
        "focused on {topic2} next year.",
        "Patients are at the centre of this work. Every case discussed was anonymised, and the course closed with a session on "
        "communicating difficult news in the local language.",
    ],
    "award": [
        "The award paid for a month at the mentor's institution, and for the Annual Meeting. Back in {city}, the first task was "
        "to write down how {topic} was done, so that it could be done the same way every day.",
        "Mentoring continued after the visit, over monthly video calls scheduled around a {hours}-hour time difference. "
        "Together they drafted a protocol that the hospital's ethics committee approved within the year.",
    ],
    "mentoring": [
        "Mentoring continued after the first meeting, over monthly video calls scheduled around a {hours}-hour time difference. "
        "Together they drafted a protocol that the hospital's ethics committee approved within the year.",
        "The calls were short and regular: one case, one question, one thing to try before the next call.",
    ],
    "any": [
        "When the {program} first came to {city}, there were {count} oncologists serving a population of several million. "
        "Today the department runs weekly multidisciplinary meetings and has trained a new generation of colleagues in {topic}.",
        "The hardest part was not the medicine but the logistics: drugs that are out of stock, a single radiotherapy machine for the region, "
        "and long distances between patients and the cancer centre. The group worked through what good {topic} looks like under those constraints.",
        "None of this would have happened without the volunteers who gave their time, and the institutions in {city} that opened their doors.",
    ],
}

QUOTES = [
    "We do not need to copy what is done elsewhere; we need to adapt it to our patients and our resources.",
    "The course gave us a common language. Now the surgeon, the pathologist and the nurse sit at the same table.",
    "My mentor never told me what to do. She asked the questions that made me see what I could do.",
    "Palliative care is not about giving up. It is about making sure no patient suffers alone.",
    "The best thing we brought home was not a slide deck but a network of colleagues.",
    "Every registry starts with one careful form, filled in the same way every day.",
]

VIDEO_TITLES = [
    "Highlights from the course",
    "Interview with the local course director",
    "Tumor board in action",
    "Participants describe what they learned",
    "A tour of the new unit",
]

SPECIALTY_WEIGHTS = [
    ("medical_oncology", 30),
    ("radiation_oncology", 12),
    ("surgical_oncology", 10),
    ("gynecologic_oncology", 5),
    ("pediatric_oncology", 5),
    ("hematology_oncology", 9),
    ("pathology", 5),
    ("radiology", 3),
    ("oncology_nursing", 8),
    ("palliative_care", 4),
    ("oncology_pharmacy", 3),
    ("biostatistics", 1),
    ("epidemiology", 2),
    ("clinical_research", 2),
    ("other", 1),
]

CAREER_WEIGHTS = [("trainee", 15), ("early", 30), ("mid", 30), ("senior", 20), ("retired", 5)]

POSITION_TITLES = {
    "trainee": ["Resident", "Fellow", "Clinical fellow"],
    "early": ["Consultant", "Attending physician", "Lecturer", "Specialist"],
    "mid": ["Senior consultant", "Associate professor", "Head of unit", "Senior lecturer"],
    "senior": ["Professor", "Head of department", "Director", "Chief of oncology"],
    "retired": ["Professor emeritus", "Honorary consultant"],
}

BIO_TEMPLATES = [
    "{specialty} specialist in {city}, with an interest in {topic} and teaching.",
    "Works at {org}; leads the hospital's {topic} service and mentors young colleagues.",
    "Trained in {city}; interested in {topic}, {topic2} and building research capacity.",
    "{specialty}. Member of the tumor board at {org}. Volunteers as course faculty.",
]

INQUIRIES = [
    (
        "write",
        "I took part in the course in {city} last spring and would like to write about what changed in our unit.",
    ),
    ("volunteer", "I am a radiation oncologist with ten years of experience and would like to teach or mentor."),
    (
        "host",
        "Our hospital in {city} would like to host a palliative care workshop next year. What are the requirements?",
    ),
    ("partner", "Our foundation supports cancer care in {country}; we would like to discuss a partnership."),
    ("other", "Is there a French-language version of the clinical trials workshop materials?"),
    ("volunteer", "Retired medical oncologist, fluent in Spanish, available for virtual mentoring."),
]
