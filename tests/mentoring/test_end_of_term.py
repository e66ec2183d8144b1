"""End of term: completion, evaluations (editable until the deadline, then frozen), the mentor's
hours and certificate, the story prompt, and the figures the evaluations feed."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.mentoring.enums import MentorshipStatus, Side
from oncoreach.mentoring.figures import evaluation_figures
from oncoreach.mentoring.models import Evaluation, Mentorship
from oncoreach.mentoring.services.evaluations import (
    end_terms,
    evaluation_form,
    extend_evaluation,
    freeze_due_evaluations,
    save_evaluation,
)
from oncoreach.programs.forms_engine import questions_for
from oncoreach.programs.impact import figure
from oncoreach.volunteers.models import ActivityLog
from tests.factories.accounts import UserFactory
from tests.factories.mentoring import make_mentorship
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

TERM_START = dt.date(2025, 3, 1)
TERM_END = dt.date(2026, 2, 28)
AFTER = TERM_END + dt.timedelta(days=1)


def _active(mentoring, **kwargs):
    return make_mentorship(mentoring, starts_on=TERM_START, ends_on=TERM_END, **kwargs)


def _values(usefulness="5", goals_met="yes", contact="4", comments="Very helpful."):
    fields = {question.key: question.field_name for question in questions_for(evaluation_form())}
    return {
        fields["usefulness"]: usefulness,
        fields["goals_met"]: goals_met,
        fields["contact"]: contact,
        fields["comments"]: comments,
    }


def _ended(mentoring, **kwargs):
    mentorship = _active(mentoring, **kwargs)
    end_terms(today=AFTER)
    mentorship.refresh_from_db()
    return mentorship


def test_the_end_of_term_completes_asks_both_sides_and_credits_the_mentor_once(mentoring):
    mentee_user = UserFactory(preferred_language="es")
    mentorship = _active(mentoring, mentee=PersonFactory(user=mentee_user, email="mentee@example.org"))
    not_yet = _active(mentoring)
    Mentorship.objects.filter(pk=not_yet.pk).update(ends_on=AFTER)
    pending = make_mentorship(mentoring, status="pending", starts_on=TERM_START, ends_on=TERM_END)

    assert end_terms(today=AFTER) == 1
    assert end_terms(today=AFTER) == 0  # idempotent

    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.COMPLETED
    assert [(e.side, e.person_id) for e in Evaluation.objects.filter(mentorship=mentorship)] == [
        (Side.MENTEE, mentorship.mentee_id),
        (Side.MENTOR, mentorship.mentor_id),
    ]
    [hours] = ActivityLog.objects.filter(person=mentorship.mentor)
    # the cycle's minimum contact (1 hour a month by default) times 12 months
    assert (hours.kind, hours.hours, hours.date) == ("mentoring", Decimal("12.0"), TERM_END)
    assert AuditEvent.objects.filter(action="mentoring.mentorship.transition", data__to_status="completed").count() == 1
    mentee_mail = OutboundEmail.objects.get(event_key=f"mentoring:mentorship:{mentorship.pk}:ended:mentee")
    assert mentee_mail.language == "es"
    assert "/es/" in mentee_mail.body_text
    assert reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk}).split("/", 2)[2] in mentee_mail.body_text
    assert f"?program={mentoring.cycle.program_id}" in mentee_mail.body_text
    assert "certificate" not in mentee_mail.body_text
    mentor_mail = OutboundEmail.objects.get(event_key=f"mentoring:mentorship:{mentorship.pk}:ended:mentor")
    assert f"/mentorships/{mentorship.pk}/certificate.pdf" in mentor_mail.body_text
    assert OutboundEmail.objects.filter(event_key__startswith="mentoring:mentorship:").count() == 2
    for untouched, status in ((not_yet, "active"), (pending, "pending")):
        untouched.refresh_from_db()
        assert untouched.status == status
        assert not Evaluation.objects.filter(mentorship=untouched).exists()


def test_an_evaluation_is_editable_until_its_deadline_then_frozen(mentoring):
    mentorship = _ended(mentoring)
    evaluation = Evaluation.objects.get(mentorship=mentorship, side=Side.MENTEE)
    save_evaluation(evaluation=evaluation, values=_values(usefulness="3", goals_met="partly"), actor=None)
    save_evaluation(evaluation=evaluation, values=_values(usefulness="5", goals_met="yes"), actor=None)
    evaluation.refresh_from_db()
    assert (evaluation.usefulness, evaluation.goals_met) == (5, "yes")
    assert {a.question_key: a.value for a in evaluation.response_set.answers.all()}["comments"] == "Very helpful."

    late = evaluation.due_by + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        save_evaluation(evaluation=evaluation, values=_values(usefulness="1"), actor=None, now=late)
    assert exc.value.code == "closed"
    assert "can no longer be changed" in exc.value.messages[0]

    assert freeze_due_evaluations(now=late) == 2
    assert freeze_due_evaluations(now=late) == 0
    evaluation.refresh_from_db()
    assert evaluation.frozen_at == late
    assert evaluation.response_set.frozen_at == late
    assert evaluation.usefulness == 5
    with pytest.raises(ValidationError):
        save_evaluation(evaluation=evaluation, values=_values(usefulness="1"), actor=None, now=evaluation.due_by)


def test_an_evaluation_given_more_time_stays_open_until_frozen(mentoring):
    mentorship = _ended(mentoring)
    evaluation = Evaluation.objects.get(mentorship=mentorship, side=Side.MENTOR)
    late = evaluation.due_by + dt.timedelta(days=3)
    extend_evaluation(evaluation=evaluation, due_by=late + dt.timedelta(days=7), actor=None)
    assert AuditEvent.objects.filter(action="mentoring.evaluation.extended", target_id=str(evaluation.pk)).exists()

    assert freeze_due_evaluations(now=late) == 1  # only the other side's
    save_evaluation(evaluation=evaluation, values=_values(), actor=None, now=late)
    evaluation.refresh_from_db()
    assert evaluation.frozen_at is None
    assert evaluation.usefulness == 5

    frozen = Evaluation.objects.get(mentorship=mentorship, side=Side.MENTEE)
    with pytest.raises(ValidationError) as exc:
        extend_evaluation(evaluation=frozen, due_by=late + dt.timedelta(days=7), actor=None)
    assert exc.value.code == "frozen"
    frozen.refresh_from_db()
    assert frozen.due_by < late


def test_evaluation_figures_match_hand_counted_records(mentoring):
    # Three completed mentorships in 2026, one still active (its evaluations do not exist yet).
    first, second, third, running = (_active(mentoring) for _ in range(4))
    Mentorship.objects.filter(pk=running.pk).update(ends_on=AFTER)
    end_terms(today=AFTER)
    ev = {(e.mentorship_id, e.side): e for e in Evaluation.objects.all()}
    # first: mentee 5/yes, mentor 4/partly · second: mentee 2/no, mentor not sent · third: mentee 4/partly
    save_evaluation(evaluation=ev[first.pk, "mentee"], values=_values("5", "yes"), actor=None)
    save_evaluation(evaluation=ev[first.pk, "mentor"], values=_values("4", "partly"), actor=None)
    save_evaluation(evaluation=ev[second.pk, "mentee"], values=_values("2", "no"), actor=None)
    save_evaluation(evaluation=ev[third.pk, "mentee"], values=_values("4", "partly"), actor=None)
    # the mentor of the second says "yes", but goals met counts the mentee's answer only
    save_evaluation(evaluation=ev[second.pk, "mentor"], values=_values("3", "yes"), actor=None)

    rows = evaluation_figures()
    total = {key: sum(row.values[key] for row in rows) for key in rows[0].values}
    assert total == {"mentoring_evaluations": 5, "mentoring_rated_useful": 3, "mentoring_goals_met": 1}
    assert {row.day for row in rows} == {timezone.localdate()}  # completed today (ended_at)
    assert {row.program_id for row in rows} == {mentoring.cycle.program_id}
    assert figure("mentoring_useful_share").ratio_of == ("mentoring_rated_useful", "mentoring_evaluations")

    from oncoreach.reporting.selectors import impact_report

    report = impact_report()
    assert report.totals["mentoring_evaluations"] == 5
    assert report.totals["mentoring_useful_share"] == Decimal("0.6")
    assert report.totals["mentoring_goals_met"] == 1
    assert report.totals["mentorships_completed"] == 3


# --- Pages ------------------------------------------------------------------------------------


def _mentee_user(mentorship):
    return mentorship.mentee.user


def test_a_mentee_evaluates_on_the_page_and_may_change_it(client, mentoring):
    mentorship = _ended(mentoring)
    client.force_login(_mentee_user(mentorship))
    url = reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "How useful was this mentorship?" in page.content.decode()
    response = client.post(url, _values("4", "yes"))
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(mentorship=mentorship, side="mentee")
    assert (evaluation.usefulness, evaluation.goals_met) == (4, "yes")
    response = client.post(url, {})
    assert response.status_code == 400
    evaluation.refresh_from_db()
    assert evaluation.usefulness == 4


def test_a_frozen_evaluation_is_shown_not_changed(client, mentoring):
    mentorship = _ended(mentoring)
    evaluation = Evaluation.objects.get(mentorship=mentorship, side="mentee")
    save_evaluation(evaluation=evaluation, values=_values("5", "yes"), actor=None)
    freeze_due_evaluations(now=evaluation.due_by + dt.timedelta(seconds=1))
    client.force_login(_mentee_user(mentorship))
    url = reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk})
    page = client.get(url)
    assert "Evaluations are closed" in page.content.decode()
    assert "Very helpful." in page.content.decode()
    assert client.post(url, _values("1", "no")).status_code == 400
    evaluation.refresh_from_db()
    assert evaluation.usefulness == 5


@pytest.mark.parametrize("who", ["outsider", "coordinator", "other_mentee"])
def test_the_evaluation_page_refuses_everybody_but_its_side(client, mentoring, outsider, coordinator, who):
    mentorship = _ended(mentoring)
    other = _ended(mentoring)
    user = {"outsider": outsider, "coordinator": coordinator, "other_mentee": _mentee_user(other)}[who]
    client.force_login(user)
    url = reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, _values()).status_code == 404
    assert not Evaluation.objects.filter(mentorship=mentorship, submitted_at__isnull=False).exists()


def _pdf_text(pdf):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_mentor_and_staff_download_the_certificate(client, mentoring, coordinator, settings):
    settings.SOCIETY = {**settings.SOCIETY, "name": "Society of Test Oncology"}
    mentorship = _ended(mentoring)
    for user in (mentorship.mentor.user, coordinator):
        client.force_login(user)
        response = client.get(reverse("mentoring:certificate", kwargs={"pk": mentorship.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        text = " ".join(_pdf_text(response.content).split())
        assert "Society of Test Oncology" in text
        assert "Certificate of mentoring" in text
        assert mentorship.mentor.full_name in text
        assert "12.0 hours of mentoring" in text


@pytest.mark.parametrize("who", ["outsider", "mentee"])
def test_the_certificate_is_refused_to_the_mentee_and_outsiders(client, mentoring, outsider, who):
    mentorship = _ended(mentoring)
    client.force_login(outsider if who == "outsider" else _mentee_user(mentorship))
    assert client.get(reverse("mentoring:certificate", kwargs={"pk": mentorship.pk})).status_code == 404


def test_no_certificate_before_the_term_is_over(client, mentoring):
    mentorship = _active(mentoring)
    client.force_login(mentorship.mentor.user)
    assert client.get(reverse("mentoring:certificate", kwargs={"pk": mentorship.pk})).status_code == 404


def test_the_dashboard_invites_both_sides_to_evaluate_and_write_a_story(client, mentoring):
    mentorship = _ended(mentoring)
    story = f"{reverse('stories:write')}?program={mentoring.cycle.program_id}"
    for user, certificate in ((mentorship.mentee.user, False), (mentorship.mentor.user, True)):
        client.force_login(user)
        page = client.get(reverse("mentoring:home")).content.decode()
        assert "Completed mentorships" in page
        assert f'href="{story}"' in page
        assert reverse("mentoring:evaluation", kwargs={"pk": mentorship.pk}) in page
        assert (reverse("mentoring:certificate", kwargs={"pk": mentorship.pk}) in page) is certificate


@pytest.mark.parametrize("count", [1, 3])
def test_the_dashboard_query_count_does_not_grow_with_finished_mentorships(
    client, mentoring, django_assert_num_queries, count
):
    mentor = PersonFactory(user=UserFactory(), is_volunteer=True)
    for _ in range(count):
        make_mentorship(mentoring, mentor=mentor, starts_on=TERM_START, ends_on=TERM_END)
    end_terms(today=AFTER)
    client.force_login(mentor.user)
    with django_assert_num_queries(9):  # + the person's current mentorships (one query)
        assert client.get(reverse("mentoring:home")).status_code == 200


def test_the_story_page_comes_with_the_program_chosen(client, volunteer, mentoring):
    client.force_login(volunteer)
    program = mentoring.cycle.program_id
    page = client.get(f"{reverse('stories:write')}?program={program}&program=nope").content.decode()
    assert f'<option value="{program}" selected>' in page


def test_the_volunteer_dashboard_shows_the_mentor_her_finished_mentorship(client, mentoring, volunteer):
    from tests.factories.volunteers import VolunteerProfileFactory

    VolunteerProfileFactory(person=volunteer.person)
    mentorship = make_mentorship(mentoring, mentor=volunteer.person, starts_on=TERM_START, ends_on=TERM_END)
    end_terms(today=AFTER)
    client.force_login(volunteer)
    page = client.get(reverse("volunteers:dashboard")).content.decode()
    assert reverse("mentoring:certificate", kwargs={"pk": mentorship.pk}) in page
    assert f"{reverse('stories:write')}?program={mentoring.cycle.program_id}" in page


def test_completing_a_completed_or_ended_mentorship_is_refused_and_writes_nothing(mentoring):
    from oncoreach.mentoring.services.evaluations import complete_mentorship

    done = _ended(mentoring)
    early = _active(mentoring)
    Mentorship.objects.filter(pk=early.pk).update(status="ended_early")
    for mentorship in (done, early):
        with pytest.raises(ValidationError) as exc:
            complete_mentorship(mentorship=mentorship, actor=None)
        assert exc.value.code == "mentorship_transition"
    assert Evaluation.objects.filter(mentorship=done).count() == 2
    assert not Evaluation.objects.filter(mentorship=early).exists()
    assert ActivityLog.objects.filter(kind="mentoring").count() == 1


def test_the_periodic_command_completes_ended_terms_and_is_listed(mentoring, settings):
    from io import StringIO

    from django.core.management import call_command

    assert "end_mentoring_terms" in settings.PERIODIC_COMMANDS
    mentorship = _active(mentoring)  # its term ended in February 2026, before today
    out = StringIO()
    call_command("end_mentoring_terms", stdout=out)
    call_command("end_mentoring_terms", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 mentorships completed, 0 evaluations frozen.",
        "0 mentorships completed, 0 evaluations frozen.",
    ]
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.COMPLETED
