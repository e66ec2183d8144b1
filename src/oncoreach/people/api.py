"""People in the JSON API: the staff people search, behind a token with ``people:read``.

The same selector as the staff people list (``people_for_staff``), so a token sees exactly what its
owner sees on screen, and nothing once its owner is no longer program staff.
"""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from oncoreach.core.apikit import (
    Cursor,
    CursorPage,
    Iso3,
    Limit,
    SearchText,
    TokenAuth,
    TokenRequest,
    paginate,
    token_user,
)
from oncoreach.people import selectors
from oncoreach.people.enums import MembershipStatus, Specialty
from oncoreach.people.models import Person

router = Router(tags=["people (staff)"])


class PeopleQuery(Schema):
    search: SearchText | None = Field(None, description="Part of a name or e-mail address.")
    country: Iso3 | None = Field(None, description="Country of practice (ISO3).")
    specialty: Specialty | None = None
    membership: MembershipStatus | None = None
    cursor: Cursor | None = None
    limit: Limit = 20


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    email: str
    country_of_practice: str | None = Field(description="ISO3 code.")
    specialty: str
    career_stage: str
    membership_status: str
    is_volunteer: bool
    primary_organization: str | None


class PersonList(CursorPage):
    items: list[PersonOut]


def _person(person: Person) -> PersonOut:
    primary = getattr(person, "primary_affiliations", [])
    return PersonOut(
        id=person.pk,
        given_name=person.given_name,
        family_name=person.family_name,
        email=person.email,
        country_of_practice=person.country_of_practice.iso3 if person.country_of_practice else None,
        specialty=person.specialty,
        career_stage=person.career_stage,
        membership_status=person.membership_status,
        is_volunteer=person.is_volunteer,
        primary_organization=primary[0].organization.name if primary else None,
    )


@router.get("/people", auth=TokenAuth("people:read"), response=PersonList)
def list_people(request: TokenRequest, query: Query[PeopleQuery]) -> PersonList:
    """People, by family name, filtered as on the staff people list."""
    people = selectors.people_for_staff(
        user=token_user(request),
        country=(query.country or "").upper(),
        specialty=query.specialty or "",
        membership=query.membership or "",
        search=query.search or "",
    )
    page = paginate(request, people, order=("family_name", "given_name", "pk"), cursor=query.cursor, limit=query.limit)
    return PersonList(items=[_person(person) for person in page.items], next_cursor=page.next_cursor, next=page.next)
