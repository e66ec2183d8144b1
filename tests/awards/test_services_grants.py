import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from oncoreach.awards import services
from oncoreach.awards.models import BudgetLine, Grant, Tranche
from oncoreach.core.models import AuditEvent, OutboundEmail
from tests.factories.awards import GrantCapFactory, GrantFactory, GrantReportFactory, TrancheFactory
from tests.factories.people import OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def grant(db):
    cap = GrantCapFactory()
    return GrantFactory(program=cap.program)


def test_create_grant_to_an_organization(db):
    cap = GrantCapFactory(currency="EUR")
    organization = OrganizationFactory()
    grant = services.create_grant(
        organization=organization, program=cap.program, project_title="Screening", year=2026, actor=None
    )
    assert (grant.organization, grant.currency) == (organization, "EUR")


def test_create_grant_refuses_a_person(db):
    with pytest.raises(ValidationError) as exc:
        services.create_grant(
            organization=PersonFactory(), program=GrantCapFactory().program, project_title="x", year=2026, actor=None
        )
    assert exc.value.code == "not_organization"
    assert Grant.objects.count() == 0


def test_budget_within_the_cap(grant):
    services.set_budget(grant=grant, lines=[("Kits", "12000"), ("Training", "8000.00")], actor=None)
    assert list(BudgetLine.objects.values_list("amount", flat=True)) == [Decimal("12000.00"), Decimal("8000.00")]


def test_budget_over_the_cap_is_refused_and_keeps_the_old_budget(grant):
    services.set_budget(grant=grant, lines=[("Kits", "1000")], actor=None)
    with pytest.raises(ValidationError) as exc:
        services.set_budget(grant=grant, lines=[("Kits", "15000"), ("Travel", "5000.01")], actor=None)
    assert exc.value.messages == ["The budget totals 20000.01 USD, over the program's cap of 20000.00 USD."]
    assert list(BudgetLine.objects.values_list("description", flat=True)) == ["Kits"]


@pytest.mark.parametrize("lines", [[], [("Kits", "abc")], [("Kits", "-5")]])
def test_budget_bad_lines_are_refused(grant, lines):
    with pytest.raises(ValidationError):
        services.set_budget(grant=grant, lines=lines, actor=None)


def test_budget_in_another_currency_than_the_cap_is_refused(grant):
    grant.currency = "EUR"
    grant.save()
    with pytest.raises(ValidationError) as exc:
        services.set_budget(grant=grant, lines=[("Kits", "10")], actor=None)
    assert exc.value.code == "currency_mismatch"


def test_agreement_must_be_a_pdf_by_its_content(grant):
    fake = SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.upload_agreement(grant=grant, file=fake, actor=None)
    assert exc.value.code == "not_pdf"
    grant.refresh_from_db()
    assert not grant.agreement

    services.upload_agreement(grant=grant, file=SimpleUploadedFile("signed.pdf", PDF), actor=None)
    grant.refresh_from_db()
    assert (grant.agreement_name, grant.agreement.name.startswith("grant-agreements/")) == ("signed.pdf", True)


def test_tranches_stay_within_the_budget(grant):
    services.set_budget(grant=grant, lines=[("Kits", "10000")], actor=None)
    services.add_tranche(grant=grant, amount="6000", due_date=dt.date(2027, 1, 1), actor=None)
    with pytest.raises(ValidationError) as exc:
        services.add_tranche(grant=grant, amount="4000.01", due_date=dt.date(2027, 6, 1), actor=None)
    assert exc.value.code == "over_budget"
    assert Tranche.objects.count() == 1


def test_tranche_goes_scheduled_approved_paid(grant):
    services.upload_agreement(grant=grant, file=SimpleUploadedFile("a.pdf", PDF), actor=None)
    tranche = TrancheFactory(grant=grant)
    services.transition_tranche(tranche=tranche, to="approved", actor=None)
    services.transition_tranche(tranche=tranche, to="paid", actor=None)
    tranche.refresh_from_db()
    assert (tranche.status, tranche.approved_at is not None, tranche.paid_at is not None) == ("paid", True, True)
    assert list(
        AuditEvent.objects.filter(action="awards.tranche_transition").order_by("id").values_list("data__new", flat=True)
    ) == ["approved", "paid"]


def test_tranche_paid_before_approval_is_refused(grant):
    tranche = TrancheFactory(grant=grant)
    with pytest.raises(ValidationError) as exc:
        services.transition_tranche(tranche=tranche, to="paid", actor=None)
    assert exc.value.messages == ["This payment must be approved before it is paid."]
    tranche.refresh_from_db()
    assert tranche.status == "scheduled"


