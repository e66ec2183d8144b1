"""People views: sign-up and confirmation, dashboard, profile, affiliations, "get involved",
the person's own data, and the staff lists with their CSV exports."""

from __future__ import annotations

import csv
import itertools
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.accounts.permissions import can_start_view_as
from oncoreach.accounts.throttle import TOO_MANY_EMAILS, email_link_allowed
from oncoreach.core.cache import mark_public
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.core.permissions import can_manage_outbox
from oncoreach.core.selectors import outbox_health
from oncoreach.people import selectors, services
from oncoreach.people.dashboard import link_for
from oncoreach.people.forms import (
    AffiliationForm,
    InquiryFilterForm,
    InquiryForm,
    InquiryHandledForm,
    OrganizationSearchForm,
    PersonFilterForm,
    ProfileForm,
    PublicationForm,
    ResendConfirmationForm,
    SignupForm,
)
from oncoreach.people.models import Person
from oncoreach.people.permissions import can_use_cms, can_use_django_admin, can_view_people_lists


def _posted(request: HttpRequest) -> Any:
    """The POST data for a bound form, even when empty (``request.POST or None`` would not be)."""
    return request.POST if request.method == "POST" else None


def _add_service_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- Sign-up and e-mail confirmation ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("people:dashboard")
    form = SignupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not email_link_allowed(request, scope="confirmation", address=data["email"]):
            form.add_error(None, TOO_MANY_EMAILS)
            return render(request, "people/signup_form.html", {"form": form}, status=429)
        try:
            services.register_person(
                email=data["email"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                password=data["password"],
                country_of_practice=data["country_of_practice"],
                consent=data["consent"],
                language=get_language() or "en",
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            return redirect("people:signup-done")
    return render(request, "people/signup_form.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    """The same page for a new and an already-registered address: nobody learns which."""
    response = render(request, "people/signup_done.html")
    mark_public(response)
    return response


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the confirmation e-mail: proving the address is idempotent, so GET is safe."""
    try:
        services.confirm_email(token=token)
    except services.ConfirmationError as exc:
        return render(
            request,
            "people/confirm_email_failed.html",
            {"reason": str(exc), "expired": exc.expired, "form": ResendConfirmationForm()},
            status=400,
        )
    messages.success(request, _("Thank you: your e-mail address is confirmed. You can sign in now."))
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        # Counted for every address, registered or not, so the refusal reveals no account.
        if not email_link_allowed(request, scope="confirmation", address=form.cleaned_data["email"]):
            form.add_error(None, TOO_MANY_EMAILS)
            return render(request, "people/resend_confirmation_form.html", {"form": form}, status=429)
        services.resend_confirmation(email=form.cleaned_data["email"])
        return redirect("people:signup-done")
    return render(request, "people/resend_confirmation_form.html", {"form": form})


# --- The signed-in person -------------------------------------------------------------------------


def _optional_url(name: str) -> str | None:
    """A link to another app's page, or None while that page does not exist yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    person = selectors.person_for_user(user=user)
    is_staff = can_view_people_lists(user)
    context: dict[str, Any] = {
        "nav_section": "dashboard",
        "person": person,
        "roles": selectors.roles_for_user(user=user, person=person),
        "affiliations": list(selectors.affiliations_for_person(person=person)) if person else [],
        # Links whose owning app says who may use them (people.dashboard.register_link_rule).
        "write_story_url": link_for(user, "stories:write"),
        "my_stories_url": _optional_url("stories:mine"),
        "cms_url": reverse("wagtailadmin_home") if can_use_cms(user) else None,
        "django_admin_url": reverse("admin:index") if can_use_django_admin(user) else None,
        "geo_url": _optional_url("geo:classification") if is_staff else None,
        # Other areas are linked by URL name only (people sits below them and never imports them).
        "applications_url": _optional_url("calls:application-list"),
        "my_courses_url": _optional_url("workshops:my-courses"),
        "reviews_url": link_for(user, "calls:review-list"),
        "volunteer_url": _optional_url("volunteers:dashboard") if person and person.is_volunteer else None,
        "staff_calls_url": _optional_url("calls:staff-call-list") if user.is_program_staff else None,
        "staff_courses_url": _optional_url("workshops:staff-course-list") if user.is_program_staff else None,
        "staff_forms_url": _optional_url("programs:form-list") if user.is_program_staff else None,
        "award_offers_url": _optional_url("awards:my-offers"),
        "awardees_url": _optional_url("awards:directory"),
        "mentoring_url": _optional_url("mentoring:home"),
        "staff_grants_url": _optional_url("awards:grant-list") if user.is_program_staff else None,
        "staff_mentoring_url": _optional_url("mentoring:staff-cycles") if user.is_program_staff else None,
        "is_people_staff": is_staff,
        # Program staff see whether e-mail is going out (core.selectors.outbox_health).
        "outbox_health": outbox_health() if can_manage_outbox(user) else None,
        "memberships": list(selectors.memberships_for_person(person=person)) if person else [],
    }
    return render(request, "people/dashboard.html", context)


def _own_person(user: Any) -> Person:
    """The user's Person, or a new unsaved one for a login that never had a profile."""
    return selectors.person_for_user(user=user) or Person(user=user, email=user.email)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request.user)
    form = ProfileForm(
        _posted(request),
        initial=ProfileForm.initial_for(person),
        organization_country=person.country_of_practice,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(person=person, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:dashboard")
    return render(request, "people/profile_form.html", {"form": form, "nav_section": "dashboard"})


@login_required
@require_http_methods(["GET", "POST"])
def affiliation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _own_person(request.user)
    form = AffiliationForm(_posted(request), organization_country=person.country_of_practice)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_affiliation(person=person, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The affiliation is added."))
            return redirect("people:affiliations")
    context = {
        "form": form,
        "affiliations": selectors.affiliations_for_person(person=person),
        "nav_section": "dashboard",
    }
    return render(request, "people/affiliation_list.html", context)


@login_required
@require_POST
def affiliation_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    affiliation = selectors.get_own_affiliation(user=request.user, pk=pk)
    services.remove_affiliation(affiliation=affiliation)
    messages.success(request, _("The affiliation is removed."))
    return redirect("people:affiliations")


@login_required
@require_POST
def affiliation_make_primary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    affiliation = selectors.get_own_affiliation(user=request.user, pk=pk)
    services.set_primary_affiliation(affiliation=affiliation)
    messages.success(request, _("Your primary affiliation is changed."))
    return redirect("people:affiliations")


@login_required
@require_http_methods(["GET", "POST"])
def publication_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own publications (DOI, title, year): calls use them, with the ORCID iD, to
    find co-authors who should not review each other."""
    person = _own_person(request.user)
    if person.pk is None:
        return redirect("people:profile-edit")
    form = PublicationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_publication(person=person, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The publication is added."))
            return redirect("people:publications")
    context = {
        "form": form,
        "person": person,
        "publications": selectors.publications_for_person(person=person),
        "own": True,
        "nav_section": "dashboard",
    }
    return render(request, "people/publication_list.html", context)


@login_required
@require_POST
def publication_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    publication = selectors.get_own_publication(user=request.user, pk=pk)
    services.remove_publication(publication=publication, actor=request.user)
    messages.success(request, _("The publication is removed."))
    return redirect("people:publications")


@login_required
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything we hold about the signed-in person, as a JSON download (ARCHITECTURE.md §7)."""
    user = request.user
    person = selectors.person_for_user(user=user)
    data = selectors.personal_data_export(user=user, person=person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.now():%Y-%m-%d}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Get involved (public) ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def get_involved(request: HttpRequest) -> HttpResponse:
    """A public form with CSRF, so never marked public-cacheable."""
    form = InquiryForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("people:get-involved-thanks")
        data = form.cleaned_data
        try:
            services.record_inquiry(
                name=data["name"],
                email=data["email"],
                country=data["country"],
                topic=data["topic"],
                message=data["message"],
                submission_token=data["token"],
                person=selectors.person_for_user(user=request.user),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            return redirect("people:get-involved-thanks")
    return render(request, "people/get_involved.html", {"form": form, "nav_section": "involved"})


def get_involved_thanks(request: HttpRequest) -> HttpResponse:
    response = render(request, "people/get_involved_thanks.html", {"nav_section": "involved"})
    mark_public(response)
    return response


# --- Staff lists -----------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_response(filename: str, header: list[str], rows: Any) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines = (writer.writerow([_cell(value) for value in row]) for row in itertools.chain([header], rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.now():%Y-%m-%d}.csv"'
    return response


@login_required
def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_people_staff(user=request.user)
    filter_form = PersonFilterForm(request.GET or None)
    people = selectors.people_for_staff(user=request.user, **filter_form.filters())
    context = {
        "filter_form": filter_form,
        "page": paginate(request, people, per_page=50),
        "query": query_without_page(request),
        "nav_section": "dashboard",
        "can_view_as": can_start_view_as(request.user),
    }
    return render(request, "people/person_list.html", context)


def _primary_organization_name(person: Person) -> str:
    primary = getattr(person, "primary_affiliations", [])
    return primary[0].organization.name if primary else ""


@login_required
@cache_control(private=True, no_store=True)
def person_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    selectors.require_people_staff(user=request.user)
    filter_form = PersonFilterForm(request.GET or None)
    people = selectors.people_for_staff(user=request.user, **filter_form.filters())
    header = [
        "id",
        "given_name",
        "family_name",
        "email",
        "country_of_practice",
        "specialty",
        "career_stage",
        "membership",
        "volunteer",
        "primary_organization",
        "languages",
        "orcid",
        "birth_year",
    ]
    rows = (
        [
            person.pk,
            person.given_name,
            person.family_name,
            person.email,
            person.country_of_practice.iso3 if person.country_of_practice else "",
            person.specialty,
            person.career_stage,
            person.membership_status,
            "yes" if person.is_volunteer else "no",
            _primary_organization_name(person),
            " ".join(person.languages or []),
            person.orcid,
            person.birth_year or "",
        ]
        for person in people.iterator(chunk_size=500)
    )
    return _csv_response("people", header, rows)


@login_required
def organization_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_people_staff(user=request.user)
    search_form = OrganizationSearchForm(request.GET or None)
    organizations = selectors.organizations_for_staff(user=request.user, search=search_form.search())
    context = {
        "search_form": search_form,
        "page": paginate(request, organizations, per_page=50),
        "query": query_without_page(request),
        "nav_section": "dashboard",
    }
    return render(request, "people/organization_list.html", context)


@login_required
@cache_control(private=True, no_store=True)
def organization_export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    selectors.require_people_staff(user=request.user)
    search_form = OrganizationSearchForm(request.GET or None)
    organizations = selectors.organizations_for_staff(user=request.user, search=search_form.search())
    header = ["id", "name", "kind", "city", "country", "partner", "website", "people"]
    rows = (
        [
            org.pk,
            org.name,
            org.kind,
            org.city,
            org.country.iso3,
            "yes" if org.is_partner else "no",
            org.website,
            getattr(org, "people_count", 0),
        ]
        for org in organizations.iterator(chunk_size=500)
    )
    return _csv_response("organizations", header, rows)


@login_required
def inquiry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_people_staff(user=request.user)
    filter_form = InquiryFilterForm(request.GET or None)
    inquiries = selectors.inquiries_for_staff(user=request.user, handled=filter_form.handled())
    context = {
        "filter_form": filter_form,
        "status": filter_form.status_value(),
        "page": paginate(request, inquiries, per_page=50),
        "query": query_without_page(request),
        "nav_section": "dashboard",
    }
    return render(request, "people/inquiry_list.html", context)


@login_required
@require_POST
def inquiry_set_handled(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark an inquiry handled (or open again), then go back to the list the button was on."""
    inquiry = selectors.get_inquiry_for_staff(user=request.user, pk=pk)
    form = InquiryHandledForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether the inquiry is handled."))
        return redirect("people:inquiry-list")
    handled = form.cleaned_data["handled"]
    services.set_inquiry_handled(inquiry=inquiry, handled=handled, actor=request.user)
    if handled:
        messages.success(request, _("The inquiry from %(name)s is marked handled.") % {"name": inquiry.name})
    else:
        messages.success(request, _("The inquiry from %(name)s is open again.") % {"name": inquiry.name})
    status = form.cleaned_data.get("status") or "open"
    return redirect(reverse("people:inquiry-list") + f"?status={status}")
