"""People and organizations. A Person exists on its own; a login (User) is optional."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oncoreach.people.enums import (
    BIO_MAX_LENGTH,
    CareerStage,
    InquiryTopic,
    MembershipSource,
    MembershipStatus,
    OrganizationKind,
    Specialty,
)
from oncoreach.people.validators import (
    validate_birth_year,
    validate_doi,
    validate_language_codes,
    validate_orcid,
    validate_time_zone,
)

#: Letters that carry no combining mark to strip, and punctuation that names write either way.
_SEARCH_FOLDS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "'": "",
        "’": "",
        "‘": "",
        "-": " ",
        "‐": " ",
        "‑": " ",
        ".": " ",
    }
)


def search_key(text: str) -> str:
    """Text as people search compares it: case and accents folded, punctuation evened out.

    "Fernández" → "fernandez", "Ørsted" → "orsted", "O’Brien" → "obrien", "Jean-Pierre" →
    "jean pierre". The same function folds the stored column and the words typed, so the match
    is the same on SQLite and PostgreSQL (no database collation or extension involved).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_SEARCH_FOLDS).split())


def email_key(email: str) -> str:
    """An e-mail address as the duplicate finder compares it: case and accents folded
    ("José@Example.org" → "jose@example.org"); nothing else changes."""
    decomposed = unicodedata.normalize("NFKD", email.strip().casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


#: The fields ``Person.search_name`` is made from.
SEARCH_NAME_FIELDS = frozenset({"given_name", "family_name"})


class PersonQuerySet(models.QuerySet["Person"]):
    """Bulk writes fill the folded search column too (demo and volume seeding, imports)."""

    # Signatures loosened on purpose: every argument goes on to Django unchanged.
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:  # type: ignore[override]
        objs = list(objs)
        for person in objs:
            person.search_name = person.searchable_name()
            person.email_key = email_key(person.email)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Iterable[Any], fields: Sequence[str], *args: Any, **kwargs: Any) -> int:  # type: ignore[override]
        objs = list(objs)
        if SEARCH_NAME_FIELDS & set(fields):
            for person in objs:
                person.search_name = person.searchable_name()
            fields = [*fields, "search_name"]
        if "email" in fields:
            for person in objs:
                person.email_key = email_key(person.email)
            fields = [*fields, "email_key"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="organizations"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_partner = models.BooleanField(_("partner organization"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country", "city"], name="organization_unique_per_place")
        ]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self) -> str:
        return f"{self.name}, {self.city}" if self.city else self.name


class Person(models.Model):
    """Anyone the program deals with: member, volunteer, applicant, referee, local faculty."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    passport_name = models.CharField(
        _("name as in passport"),
        max_length=200,
        blank=True,
        help_text=_("Used exactly as written on visa letters and certificates."),
    )
    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    country_of_practice = models.ForeignKey(
        "geo.Country",
        verbose_name=_("country of practice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practitioners",
    )
    country_of_residence = models.ForeignKey(
        "geo.Country",
        verbose_name=_("country of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    specialty = models.CharField(_("specialty"), max_length=30, choices=Specialty.choices, blank=True)
    career_stage = models.CharField(_("career stage"), max_length=10, choices=CareerStage.choices, blank=True)
    training_completed_year = models.PositiveSmallIntegerField(
        _("year training ended"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    # For telling apart two people of the same name and country (the duplicate finder); optional.
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[validate_birth_year],
    )
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1 codes"),
        validators=[validate_language_codes],
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])
    orcid = models.CharField(_("ORCID iD"), max_length=19, blank=True, validators=[validate_orcid])
    bio = models.TextField(_("short biography"), blank=True, max_length=BIO_MAX_LENGTH)
    membership_status = models.CharField(
        _("membership"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.NONE
    )
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    privacy_consent_at = models.DateTimeField(
        _("agreed to the privacy notice"),
        null=True,
        blank=True,
        help_text=_("When the person agreed to how we use their data (at sign-up)."),
    )
    organizations = models.ManyToManyField(Organization, through="Affiliation", related_name="people", blank=True)
    # Derived from the names (search_key), so that "fernandez" finds "Fernández" on any database.
    search_name = models.TextField(blank=True, default="", editable=False)
    # Derived from the e-mail address (email_key), for the duplicate finder.
    email_key = models.CharField(max_length=254, blank=True, default="", editable=False, db_index=True)
    # Set when staff merged this record into another (people.services_merge): the row stays,
    # deactivated, so the merge can be undone; everything about the person lives on the survivor.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    merged_at = models.DateTimeField(_("merged on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["country_of_practice", "membership_status"]),
            models.Index(fields=["search_name", "country_of_practice"], name="person_name_country_idx"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``search_name`` in step with the names on every save.

        The column is derived from this row's own fields (no side effect), so the model is the
        one place that sees every write: services, the admin, factories and bulk imports (the
        queryset's bulk methods do the same). ``QuerySet.update()`` of a name must set it too.
        """
        self.search_name = self.searchable_name()
        self.email_key = email_key(self.email)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCH_NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "email_key"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def searchable_name(self) -> str:
        return search_key(f"{self.given_name} {self.family_name}")


class Affiliation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="affiliations")
    title = models.CharField(_("position"), max_length=150, blank=True)
    is_primary = models.BooleanField(_("primary affiliation"), default=False)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organization"], name="affiliation_once"),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(is_primary=True), name="one_primary_affiliation"
            ),
        ]
        verbose_name = _("affiliation")

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"


