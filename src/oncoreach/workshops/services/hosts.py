"""Host applications: approving one makes the institution a partner and creates its course."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.calls.enums import ApplicationStatus, CallKind
from oncoreach.calls.models import Application
from oncoreach.core.services import record_audit
from oncoreach.people.models import Organization, Person
from oncoreach.workshops.enums import DECIDABLE_APPLICATION_STATUSES
from oncoreach.workshops.models import Course
from oncoreach.workshops.services.courses import create_course
from oncoreach.workshops.services.registration import walk_application

S = ApplicationStatus


def _applicant_organization(person: Person) -> Organization | None:
    affiliation = person.affiliations.select_related("organization").order_by("-is_primary", "id").first()
    return affiliation.organization if affiliation is not None else None


@transaction.atomic
def approve_host_application(
    *,
    application: Application,
    actor: Any,
    template: Any,
    title: str,
    city: str,
    start_date: dt.date,
    end_date: dt.date,
    time_zone: str,
    capacity: int,
    organization: Organization | None = None,
    note: str = "",
) -> Course:
    """Accept a host application: the institution becomes a partner and its course is created in
    planning, with the applicant as host contact (they see its registrations)."""
    application = Application.objects.select_related("call__cycle__program", "applicant").get(pk=application.pk)
    if application.call.kind != CallKind.HOST:
        raise ValidationError(_("This is not a host application."), code="not_host")
    organization = organization or _applicant_organization(application.applicant)
    if organization is None:
        raise ValidationError(_("Name the applicant's institution first."), code="no_organization")
    if application.status not in DECIDABLE_APPLICATION_STATUSES:
        raise ValidationError(
            _("This application cannot be approved now (it is “%(status)s”).")
            % {"status": ApplicationStatus(application.status).label},
            code="not_decidable",
        )
    course = create_course(
        actor=actor,
        template=template,
        program=application.call.cycle.program,
        title=title,
        host_organization=organization,
        city=city,
        country=organization.country,
        start_date=start_date,
        end_date=end_date,
        time_zone=time_zone,
        capacity=capacity,
    )
    walk_application(application, S.ACCEPTED, actor, note=note)
    Organization.objects.filter(pk=organization.pk).update(is_partner=True)
    course.host_application = application
    course.save(update_fields=["host_application", "updated_at"])
    course.host_contacts.add(application.applicant)
    record_audit(actor=actor, action="workshops.host_approved", target=course, application=application.pk)
    return course