def test_tranche_approval_needs_the_signed_agreement(grant):
    with pytest.raises(ValidationError) as exc:
        services.transition_tranche(tranche=TrancheFactory(grant=grant), to="approved", actor=None)
    assert exc.value.code == "no_agreement"


def test_paid_tranche_cannot_move(grant):
    services.upload_agreement(grant=grant, file=SimpleUploadedFile("a.pdf", PDF), actor=None)
    tranche = TrancheFactory(grant=grant)
    services.transition_tranche(tranche=tranche, to="approved", actor=None)
    services.transition_tranche(tranche=tranche, to="paid", actor=None)
    with pytest.raises(ValidationError) as exc:
        services.transition_tranche(tranche=tranche, to="cancelled", actor=None)
    assert exc.value.code == "tranche_transition"


def test_reports_due_received_and_reminded_once(grant):
    lead = PersonFactory()
    grant.lead = lead
    grant.save()
    report = services.add_report(grant=grant, kind="interim", due_date=dt.date(2026, 12, 5), actor=None)
    with pytest.raises(ValidationError):
        services.add_report(grant=grant, kind="interim", due_date=dt.date(2026, 12, 6), actor=None)
    assert services.send_report_reminders(today=dt.date(2026, 11, 1)) == 0
    assert services.send_report_reminders(today=dt.date(2026, 11, 26)) == 1
    assert services.send_report_reminders(today=dt.date(2026, 11, 27)) == 0
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [lead.email]
    services.receive_report(report=report, actor=None)
    with pytest.raises(ValidationError):
        services.receive_report(report=report, actor=None)


def test_overdue_list_has_only_reports_past_due_and_not_received(grant):
    from oncoreach.awards import selectors

    overdue = GrantReportFactory(grant=grant, kind="interim", due_date=dt.date(2026, 10, 1))
    GrantReportFactory(grant=grant, kind="final", due_date=dt.date(2027, 10, 1))
    received = GrantReportFactory(
        kind="interim", due_date=dt.date(2026, 9, 1), received_at=dt.datetime(2026, 9, 2, tzinfo=dt.UTC)
    )
    assert list(selectors.overdue_reports(today=dt.date(2026, 11, 26))) == [overdue]
    assert received.pk


def test_budget_from_the_application_repeating_group(grant):
    from oncoreach.programs.forms_engine import save_answers
    from tests.factories.calls import ApplicationFactory, CallFactory, QuestionFactory

    call = CallFactory()
    group = QuestionFactory(form=call.form, kind="group", key="budget", label="Budget")
    QuestionFactory(form=call.form, kind="short_text", key="item", label="Item", parent=group)
    QuestionFactory(form=call.form, kind="money", key="amount", label="Amount", parent=group, currency="USD")
    application = ApplicationFactory(call=call)
    save_answers(
        response_set=application.response_set,
        values={group.field_name: [{"item": "Kits", "amount": "900"}, {"item": "Travel", "amount": "100.50"}]},
    )
    grant.application = application
    grant.save()
    lines = services.budget_from_application(grant=grant, actor=None)
    assert [(line.description, line.amount) for line in lines] == [
        ("Kits", Decimal("900.00")),
        ("Travel", Decimal("100.50")),
    ]


def test_the_lead_sends_a_report_as_a_pdf_and_it_is_received_once(grant):
    lead = PersonFactory()
    grant.lead = lead
    grant.save()
    report = GrantReportFactory(grant=grant)
    pdf = SimpleUploadedFile("Interim report.pdf", PDF, "application/pdf")
    services.submit_report(report=report, file=pdf, summary="  Trained 40 nurses.  ", actor=None)
    report.refresh_from_db()
    assert (report.file_name, report.summary, report.submitted_by) == ("Interim report.pdf", "Trained 40 nurses.", lead)
    assert report.received_at is not None
    with report.file.open("rb") as stored:
        assert stored.read() == PDF
    assert AuditEvent.objects.filter(action="awards.report_submitted").count() == 1
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [lead.email]
    with pytest.raises(ValidationError) as exc:
        services.submit_report(
            report=report, file=SimpleUploadedFile("again.pdf", PDF, "application/pdf"), summary="", actor=None
        )
    assert exc.value.code == "already_received"
    report.refresh_from_db()
    assert report.file_name == "Interim report.pdf"


def test_a_report_that_is_not_a_pdf_changes_nothing(grant):
    report = GrantReportFactory(grant=grant)
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.submit_report(report=report, file=fake, summary="x", actor=None)
    assert exc.value.code == "not_pdf"
    report.refresh_from_db()
    assert (report.received_at, report.file.name, report.summary) == (None, "", "")
    assert not AuditEvent.objects.filter(action="awards.report_submitted").exists()
