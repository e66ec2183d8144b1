"""Reads for people, organizations and inquiries, already scoped and prefetched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.functional import Promise

from oncoreach.accounts.enums import StaffGroup
from oncoreach.accounts.models import ExternalIdentity, User
from oncoreach.core.models import AuditEvent
from oncoreach.people.models import (
    Affiliation,
    Inquiry,
    Membership,
    MembershipImport,
    Organization,
    Person,
    Publication,
    StaffNote,
    email_key,
    search_key,
)
from oncoreach.people.permissions import can_import_memberships, can_view_people_lists

_People = TypeVar("_People", bound=QuerySet[Any])

#: Words of a people search that count (the rest are ignored, so a pasted paragraph stays cheap).
SEARCH_WORDS_MAX = 6


def person_search_condition(query: str, *, path: str = "", include_email: bool = True) -> Q:
    """The filter for a people search, accents and case ignored ("fernandez" finds "Fernández").

    Every word must appear in the person's folded name (``Person.search_name``), in any order;
    with ``include_email`` the whole query may instead be part of the e-mail address. ``path``
    reaches a Person through a relation (``"applicant"``, ``"reviewer"``). The same on SQLite and
    PostgreSQL: both compare the stored folded column with folded words (no collation, no
    extension).
    """
    prefix = f"{path}__" if path else ""
    words = search_key(query).split()[:SEARCH_WORDS_MAX]
    by_name = Q()
    for word in words:
        by_name &= Q(**{f"{prefix}search_name__contains": word})
    by_email = Q(**{f"{prefix}email__icontains": query.strip()}) if include_email and query.strip() else Q()
    if not words:
        return by_email if by_email else Q(pk__in=[])
    return by_name | by_email if by_email else by_name


def search_people(people: _People, *, query: str, include_email: bool = True) -> _People:
    """Narrow ``people`` to a search; an empty query leaves it as it is."""
    if not query.strip():
        return people
    return people.filter(person_search_condition(query, include_email=include_email))


def person_for_user(*, user: Any) -> Person | None:
    """The signed-in user's Person, or None (a superuser made on the command line has none)."""
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("country_of_practice", "country_of_residence", "user").filter(user=user).first()
    )


def affiliations_for_person(*, person: Person) -> QuerySet[Affiliation]:
    if person.pk is None:
        return Affiliation.objects.none()
    return (
        Affiliation.objects.filter(person=person)
        .select_related("organization__country")
        .order_by("-is_primary", "organization__name")
    )


def get_own_affiliation(*, user: Any, pk: int) -> Affiliation:
    """Fetch-or-deny: an affiliation of the user's own Person, or 404 (never someone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Affiliation.objects.select_related("organization", "person"), pk=pk, person__user=user)


def publications_for_person(*, person: Person) -> QuerySet[Publication]:
    if person.pk is None:
        return Publication.objects.none()
    return Publication.objects.filter(person=person).order_by("-year", "title", "id")


def get_own_publication(*, user: Any, pk: int) -> Publication:
    """Fetch-or-deny: a publication in the user's own list, or 404 (never someone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Publication.objects.select_related("person"), pk=pk, person__user=user)


def get_publication_for_staff(*, user: Any, pk: int) -> Publication:
    from django.shortcuts import get_object_or_404

    require_people_staff(user=user)
    return get_object_or_404(Publication.objects.select_related("person"), pk=pk)


def require_people_staff(*, user: Any) -> None:
    """Fetch-or-deny for the staff lists: program staff and administrators only."""
    if not can_view_people_lists(user):
        raise PermissionDenied


def organizations_for_choice() -> QuerySet[Organization]:
    return Organization.objects.select_related("country").order_by("name", "city")


def person_by_email(address: str) -> Person | None:
    """The person an e-mail address names (matched as ``Person.email_key`` normalises it)."""
    return Person.objects.filter(email_key=email_key(address)).order_by("pk").first()


def organizations_named(typed: str) -> list[Organization]:
    """The organizations (at most 6) a typed text names: by name alone, else "name, city", else "name, city, country"."""
    organizations = Organization.objects.select_related("country").order_by("name", "city", "country__name")
    found = list(organizations.filter(name__iexact=typed)[:6])
    parts = [part.strip() for part in typed.rsplit(",", 2)]
    if not found and len(parts) >= 2:
        name, city = ", ".join(parts[:-1]), parts[-1]
        found = list(organizations.filter(name__iexact=name, city__iexact=city)[:6])
    if not found and len(parts) == 3:
        found = list(
            organizations.filter(name__iexact=parts[0], city__iexact=parts[1], country__name__iexact=parts[2])[:6]
        )
    return found


def organizations_for_staff(*, user: Any, search: str = "") -> QuerySet[Organization]:
    require_people_staff(user=user)
    organizations = Organization.objects.select_related("country").annotate(people_count=Count("affiliations"))
    if search:
        organizations = organizations.filter(
            Q(name__icontains=search) | Q(city__icontains=search) | Q(country__name__icontains=search)
        )
    return organizations.order_by("name", "city", "id")


