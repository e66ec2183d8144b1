"""Writes for people: sign-up and e-mail confirmation, profiles, affiliations, inquiries."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoreach.accounts.models import User
from oncoreach.accounts.services import confirm_user_email
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.geo.models import Country
from oncoreach.people.enums import OrganizationKind
from oncoreach.people.models import Affiliation, Inquiry, Organization, Person, Publication
from oncoreach.people.selectors import staff_notification_recipients
from oncoreach.people.validators import normalize_doi

CONFIRMATION_SALT = "oncoreach.people.confirm-email"
CONFIRMATION_MAX_AGE = dt.timedelta(days=3)
# Repeated sign-ups or "resend" clicks inside one window queue a single e-mail.
EMAIL_WINDOW_SECONDS = 10 * 60


class ConfirmationError(Exception):
    """A confirmation link that cannot be used; ``expired`` says whether resending helps."""

    def __init__(self, message: str, *, expired: bool) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass(frozen=True)
class Registration:
    """What a sign-up did. ``created`` is False for an address that already had an account;
    the view shows the same page either way, so nobody learns which addresses are registered."""

    user: User
    created: bool


def _site_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _absolute(url_name: str, *, language: str, **kwargs: Any) -> str:
    """An absolute link in the recipient's language, built from SITE_URL (never the Host header)."""
    return absolute_reverse(url_name, kwargs=kwargs, language=language)


def _email_window() -> int:
    return int(timezone.now().timestamp()) // EMAIL_WINDOW_SECONDS


def make_confirmation_token(*, user: User) -> str:
    """A signed, timestamped token naming the user and the address it proves."""
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign_object({"u": user.pk, "e": user.email})


def _queue_confirmation(user: User) -> None:
    language = user.preferred_language
    queue_email(
        event_key=f"people.confirm-email:{user.pk}:{_email_window()}",
        to=user.email,
        template="people/email/confirm_email",
        context={
            "name": user.display_name,
            "confirm_url": _absolute(
                "people:confirm-email", language=language, token=make_confirmation_token(user=user)
            ),
            "days": CONFIRMATION_MAX_AGE.days,
        },
        language=language,
    )


def _queue_already_registered(user: User) -> None:
    language = user.preferred_language
    queue_email(
        event_key=f"people.already-registered:{user.pk}:{_email_window()}",
        to=user.email,
        template="people/email/already_registered",
        context={
            "name": user.display_name,
            "login_url": _absolute("accounts:login", language=language),
            "reset_url": _absolute("accounts:password-reset", language=language),
        },
        language=language,
    )


@transaction.atomic
def register_person(
    *,
    email: str,
    given_name: str,
    family_name: str,
    password: str,
    country_of_practice: Country,
    consent: bool,
    language: str = "en",
) -> Registration:
    """Create an unconfirmed login and its Person, and send the confirmation link.

    An address that already has an account gets no new account: its owner is told by e-mail
    (or, if still unconfirmed, sent the confirmation link again). Double submits are harmless.
    """
    if not consent:
        raise ValidationError({"consent": _("You need to agree to the privacy notice to create an account.")})
    email = User.objects.normalize_email(email).strip().lower()
    language = _site_language(language)
    display_name = f"{given_name} {family_name}".strip()
    # Judge the password before looking the address up, so a weak password is refused the same
    # way whether or not the address is registered (no account enumeration).
    try:
        validate_password(password, user=User(email=email, display_name=display_name))
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        return _registration_for_existing(existing, password)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                display_name=display_name,
                email_confirmed=False,
                preferred_language=language,
            )
    except IntegrityError:
        # A concurrent submit of the same form won the race.
        return _registration_for_existing(User.objects.get(email__iexact=email), password)
    person = Person(
        user=user,
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email,
        country_of_practice=country_of_practice,
        privacy_consent_at=timezone.now(),
    )
    person.full_clean()
    person.save()
    record_audit(actor=user, action="people.registered", target=person, country=country_of_practice.iso3)
    _queue_confirmation(user)
    return Registration(user=user, created=True)


def _registration_for_existing(user: User, password: str) -> Registration:
    make_password(password)  # the same work as a real sign-up, so timing reveals nothing
    if user.email_confirmed:
        _queue_already_registered(user)
    else:
        _queue_confirmation(user)
    return Registration(user=user, created=False)


