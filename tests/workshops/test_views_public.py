import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories.geo import CountryFactory
from tests.factories.people import OrganizationFactory, PersonFactory
from tests.factories.workshops import (
    CourseFactory,
    CourseTemplateFactory,
    FacultyInvitationFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

ATOM = "{http://www.w3.org/2005/Atom}"


def _course(**kwargs):
    return CourseFactory(**kwargs)


def test_catalogue_lists_upcoming_and_past_public_courses(client):
    upcoming = _course(title="MCMC Arequipa")
    past = _course(title="IPCW Almaty", start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 5, 3), status="closed")
    _course(title="Still planning", status="planning")
    _course(title="Called off", status="cancelled")
    response = client.get(reverse("workshops:catalogue"))
    assert response.status_code == 200
    assert response.context["upcoming"] == [upcoming]
    assert list(response.context["past"]) == [past]
    assert response.oncoreach_public is True
    assert "Set-Cookie" not in response.headers
    body = response.content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Upcoming courses (Atom)" href="{reverse("workshops:feed")}">'
        in body
    )
    assert '<time datetime="2027-03-05">' in body
    assert "Asia/Kathmandu, UTC+05:45" in body
    assert "csrfmiddlewaretoken" not in body


def test_catalogue_marks_full_courses(client):
    course = _course(capacity=1)
    RegistrationFactory(course=course)
    response = client.get(reverse("workshops:catalogue"))
    assert response.context["upcoming"][0].is_full is True
    assert '<span class="status">Full</span>' in response.content.decode()


@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("country", "PER", ["Arequipa"]),
        ("region", "LAC", ["Arequipa"]),
        ("type", "ipcw", ["Almaty"]),
        ("language", "es", ["Arequipa"]),
        ("year", "2028", ["Almaty"]),
    ],
)
def test_catalogue_filters(client, param, value, expected):
    peru = CountryFactory(iso3="PER", iso2="PE", name="Peru", region="LAC")
    kazakhstan = CountryFactory(iso3="KAZ", iso2="KZ", name="Kazakhstan", region="ECA")
    _course(title="Arequipa", host_organization=OrganizationFactory(country=peru), languages=["es", "en"])
    _course(
        title="Almaty",
        host_organization=OrganizationFactory(country=kazakhstan),
        template=CourseTemplateFactory(name="IPCW", course_type="ipcw"),
        languages=["ru"],
        start_date=dt.date(2028, 1, 10),
        end_date=dt.date(2028, 1, 12),
    )
    response = client.get(reverse("workshops:catalogue"), {param: value})
    assert [course.title for course in response.context["upcoming"]] == expected


def test_catalogue_ignores_invalid_filter_values(client):
    course = _course()
    response = client.get(reverse("workshops:catalogue"), {"country": "ZZZ", "year": "abc", "type": "golf"})
    assert response.status_code == 200
    assert response.context["upcoming"] == [course]


@pytest.mark.parametrize("count", [1, 3])
def test_catalogue_query_count(client, django_assert_num_queries, count):
    for n in range(count):
        _course()
        _course(start_date=dt.date(2025, 1, n + 1), end_date=dt.date(2025, 1, n + 2), status="closed")
    with django_assert_num_queries(7):
        response = client.get(reverse("workshops:catalogue"))
    assert (len(response.context["upcoming"]), len(response.context["past"])) == (count, count)


def test_course_detail_shows_agenda_in_event_time_zone_and_faculty(client):
    course = _course(title="MCMC Kathmandu")
    local = PersonFactory(given_name="Asha", family_name="Local")
    session = SessionFactory(course=course, title="Breast cancer tumor board")
    session.faculty.set([local])
    visiting = FacultyInvitationFactory(slot__course=course, slot__role="pathologist", status="accepted")
    FacultyInvitationFactory(slot__course=course, status="invited")  # not on the team yet
    response = client.get(reverse("workshops:course-detail", args=[course.slug]))
    assert response.status_code == 200
    assert response.oncoreach_public is True
    body = response.content.decode()
    assert '<time datetime="2027-03-05T09:00+05:45">09:00</time>' in body
    assert [(person, role) for person, role in response.context["faculty"]] == sorted(
        [(local, ""), (visiting.person, "Pathologist")], key=lambda pair: (pair[0].family_name, pair[0].given_name)
    )


