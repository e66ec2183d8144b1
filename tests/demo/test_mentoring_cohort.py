"""The demo's finished mentoring cohort: completed through the services, evaluated, frozen, hours
credited, and the volunteer persona's certificate and story prompt on her mentoring page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.mentoring.models import Evaluation, Mentorship
from oncoreach.volunteers.models import ActivityLog
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration]

GRACE = "volunteer@demo.oncoreach.org"


def test_the_finished_cohort_is_completed_evaluated_and_credited(demo):
    cohort = Mentorship.objects.filter(cycle__cycle__name__startswith="Virtual Mentors (first cohort)")
    assert cohort.exists()
    assert set(cohort.values_list("status", flat=True)) == {"completed"}
    evaluations = Evaluation.objects.filter(mentorship__in=cohort)
    assert evaluations.count() == 2 * cohort.count()
    assert evaluations.filter(submitted_at__isnull=False).exists()
    # Every one is closed but the volunteer persona's own, which her login promises she can write.
    assert not evaluations.filter(frozen_at__isnull=True).exclude(person__email=GRACE).exists()
    credited = ActivityLog.objects.filter(
        kind="mentoring", related_id__in=[str(pk) for pk in cohort.values_list("pk", flat=True)]
    )
    assert credited.count() == cohort.count()


def test_the_volunteer_sees_her_certificate_and_the_story_prompt(demo):
    mentorship = Mentorship.objects.get(
        mentor__email=GRACE, cycle__cycle__name__startswith="Virtual Mentors (first cohort)"
    )
    client = client_for(GRACE)
    page = client.get(reverse("mentoring:home")).content.decode()
    certificate = reverse("mentoring:certificate", kwargs={"pk": mentorship.pk})
    assert certificate in page
    assert f"{reverse('stories:write')}?program={mentorship.cycle.cycle.program_id}" in page
    response = client.get(certificate)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert client.get(reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk})).status_code == 200


def test_the_volunteers_own_evaluation_is_open_for_her_to_write(demo):
    mentorship = Mentorship.objects.get(
        mentor__email=GRACE, cycle__cycle__name__startswith="Virtual Mentors (first cohort)"
    )
    mine = Evaluation.objects.get(mentorship=mentorship, side="mentor")
    assert mine.frozen_at is None
    assert mine.submitted_at is None
    assert mine.due_by > timezone.now()
    page = client_for(GRACE).get(reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk}))
    assert page.status_code == 200
    assert b"<form" in page.content
    assert b"Evaluations are closed" not in page.content
