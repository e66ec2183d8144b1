"""Signing in with the society's account (OpenID Connect): which login it opens, and linking it.

``people.oidc`` checks the protocol (state, nonce, signature, issuer, audience, expiry); this module
decides who the checked claims are. The link is the provider's stable subject identifier (``sub``),
stored on first sign-in; a first sign-in finds an existing login or person only by an e-mail
address the provider says it verified (``email_verified``), never by name. Every refusal raises
``SocietySignInError`` before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from oncoreach.accounts.models import ExternalIdentity, User, normalize_email_address
from oncoreach.accounts.services import confirm_user_email
from oncoreach.core.services import record_audit
from oncoreach.people.enums import SignInProblem
from oncoreach.people.models import Person

NAME_MAX_LENGTH = 100


class SocietySignInError(Exception):
    """A sign-in with the society's account that we refuse; ``problem`` picks the page shown."""

    def __init__(self, problem: SignInProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem


@dataclass(frozen=True)
class SocietySignIn:
    """Who signed in, and what the sign-in did (the view tells the person)."""

    user: User
    created: bool = False  # a new login and person
    linked: bool = False  # a first sign-in tied to a login or person that already existed
    email_updated_to: str = ""  # the login's address followed a verified change at the society
    email_not_used: str = ""  # the society's new address, not used here (unverified, or someone else's)
    email_not_used_reason: str = ""  # "unverified" | "taken"


def is_verified(claims: Mapping[str, Any]) -> bool:
    """``email_verified`` is a JSON boolean; some providers send the string "true"."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _valid_email(value: Any) -> str:
    email = normalize_email_address(value if isinstance(value, str) else "")
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _site_language(claims: Mapping[str, Any], fallback: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    locale = str(claims.get("locale") or "").replace("_", "-").split("-")[0].lower()
    return locale if locale in codes else (fallback if fallback in codes else settings.LANGUAGE_CODE)


@transaction.atomic
def sign_in_with_society(*, issuer: str, claims: Mapping[str, Any], language: str = "en") -> SocietySignIn:
    """Find or make the login for a verified set of claims from the society's provider."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SocietySignInError(SignInProblem.INVALID_TOKEN, "no sub claim")
    email = _valid_email(claims.get("email"))
    verified = is_verified(claims)
    identity = (
        ExternalIdentity.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is not None:
        return _returning(identity, email=email, verified=verified)
    if not email:
        raise SocietySignInError(SignInProblem.EMAIL_MISSING)
    if not verified:
        raise SocietySignInError(SignInProblem.EMAIL_UNVERIFIED)
    return _first_sign_in(issuer=issuer, subject=subject, email=email, claims=claims, language=language)


def _returning(identity: ExternalIdentity, *, email: str, verified: bool) -> SocietySignIn:
    """A sign-in we have seen before: the ``sub`` names the login, whatever the address says now."""
    user = identity.user
    if not user.is_active:
        raise SocietySignInError(SignInProblem.ACCOUNT_INACTIVE)
    updated_to = not_used = reason = ""
    if email and email != user.email.lower():
        if not verified:
            not_used, reason = email, "unverified"
        elif User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            not_used, reason = email, "taken"
        else:
            _change_login_email(user=user, new_email=email, issuer=identity.issuer)
            updated_to = email
    elif email and verified and not user.email_confirmed:
        confirm_user_email(user=user, via="society-sign-in")
    identity.email = email
    identity.email_verified = verified
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["email", "email_verified", "last_login_at"])
    return SocietySignIn(user=user, email_updated_to=updated_to, email_not_used=not_used, email_not_used_reason=reason)


def _change_login_email(*, user: User, new_email: str, issuer: str) -> None:
    old_email = user.email
    user.email = new_email
    user.email_confirmed = True
    user.save(update_fields=["email", "email_confirmed"])
    person = Person.objects.filter(user=user).first()
    if person is not None and (not person.email or person.email.lower() == old_email.lower()):
        person.email = new_email
        person.save(update_fields=["email", "updated_at"])
    record_audit(
        actor=user, action="people.society_email_changed", target=user, old=old_email, new=new_email, issuer=issuer
    )


def _names(claims: Mapping[str, Any], email: str) -> tuple[str, str]:
    given = str(claims.get("given_name") or "").strip()
    family = str(claims.get("family_name") or "").strip()
    if not given and not family:
        given, _sep, family = str(claims.get("name") or "").strip().partition(" ")
    if not given:
        given = email.split("@", 1)[0]
    return given[:NAME_MAX_LENGTH], family.strip()[:NAME_MAX_LENGTH]


def _first_sign_in(*, issuer: str, subject: str, email: str, claims: Mapping[str, Any], language: str) -> SocietySignIn:
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    created = False
    how = ""
    if user is not None:
        if not user.is_active:
            raise SocietySignInError(SignInProblem.ACCOUNT_INACTIVE)
        if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
            raise SocietySignInError(SignInProblem.ALREADY_LINKED)
        how = "login"
        if not user.email_confirmed:
            # Someone opened an account here with this address but never proved it. The society has
            # now proved the address belongs to the person signing in, so a password chosen by
            # whoever opened the account stops working (no pre-registered account takeover).
            user.set_unusable_password()
            user.email_confirmed = True
            user.save(update_fields=["password", "email_confirmed"])
            how = "unconfirmed-login"
        person = Person.objects.filter(user=user).first()
    else:
        given, family = _names(claims, email)
        user = User.objects.create_user(
            email,
            None,  # no local password: this login signs in through the society
            display_name=f"{given} {family}".strip()[:150],
            email_confirmed=True,
            preferred_language=_site_language(claims, language),
        )
        # A person we already know (imported, a referee, local faculty) with this address and no
        # login of their own; the oldest one if there are duplicates (staff merge those).
        person = (
            Person.objects.select_for_update().filter(user__isnull=True, email__iexact=email).order_by("pk").first()
        )
        if person is not None:
            person.user = user
            person.save(update_fields=["user", "updated_at"])
            how = "person"
        else:
            person = Person(user=user, given_name=given, family_name=family, email=email)
            person.full_clean()
            person.save()
            created = True
    ExternalIdentity.objects.create(
        user=user, issuer=issuer, subject=subject, email=email, email_verified=True, last_login_at=timezone.now()
    )
    record_audit(
        actor=user,
        action="people.society_account_linked",
        target=person or user,
        issuer=issuer,
        email=email,
        linked_to=how or "new",
    )
    return SocietySignIn(user=user, created=created, linked=not created)