def test_course_detail_unknown_slug_is_404(client, db):
    assert client.get(reverse("workshops:course-detail", args=["no-such-course"])).status_code == 404


def test_course_detail_hides_planning_course_from_public(client, outsider):
    course = _course(status="planning")
    assert client.get(reverse("workshops:course-detail", args=[course.slug])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("workshops:course-detail", args=[course.slug])).status_code == 404


def test_course_detail_lets_staff_preview_planning_course(client, coordinator):
    course = _course(status="planning")
    client.force_login(coordinator)
    response = client.get(reverse("workshops:course-detail", args=[course.slug]))
    assert response.context["course"] == course
    assert reverse("workshops:staff-course", args=[course.slug]) in response.content.decode()


def _unfold(raw: bytes) -> list[str]:
    text = raw.decode("utf-8")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_course_ics_is_valid_rfc5545(client):
    course = _course(
        title="MCMC; Kathmandu, Nepal — a very long title that must be folded across several lines of the file",
        summary="Line one\nLine two, with comma",
    )
    SessionFactory(course=course, title="Opening", start_time=dt.time(9), end_time=dt.time(10))
    response = client.get(reverse("workshops:course-ics", args=[course.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.oncoreach_public is True
    raw = response.content
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    lines = _unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 2
    assert f"UID:course-{course.pk}@127.0.0.1" in lines
    assert "DTSTART;VALUE=DATE:20270305" in lines
    assert "DTEND;VALUE=DATE:20270308" in lines  # exclusive end
    assert (
        "SUMMARY:MCMC\\; Kathmandu\\, Nepal — a very long title that must be folded across several lines of the file"
        in lines
    )
    assert "DESCRIPTION:Line one\\nLine two\\, with comma" in lines
    assert "DTSTART;TZID=Asia/Kathmandu:20270305T090000" in lines
    assert "TZID:Asia/Kathmandu" in lines
    assert "TZOFFSETTO:+0545" in lines
    assert sum(1 for line in lines if line.startswith("DTSTAMP:") and line.endswith("Z")) == 2


def test_course_ics_unknown_slug_is_404(client, db):
    assert client.get(reverse("workshops:course-ics", args=["nope"])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_feed_lists_upcoming_courses(client, django_assert_num_queries, count):
    courses = [
        _course(title=f"Course {n}", start_date=dt.date(2027, 3, n + 1), end_date=dt.date(2027, 3, n + 2))
        for n in range(count)
    ]
    _course(title="Past", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 1, 2), status="closed")
    with django_assert_num_queries(2):
        response = client.get(reverse("workshops:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert [entry.find(f"{ATOM}title").text for entry in root.findall(f"{ATOM}entry")] == [c.title for c in courses]
    assert root.find(f"{ATOM}entry/{ATOM}link").get("href").endswith(courses[0].get_absolute_url())


def test_course_detail_shows_signed_in_reader_their_own_time(client, member):
    member.time_zone = "Europe/London"
    member.save()
    course = _course()
    SessionFactory(course=course, start_time=dt.time(9), end_time=dt.time(10))
    client.force_login(member)
    response = client.get(reverse("workshops:course-detail", args=[course.slug]))
    assert response.context["reader_zone"] == "Europe/London"
    assert '<time datetime="2027-03-05T03:15:00+00:00">Fri 03:15</time>' in response.content.decode()


def test_public_pages_parse_as_html5(client):
    import html5lib

    course = _course()
    SessionFactory(course=course)
    for url in (reverse("workshops:catalogue"), reverse("workshops:course-detail", args=[course.slug])):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(client.get(url).content)
        assert parser.errors == []


def test_course_page_names_languages_and_says_a_session_title_once(client):
    from tests.factories.workshops import ModuleFactory

    course = _course(languages=["fr", "en"])
    pathology = ModuleFactory(name="Pathology")
    SessionFactory(course=course, title="Pathology", module=pathology)
    SessionFactory(
        course=course, title="Case discussion", module=pathology, start_time=dt.time(11), end_time=dt.time(12)
    )
    html = client.get(course.get_absolute_url()).content.decode()
    assert "<dd>French, English</dd>" in html
    assert "Pathology <span" not in html  # not "Pathology (Pathology)"
    assert 'Case discussion <span class="meta">(Pathology)</span>' in html
    spanish = client.get(course.get_absolute_url().replace("/en/", "/es/", 1))
    assert "<dd>Francés, Inglés</dd>" in spanish.content.decode()