@transaction.atomic
def confirm_email(*, token: str) -> User:
    """Prove the address behind a sign-up; the link is valid for three days.

    Raises ``ConfirmationError`` for a tampered, expired or superseded link.
    """
    signer = signing.TimestampSigner(salt=CONFIRMATION_SALT)
    try:
        payload = signer.unsign_object(token, max_age=CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ConfirmationError(str(_("This confirmation link has expired.")), expired=True) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ConfirmationError(str(_("This confirmation link is not valid.")), expired=False) from exc
    user = User.objects.select_for_update(of=("self",)).filter(pk=payload.get("u"), is_active=True).first()
    if user is None or user.email.lower() != str(payload.get("e", "")).lower():
        raise ConfirmationError(str(_("This confirmation link is not valid.")), expired=False)
    return confirm_user_email(user=user, via="confirmation-link")


@transaction.atomic
def resend_confirmation(*, email: str) -> None:
    """Send the confirmation link again if an unconfirmed account has this address; otherwise
    do nothing (the caller shows the same message either way)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True, email_confirmed=False).first()
    if user is not None:
        _queue_confirmation(user)


@transaction.atomic
def update_profile(
    *,
    person: Person,
    given_name: str,
    family_name: str,
    passport_name: str = "",
    country_of_practice: Country | None = None,
    country_of_residence: Country | None = None,
    specialty: str = "",
    career_stage: str = "",
    training_completed_year: int | None = None,
    birth_year: int | None = None,
    languages: list[str] | None = None,
    time_zone: str = "",
    orcid: str = "",
    bio: str = "",
    preferred_language: str = "",
    organization: Organization | None = None,
    new_organization_name: str = "",
    new_organization_city: str = "",
) -> Person:
    """Save the profile, keep the login's name, zone and language in step, and set the primary
    affiliation when an organization is given (an existing one or a new one)."""
    person.given_name = given_name.strip()
    person.family_name = family_name.strip()
    person.passport_name = passport_name.strip()
    person.country_of_practice = country_of_practice
    person.country_of_residence = country_of_residence
    person.specialty = specialty
    person.career_stage = career_stage
    person.training_completed_year = training_completed_year
    person.birth_year = birth_year
    person.languages = list(dict.fromkeys(languages or []))
    person.time_zone = time_zone
    person.orcid = orcid.strip().upper()
    person.bio = bio.strip()
    if person.user is not None and not person.email:
        person.email = person.user.email
    person.full_clean()
    person.save()
    user = person.user
    if user is not None:
        user.display_name = person.full_name[:150]
        user.time_zone = time_zone
        if preferred_language:
            user.preferred_language = _site_language(preferred_language)
        user.save(update_fields=["display_name", "time_zone", "preferred_language"])
    if organization is not None or new_organization_name.strip():
        add_affiliation(
            person=person,
            organization=organization,
            new_organization_name=new_organization_name,
            new_organization_city=new_organization_city,
            make_primary=True,
        )
    return person


@transaction.atomic
def add_affiliation(
    *,
    person: Person,
    organization: Organization | None = None,
    new_organization_name: str = "",
    new_organization_city: str = "",
    new_organization_kind: str = OrganizationKind.OTHER,
    title: str = "",
    make_primary: bool = False,
    start_year: int | None = None,
    end_year: int | None = None,
) -> Affiliation:
    """Link a person to an organization, creating the organization (in the person's country of
    practice) when it is typed in. Adding an existing affiliation again updates it instead.
    The first affiliation becomes the primary one. A login that never had a profile gets its
    Person here (named from the login), so the affiliation has someone to belong to. The years
    (from, until; no end year: current) let calls see shared past affiliations."""
    if start_year is not None and end_year is not None and end_year < start_year:
        raise ValidationError({"end_year": _("The end year cannot come before the start year.")}, code="years")
    if person.pk is None:
        person.given_name = person.given_name or (person.user.get_short_name() if person.user else "")
        person.save()
    if organization is None:
        name = " ".join(new_organization_name.split())
        if not name:
            raise ValidationError({"organization": _("Choose an organization or type the name of a new one.")})
        if person.country_of_practice is None:
            raise ValidationError(
                {"organization": _("Set your country of practice first: a new organization is created there.")}
            )
        organization = Organization.objects.filter(
            name__iexact=name, country=person.country_of_practice, city__iexact=new_organization_city.strip()
        ).first()
        if organization is None:
            organization = Organization(
                name=name,
                kind=new_organization_kind,
                country=person.country_of_practice,
                city=new_organization_city.strip(),
            )
            organization.full_clean()
            organization.save()
    affiliation, _created = Affiliation.objects.get_or_create(person=person, organization=organization)
    changed = []
    if title:
        affiliation.title = title.strip()
        changed.append("title")
    if start_year is not None or end_year is not None:
        affiliation.start_year, affiliation.end_year = start_year, end_year
        changed += ["start_year", "end_year"]
    if changed:
        affiliation.save(update_fields=changed)
    has_primary = Affiliation.objects.filter(person=person, is_primary=True).exclude(pk=affiliation.pk).exists()
    if make_primary or not has_primary:
        return set_primary_affiliation(affiliation=affiliation)
    return affiliation


@transaction.atomic
def set_primary_affiliation(*, affiliation: Affiliation) -> Affiliation:
    """Make one affiliation the primary one (a person has at most one)."""
    Affiliation.objects.filter(person_id=affiliation.person_id, is_primary=True).exclude(pk=affiliation.pk).update(
        is_primary=False
    )
    if not affiliation.is_primary:
        affiliation.is_primary = True
        affiliation.save(update_fields=["is_primary"])
    return affiliation


@transaction.atomic
def remove_affiliation(*, affiliation: Affiliation) -> None:
    """Remove an affiliation; if it was primary, the oldest remaining one takes its place."""
    person_id, was_primary = affiliation.person_id, affiliation.is_primary
    affiliation.delete()
    if was_primary:
        successor = Affiliation.objects.filter(person_id=person_id).order_by("id").first()
        if successor is not None:
            set_primary_affiliation(affiliation=successor)


@transaction.atomic
def record_inquiry(
    *,
    name: str,
    email: str,
    topic: str,
    message: str,
    submission_token: uuid.UUID,
    country: Country | None = None,
    person: Person | None = None,
) -> Inquiry:
    """Keep a "get involved" message and tell staff after the commit.

    The form's one-time token makes a double submit return the first inquiry unchanged.
    """
    existing = Inquiry.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing
    inquiry = Inquiry(
        name=name.strip(),
        email=email.strip().lower(),
        topic=topic,
        message=message.strip(),
        country=country,
        person=person,
        submission_token=submission_token,
    )
    inquiry.full_clean()
    try:
        # The staff e-mails are queued in the same transaction as the inquiry (a transactional
        # outbox): a crash or a database restart can never keep the one without the other.
        with transaction.atomic():
            inquiry.save()
            notify_staff_of_inquiry(inquiry_id=inquiry.pk)
    except IntegrityError:
        return Inquiry.objects.get(submission_token=submission_token)
    return inquiry


def notify_staff_of_inquiry(*, inquiry_id: int) -> None:
    """Queue one e-mail per staff recipient, each in the recipient's language."""
    inquiry = Inquiry.objects.select_related("country").get(pk=inquiry_id)
    for address, language in staff_notification_recipients():
        queue_email(
            event_key=f"people.inquiry:{inquiry.pk}",
            to=address,
            template="people/email/inquiry_staff",
            context={
                "inquiry": inquiry,
                "inquiry_url": _absolute("people:inquiry-list", language=language) + f"#inquiry-{inquiry.pk}",
            },
            language=language,
        )


@transaction.atomic
def set_inquiry_handled(*, inquiry: Inquiry, handled: bool, actor: Any) -> Inquiry:
    """Mark an inquiry handled (recording who and when) or open again; audited either way.

    Marking it as it already is changes nothing and records nothing (a double click).
    """
    current = Inquiry.objects.select_for_update(of=("self",)).values_list("handled", flat=True).get(pk=inquiry.pk)
    if current == handled:
        inquiry.refresh_from_db(fields=["handled", "handled_at", "handled_by"])
        return inquiry
    inquiry.handled = handled
    inquiry.handled_at = timezone.now() if handled else None
    inquiry.handled_by = actor if handled else None
    inquiry.save(update_fields=["handled", "handled_at", "handled_by"])
    record_audit(actor=actor, action="people.inquiry.handled" if handled else "people.inquiry.reopened", target=inquiry)
    return inquiry


# --- Publications (co-authorship conflicts of interest in calls) ------------------------------


@transaction.atomic
def add_publication(*, person: Person, doi: str, title: str, year: int | None, actor: Any) -> Publication:
    """Add a publication to a person's list (the person, or staff for them). The DOI is stored
    without its resolver prefix and in lower case; the same DOI twice is refused."""
    normalized = normalize_doi(doi)
    if Publication.objects.filter(person=person, doi=normalized).exists():
        raise ValidationError({"doi": _("This DOI is already in the list.")}, code="duplicate")
    publication = Publication(
        person=person,
        doi=normalized,
        title=" ".join(title.split()),
        year=year,
        entered_by=actor if getattr(actor, "pk", None) else None,
    )
    publication.full_clean()
    publication.save()
    record_audit(actor=actor, action="people.publication.add", target=person, doi=normalized)
    return publication


@transaction.atomic
def remove_publication(*, publication: Publication, actor: Any) -> None:
    record_audit(actor=actor, action="people.publication.remove", target=publication.person, doi=publication.doi)
    publication.delete()