def people_for_staff(
    *, user: Any, country: str = "", specialty: str = "", membership: str = "", search: str = ""
) -> QuerySet[Person]:
    """The staff people list, filtered as on screen; the CSV export uses the same call."""
    require_people_staff(user=user)
    people = Person.objects.select_related("country_of_practice", "user").prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(is_primary=True).select_related("organization"),
            to_attr="primary_affiliations",
        )
    )
    people = people.filter(merged_into__isnull=True)  # merged-away records live on in their survivor
    if country:
        people = people.filter(country_of_practice__iso3=country)
    if specialty:
        people = people.filter(specialty=specialty)
    if membership:
        people = people.filter(membership_status=membership)
    people = search_people(people, query=search)
    return people.order_by("family_name", "given_name", "id")


def inquiries_for_staff(*, user: Any, handled: bool | None = None) -> QuerySet[Inquiry]:
    """Inquiries for staff, newest first; ``handled`` narrows to handled or open ones."""
    require_people_staff(user=user)
    inquiries = Inquiry.objects.select_related("country", "handled_by")
    if handled is not None:
        inquiries = inquiries.filter(handled=handled)
    return inquiries.order_by("-created_at", "-id")


def get_inquiry_for_staff(*, user: Any, pk: int) -> Inquiry:
    """Fetch-or-deny: any inquiry, for program staff only."""
    from django.shortcuts import get_object_or_404

    require_people_staff(user=user)
    return get_object_or_404(Inquiry, pk=pk)


def inquiries_for_person(*, person: Person) -> QuerySet[Inquiry]:
    """A person's own inquiries: linked to them, or sent from their account's e-mail address."""
    if person.pk is None:
        return Inquiry.objects.none()
    emails = {e.lower() for e in (person.email, getattr(person.user, "email", "")) if e}
    query = Q(person=person)
    for email in emails:
        query |= Q(email__iexact=email)
    return Inquiry.objects.filter(query).select_related("country").order_by("created_at", "id")


def staff_notification_recipients() -> list[tuple[str, str]]:
    """Where new inquiries go, as (address, language): the configured addresses plus every
    active user in the Program staff group, each once."""
    from django.conf import settings

    recipients: dict[str, str] = {
        address.lower(): settings.LANGUAGE_CODE for address in settings.STAFF_NOTIFICATION_EMAILS
    }
    staff = (
        User.objects.filter(groups__name=StaffGroup.PROGRAM_STAFF.value, is_active=True)
        .order_by("email")
        .values_list("email", "preferred_language")
    )
    for email, language in staff:
        recipients.setdefault(email.lower(), language or settings.LANGUAGE_CODE)
    return list(recipients.items())


def roles_for_user(*, user: Any, person: Person | None) -> list[str]:
    """Roles derived from data (membership, volunteer profile) and from the staff groups;
    ``user`` may be None for a person without a login."""
    from oncoreach.accounts.enums import Role
    from oncoreach.people.enums import MembershipStatus

    roles: list[str] = []
    if person is not None and person.membership_status == MembershipStatus.ACTIVE:
        roles.append(str(Role.MEMBER.label))
    if person is not None and person.is_volunteer:
        roles.append(str(Role.VOLUNTEER.label))
    if user is None:
        return roles
    if user.is_editor:
        roles.append(str(Role.EDITOR.label))
    if user.is_program_staff:
        roles.append(str(Role.PROGRAM_STAFF.label))
    if user.is_administrator:
        roles.append(str(Role.ADMINISTRATOR.label))
    return roles


def personal_data_export(*, user: Any, person: Person | None) -> dict[str, Any]:
    """Everything we keep about one person, for their own download (ARCHITECTURE.md §7)."""
    account = {
        "email": user.email,
        "display_name": user.display_name,
        "email_confirmed": user.email_confirmed,
        "preferred_language": user.preferred_language,
        "time_zone": user.time_zone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    data: dict[str, Any] = {
        "account": account,
        "society_sign_ins": [
            {
                "issuer": identity.issuer,
                "email": identity.email,
                "linked_at": identity.created_at,
                "last_sign_in": identity.last_login_at,
            }
            for identity in society_sign_ins_for_user(user=user)
        ],
        "person": None,
        "affiliations": [],
        "memberships": [],
        "inquiries": [],
    }
    if person is None:
        return data
    data["person"] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "passport_name": person.passport_name,
        "email": person.email,
        "country_of_practice": person.country_of_practice.name if person.country_of_practice else None,
        "country_of_residence": person.country_of_residence.name if person.country_of_residence else None,
        "specialty": person.specialty,
        "career_stage": person.career_stage,
        "training_completed_year": person.training_completed_year,
        "birth_year": person.birth_year,
        "languages": person.languages,
        "time_zone": person.time_zone,
        "orcid": person.orcid,
        "bio": person.bio,
        "membership_status": person.membership_status,
        "is_volunteer": person.is_volunteer,
        "privacy_consent_at": person.privacy_consent_at,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }
    data["affiliations"] = [
        {
            "organization": affiliation.organization.name,
            "city": affiliation.organization.city,
            "country": affiliation.organization.country.name,
            "title": affiliation.title,
            "is_primary": affiliation.is_primary,
            "start_year": affiliation.start_year,
            "end_year": affiliation.end_year,
        }
        for affiliation in affiliations_for_person(person=person)
    ]
    data["memberships"] = [
        {
            "member_number": membership.member_number,
            "category": membership.category,
            "valid_from": membership.valid_from,
            "valid_until": membership.valid_until,
        }
        for membership in memberships_for_person(person=person)
    ]
    data["inquiries"] = [
        {
            "created_at": inquiry.created_at,
            "name": inquiry.name,
            "email": inquiry.email,
            "country": inquiry.country.name if inquiry.country else None,
            "topic": inquiry.topic,
            "message": inquiry.message,
        }
        for inquiry in inquiries_for_person(person=person)
    ]
    return data


