"""Public workshop pages: the catalogue, a course page, its iCalendar file (the Atom feed is in
feeds.py). Anonymous GET pages are cached whole (mark_public) and set no cookie."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oncoreach.core.cache import mark_public
from oncoreach.core.links import absolute_url, site_host
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.workshops import selectors
from oncoreach.workshops.enums import CourseStatus
from oncoreach.workshops.forms import CatalogueFilterForm
from oncoreach.workshops.ical import course_calendar
from oncoreach.workshops.permissions import can_manage_courses
from oncoreach.workshops.selectors_participants import impact_for_course

PAST_PER_PAGE = 20


def catalogue(request: HttpRequest) -> HttpResponse:
    """Upcoming courses first, then past ones (paginated), narrowed by GET filters."""
    form = CatalogueFilterForm(
        request.GET or None, countries=selectors.catalogue_countries(), years=selectors.catalogue_years()
    )
    filters = form.filters()
    today = timezone.localdate()
    past_page = paginate(request, selectors.past_courses(today=today, filters=filters), per_page=PAST_PER_PAGE)
    context = {
        "nav_section": "workshops",
        "form": form,
        "filtered": not filters.is_empty(),
        "upcoming": list(selectors.upcoming_courses(today=today, filters=filters)),
        "page_obj": past_page,
        "past": past_page.object_list,
        "page_query": query_without_page(request),
        "is_staff": can_manage_courses(request.user),
    }
    response = render(request, "workshops/catalogue.html", context)
    return mark_public(response, query=("page", "country", "region", "type", "language", "year"))


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_public_course_or_404(slug=slug, user=request.user)
    context = {
        "nav_section": "workshops",
        "course": course,
        "agenda": selectors.agenda(sessions=course.sessions.all()),
        "faculty": selectors.faculty_for_course(course=course),
        "co_hosts": list(course.co_hosts.all()),
        "is_staff": can_manage_courses(request.user),
        # Signed-in readers also see session times in their own profile zone (ARCHITECTURE.md §7).
        "reader_zone": _reader_zone(request, course.time_zone),
        "is_cancelled": course.status == CourseStatus.CANCELLED,
        "registration_open": course.status == CourseStatus.OPEN
        and course.intake_call is not None
        and course.intake_call.is_open(),
        "impact": impact_for_course(course=course)
        if course.status in (CourseStatus.HELD, CourseStatus.CLOSED)
        else None,
    }
    return mark_public(render(request, "workshops/course_detail.html", context))


def _reader_zone(request: HttpRequest, course_zone: str) -> str:
    zone = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
    return zone if zone and zone != course_zone else ""


def course_ics(request: HttpRequest, slug: str) -> HttpResponse:
    course = selectors.get_public_course_or_404(slug=slug, user=request.user)
    body = course_calendar(
        course=course,
        sessions=course.sessions.all(),
        host=site_host(),
        course_url=absolute_url(course.get_absolute_url()),
        stamp=course.updated_at,
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}.ics"'
    return mark_public(response)