class Publication(models.Model):
    """A publication in a person's list, entered by the person or by program staff. Two people who
    both have an ORCID iD and share a DOI are co-authors: a conflict of interest in calls."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="publications")
    doi = models.CharField(
        _("DOI"), max_length=255, validators=[validate_doi], help_text=_("For example 10.1200/JCO.2024.42.16_suppl.1")
    )
    title = models.CharField(_("title"), max_length=500)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-year", "title", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "doi"], name="publication_once_per_person")]
        indexes = [models.Index(fields=["doi"])]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.title} ({self.doi})"


class Inquiry(models.Model):
    """A "get involved" message from the public site; staff are notified."""

    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("your e-mail address"))
    country = models.ForeignKey(
        "geo.Country", verbose_name=_("country"), null=True, blank=True, on_delete=models.SET_NULL
    )
    topic = models.CharField(_("I would like to"), max_length=12, choices=InquiryTopic.choices)
    message = models.TextField(_("message"), max_length=5000)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="inquiries")
    handled = models.BooleanField(_("handled"), default=False)
    handled_at = models.DateTimeField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # One token per rendered form: a double submit finds the first inquiry instead of adding one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")

    def __str__(self) -> str:
        return f"{self.name}: {self.get_topic_display()}"


class Membership(models.Model):
    """One period of membership of the society, as the society's member database exports it.
    A person has a history of them; ``Person.membership_status`` follows them (MembershipStatus)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    member_number = models.CharField(_("member number"), max_length=32, blank=True, db_index=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: no end date (for example, life members).")
    )
    source = models.CharField(
        _("source"), max_length=10, choices=MembershipSource.choices, default=MembershipSource.SOCIETY_EXPORT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "member_number", "valid_from"], name="membership_period_once"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="membership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(member_number="") | models.Q(source=MembershipSource.MIGRATED),
                name="membership_number_unless_migrated",
            ),
        ]
        indexes = [models.Index(fields=["person", "valid_from"])]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.member_number or '—'} {self.valid_from}–{self.valid_until or ''}"


class MembershipImport(models.Model):
    """One import of the society's membership export: what it changed, and who ran it."""

    created_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    # [{row, member_number, person_id, person, change ("new"|"updated"), before, after, matched_by}]
    changes = models.JSONField(default=list)
    # [{row, member_number, email, name}]: rows whose person we could not find (nothing imported).
    unknown_rows = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("membership import")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d})" if self.created_at else self.file_name

    def get_absolute_url(self) -> str:
        return reverse("people:membership-import-detail", kwargs={"pk": self.pk})


class StaffNote(models.Model):
    """A note staff keep about a person: private to staff (never shown to the person, volunteers,
    the API or a non-staff view-as session). Only its author edits it; every edit is kept in
    StaffNoteRevision."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "created_at"])]
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.body[:40]}"


class StaffNoteRevision(models.Model):
    """The text of a staff note before one edit (the current text is on the note)."""

    note = models.ForeignKey(StaffNote, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    written_at = models.DateTimeField(help_text="When this text was written (the note's or the previous edit's time).")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-replaced_at", "-id"]
        verbose_name = _("staff note revision")

    def __str__(self) -> str:
        return f"{self.note_id} @ {self.replaced_at}"


class DuplicateDismissal(models.Model):
    """Staff said two people are not the same person: the duplicate finder stops proposing them.
    Stored with the lower id first, so a pair is one row whichever way it was dismissed."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissed_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_pair_ordered"),
        ]
        verbose_name = _("dismissed duplicate")

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"