# --- The staff page of one person ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonSection:
    """One part of the staff page of a person that an app above people contributes (their
    applications, reviews, courses, volunteer work), so people never imports those apps."""

    title: str | Promise
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


#: ``builder(*, user, person) -> Iterable[PersonSection]``; each runs a fixed number of queries.
PersonSectionBuilder = Callable[..., Iterable[PersonSection]]
_person_sections: dict[str, PersonSectionBuilder] = {}


def register_person_section(name: str, builder: PersonSectionBuilder) -> None:
    """Register a section builder once under ``name`` (from the app's ``AppConfig.ready``)."""
    _person_sections[name] = builder


def get_person_for_staff(*, user: Any, pk: int) -> Person:
    """Fetch-or-deny: any person, for program staff only."""
    from django.shortcuts import get_object_or_404

    require_people_staff(user=user)
    return get_object_or_404(
        Person.objects.select_related("country_of_practice", "country_of_residence", "user", "merged_into"), pk=pk
    )


def person_sections_for_staff(*, user: Any, person: Person) -> list[PersonSection]:
    """Every registered app's sections about ``person``, in their order (staff only)."""
    require_people_staff(user=user)
    sections = [section for builder in _person_sections.values() for section in builder(user=user, person=person)]
    return sorted(sections, key=lambda section: section.order)


# --- Membership -------------------------------------------------------------------------------


def memberships_covering(on: dt.date) -> QuerySet[Membership]:
    """Membership records in force on a date (both ends included; no end date means open)."""
    return Membership.objects.filter(valid_from__lte=on).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def is_member_on(*, person: Person, on: dt.date) -> bool:
    """Was the person a member of the society on this date? Eligibility rules ask it for a call's
    reference date ("membership on the reference date"); the records are the only source."""
    if person.pk is None:
        return False
    return memberships_covering(on).filter(person=person).exists()


def memberships_for_person(*, person: Person) -> QuerySet[Membership]:
    if person.pk is None:
        return Membership.objects.none()
    return Membership.objects.filter(person=person).order_by("-valid_from", "-id")


def require_membership_staff(*, user: Any) -> None:
    """Fetch-or-deny for the membership import pages: program staff and administrators only."""
    if not can_import_memberships(user):
        raise PermissionDenied


def membership_imports(*, user: Any) -> QuerySet[MembershipImport]:
    require_membership_staff(user=user)
    return MembershipImport.objects.select_related("imported_by").order_by("-created_at", "-id")


def get_membership_import_for_staff(*, user: Any, pk: int) -> MembershipImport:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(membership_imports(user=user), pk=pk)


def society_sign_ins_for_user(*, user: Any) -> QuerySet[ExternalIdentity]:
    return ExternalIdentity.objects.filter(user=user).order_by("created_at")


# --- Staff notes and merges -------------------------------------------------------------------


def require_notes_staff(*, user: Any) -> None:
    from oncoreach.people.permissions import can_keep_staff_notes

    if not can_keep_staff_notes(user):
        raise PermissionDenied


def staff_notes_for_person(*, user: Any, person: Person) -> QuerySet[StaffNote]:
    """The person's staff notes, newest first, each with its earlier versions (two queries)."""
    require_notes_staff(user=user)
    return (
        StaffNote.objects.filter(person=person)
        .select_related("author")
        .prefetch_related("revisions")
        .order_by("-created_at", "-id")
    )


def get_staff_note(*, user: Any, pk: int) -> StaffNote:
    """Fetch-or-deny: a staff note, for staff only (editing is its author's: see permissions)."""
    from django.shortcuts import get_object_or_404

    require_notes_staff(user=user)
    return get_object_or_404(StaffNote.objects.select_related("person__merged_into", "author"), pk=pk)


def merges_into_person(*, user: Any, person: Person) -> QuerySet[AuditEvent]:
    """The merges whose survivor is ``person``, newest first (for undo)."""
    require_people_staff(user=user)
    return AuditEvent.objects.filter(
        action="people.merged",
        target_type__app_label=Person._meta.app_label,
        target_type__model=Person._meta.model_name,
        target_id=str(person.pk),
    ).order_by("-created_at", "-id")


def get_merge_event(*, user: Any, pk: int) -> AuditEvent:
    from django.shortcuts import get_object_or_404

    require_people_staff(user=user)
    return get_object_or_404(AuditEvent, pk=pk, action="people.merged")
