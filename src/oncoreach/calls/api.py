"""Calls in the JSON API: open calls with their deadlines (public), one call, and a call's
applications for staff (``calls:read``), through the same selectors as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from oncoreach.calls import selectors
from oncoreach.calls.enums import ApplicationStatus, CallKind
from oncoreach.calls.models import Application, Call
from oncoreach.core.apikit import (
    Cursor,
    CursorPage,
    Limit,
    SearchText,
    Slug,
    TokenAuth,
    TokenRequest,
    paginate,
    site_url,
    token_user,
)

router = Router(tags=["calls"])


class CallQuery(Schema):
    kind: CallKind | None = None
    program: Slug | None = Field(None, description="Only calls of this program.")
    cursor: Cursor | None = None
    limit: Limit = 20


class CallOut(Schema):
    slug: str
    title: str
    kind: str
    program: str = Field(description="The program's slug.")
    program_name: str
    cycle: str
    time_zone: str = Field(description="The IANA time zone the deadline is set in, e.g. Africa/Nairobi.")
    opens_at: dt.datetime = Field(description="ISO 8601 in the call's time zone, with its UTC offset.")
    closes_at: dt.datetime = Field(description="The deadline: ISO 8601 in the call's time zone, with its UTC offset.")
    closes_at_utc: dt.datetime = Field(description="The same deadline in UTC.")
    is_open: bool
    eligible_income_groups: list[str] = Field(description="World Bank codes; empty means any country.")
    url: str


class CriterionOut(Schema):
    name: str
    description: str
    weight: float
    scale_max: int
    variant: str = Field(
        default="", description="Empty: scored for every application; else one rubric variant (a track)."
    )


class CallDetailOut(CallOut):
    description: str
    country_basis: str = Field(description="Which of the applicant's countries eligibility looks at.")
    reference_letters_required: int
    criteria: list[CriterionOut] = Field(description="The rubric reviewers score against.")


class CallList(CursorPage):
    items: list[CallOut]


class ApplicationQuery(Schema):
    status: ApplicationStatus | None = None
    eligible: bool | None = Field(None, description="Only applications judged eligible (true) or not (false).")
    search: SearchText | None = Field(None, description="Part of the applicant's name or e-mail address.")
    cursor: Cursor | None = None
    limit: Limit = 50


class ApplicantOut(Schema):
    id: int
    given_name: str
    family_name: str
    email: str
    country_of_practice: str | None = Field(description="ISO3 code.")


class ApplicationOut(Schema):
    id: int
    applicant: ApplicantOut
    status: str
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    eligible: bool | None = Field(description="The eligibility judgement, null before it is made.")
    reviews_assigned: int
    reviews_submitted: int


class ApplicationList(CursorPage):
    items: list[ApplicationOut]


def _call(call: Call) -> dict[str, object]:
    program = call.cycle.program
    return {
        "slug": call.slug,
        "title": call.title,
        "kind": call.kind,
        "program": program.slug,
        "program_name": program.name,
        "cycle": call.cycle.name,
        "time_zone": call.time_zone,
        "opens_at": call.opens_at_local,
        "closes_at": call.closes_at_local,
        "closes_at_utc": call.window_closes_at.astimezone(dt.UTC) if call.window_closes_at else None,
        "is_open": call.is_open(timezone.now()),
        "eligible_income_groups": list(call.eligible_income_groups),
        "url": site_url(call.get_absolute_url()),
    }


@router.get("/calls", response=CallList)
def list_calls(request: HttpRequest, query: Query[CallQuery]) -> CallList:
    """Calls open now, in the order they were created (cursor pages need a column; the deadline is
    now the first stage's)."""
    calls = selectors.open_calls(kind=query.kind or "", program=query.program or "")
    page = paginate(request, calls, order=("pk",), cursor=query.cursor, limit=query.limit)
    return CallList(
        items=[CallOut(**_call(call)) for call in page.items],  # type: ignore[arg-type]
        next_cursor=page.next_cursor,
        next=page.next,
    )


@router.get("/calls/{slug}", response=CallDetailOut)
def get_call(request: HttpRequest, slug: Slug) -> CallDetailOut:
    """One published call (open, upcoming or closed) with its rules and rubric."""
    call = selectors.get_public_call(slug=slug)
    return CallDetailOut(
        **_call(call),  # type: ignore[arg-type]
        description=call.description,
        country_basis=call.country_basis,
        reference_letters_required=call.reference_letters_required,
        criteria=[
            CriterionOut(
                name=c.name,
                description=c.description,
                weight=float(c.weight),
                scale_max=c.scale_max,
                variant=c.variant,
            )
            for stage in call.stage_list
            for c in stage.criteria.all()
        ],
    )


def _application(application: Application) -> ApplicationOut:
    applicant = application.applicant
    verdict = (application.eligibility or {}).get("eligible")
    return ApplicationOut(
        id=application.pk,
        applicant=ApplicantOut(
            id=applicant.pk,
            given_name=applicant.given_name,
            family_name=applicant.family_name,
            email=applicant.email,
            country_of_practice=applicant.country_of_practice.iso3 if applicant.country_of_practice else None,
        ),
        status=application.status,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        eligible=verdict if isinstance(verdict, bool) else None,
        reviews_assigned=getattr(application, "assignment_count", 0),
        reviews_submitted=getattr(application, "review_count", 0),
    )


EligibleFilter = Literal["yes", "no", ""]


@router.get("/calls/{slug}/applications", auth=TokenAuth("calls:read"), response=ApplicationList)
def list_call_applications(request: TokenRequest, slug: Slug, query: Query[ApplicationQuery]) -> ApplicationList:
    """A call's submitted applications (drafts are never shown), oldest first."""
    user = token_user(request)
    call = selectors.get_call_for_staff(user=user, slug=slug)
    eligible: EligibleFilter = "" if query.eligible is None else ("yes" if query.eligible else "no")
    applications = selectors.applications_for_staff(
        user=user, call=call, status=query.status or "", eligible=eligible, search=query.search or ""
    )
    page = paginate(request, applications, order=("pk",), cursor=query.cursor, limit=query.limit)
    return ApplicationList(
        items=[_application(application) for application in page.items], next_cursor=page.next_cursor, next=page.next
    )
