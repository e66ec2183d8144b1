"""The login account. A Person (people app) may exist without one; a User always has one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoreach.accounts.enums import StaffGroup


def normalize_email_address(value: str | None) -> str:
    """The one canonical spelling of a login address: surrounding spaces gone, all lower case.

    Accounts are stored this way and looked up case-insensitively; the login throttle counts
    failures under the same spelling, so changing the case of an address starts no fresh count.
    """
    return BaseUserManager.normalize_email((value or "").strip()).lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalize_email_address(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, email_confirmed=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=normalize_email_address(username))


class User(AbstractBaseUser, PermissionsMixin):
    """Signs in with an e-mail address. Names and everything else live on the Person."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name"), max_length=150, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the admin"), default=False)
    email_confirmed = models.BooleanField(_("e-mail confirmed"), default=False)
    preferred_language = models.CharField(_("preferred language"), max_length=10, default="en")
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return (self.display_name or self.email).split(" ")[0]

    # Wagtail's admin shows these.
    @property
    def first_name(self) -> str:
        return self.get_short_name()

    @property
    def last_name(self) -> str:
        return ""

    def in_group(self, group: StaffGroup) -> bool:
        if not self.is_authenticated:
            return False
        names = getattr(self, "_group_names", None)
        if names is None:
            names = set(self.groups.values_list("name", flat=True))
            self._group_names = names
        return self.is_superuser or group.value in names

    @property
    def is_editor(self) -> bool:
        return self.in_group(StaffGroup.EDITOR) or self.in_group(StaffGroup.ADMINISTRATOR)

    @property
    def is_program_staff(self) -> bool:
        return self.in_group(StaffGroup.PROGRAM_STAFF) or self.in_group(StaffGroup.ADMINISTRATOR)

    @property
    def is_administrator(self) -> bool:
        return self.in_group(StaffGroup.ADMINISTRATOR)


class ExternalIdentity(models.Model):
    """A sign-in at an outside OpenID Connect provider (the society's member database), tied to a
    login by the provider's stable subject identifier (``sub``), never by name or e-mail address.
    The address is only what the provider last said, kept to notice when it changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject identifier"), max_length=255)
    email = models.EmailField(_("e-mail address at the provider"), blank=True)
    email_verified = models.BooleanField(_("verified by the provider"), default=False)
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="external_identity_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="external_identity_one_per_provider"),
        ]
        verbose_name = _("society sign-in")
        verbose_name_plural = _("society sign-ins")

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
