import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoreach.awards.models import Award, BudgetLine, InterviewBooking, Interviewer, Offer
from oncoreach.awards.tokens import make_offer_token
from oncoreach.core.models import OutboundEmail
from tests.awards.conftest import NOW
from tests.factories.awards import (
    AwardFactory,
    GrantCapFactory,
    GrantFactory,
    GrantReportFactory,
    InterviewBookingFactory,
    InterviewSlotFactory,
    OfferFactory,
    TrancheFactory,
)
from tests.factories.calls import ApplicationFactory
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory
from tests.factories.programs import ProgramFactory

pytestmark = [pytest.mark.integration]


# --- Interviews --------------------------------------------------------------------------------


def test_applicant_sees_times_in_both_zones_and_books(client, applicant_user, slot):
    client.force_login(applicant_user)
    url = reverse("awards:interview", kwargs={"pk": applicant_user.application.pk})

    page = client.get(url).content.decode()
    assert "Nov. 29, 2026, 3 p.m. (Africa/Nairobi, UTC+0300)" in page
    assert "Nov. 29, 2026, 7 a.m. (America/New_York, UTC-0500)" in page

    response = client.post(url, {"slot": slot.pk}, follow=True)
    assert "Your interview is booked." in response.content.decode()
    assert InterviewBooking.objects.get().slot == slot


def test_booking_a_taken_slot_says_so_in_the_applicants_language(client, applicant_user, slot, call):
    InterviewBookingFactory(slot=slot, application=ApplicationFactory(call=call, status="shortlisted"))
    client.force_login(applicant_user)
    url = reverse("awards:interview", kwargs={"pk": applicant_user.application.pk}).replace("/en/", "/es/")

    response = client.post(url, {"slot": slot.pk}, follow=True)

    assert "Este horario acaba de ser reservado" in response.content.decode()
    assert InterviewBooking.objects.count() == 1


def test_applicant_cancels(client, applicant_user, slot):
    InterviewBookingFactory(slot=slot, application=applicant_user.application)
    client.force_login(applicant_user)
    client.post(reverse("awards:interview", kwargs={"pk": applicant_user.application.pk}), {"cancel": "1"})
    assert InterviewBooking.objects.get().status == "cancelled"


def test_ics_invitation_is_rfc_5545(client, applicant_user, slot):
    booking = InterviewBookingFactory(slot=slot, application=applicant_user.application)
    client.force_login(applicant_user)
    response = client.get(reverse("awards:interview-ics", kwargs={"pk": booking.pk}))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "DTSTART:20261129T120000Z\r\nDTEND:20261129T123000Z\r\n" in body
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_interviewer_offers_a_slot_in_their_own_zone(client, interviewer_user, call):
    client.force_login(interviewer_user)
    url = reverse("awards:call-interviews", kwargs={"slug": call.slug})
    client.post(url, {"starts_local": "2026-12-01T09:00", "duration_minutes": 30, "place": "Room 2"})
    slot = call.interview_slots.get()
    assert (slot.starts_at, slot.interviewer) == (dt.datetime(2026, 12, 1, 14, tzinfo=dt.UTC), interviewer_user.person)


def test_a_time_skipped_by_the_clock_change_is_refused(client, interviewer_user, call):
    client.force_login(interviewer_user)
    url = reverse("awards:call-interviews", kwargs={"slug": call.slug})
    response = client.post(url, {"starts_local": "2027-03-14T02:30", "duration_minutes": 30, "place": "Room 2"})
    assert "does not exist in your time zone" in response.content.decode()
    assert call.interview_slots.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_call_interviews_query_count(client, coordinator, slot, django_assert_num_queries, count):
    call, interviewer = slot.call, slot.interviewer
    for _ in range(count):
        InterviewBookingFactory(slot=InterviewSlotFactory(call=call, interviewer=interviewer))
    client.force_login(coordinator)
    url = reverse("awards:call-interviews", kwargs={"slug": call.slug})
    with django_assert_num_queries(8):
        client.get(url)


# --- Decisions ---------------------------------------------------------------------------------


def _terms():
    return {"respond_by": "2026-12-10T12:00", "amount": "2500", "currency": "USD", "conditions": "Attend in June."}


def test_decisions_preview_then_send(client, coordinator, call):
    applications = [ApplicationFactory(call=call, status="shortlisted") for _ in range(2)]
    client.force_login(coordinator)
    url = reverse("awards:decisions", kwargs={"slug": call.slug})
    data = {**_terms(), f"outcome-{applications[0].pk}": "accept", f"outcome-{applications[1].pk}": "reject"}

    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "You are offered an award: IDEA 2027" in preview
    assert OutboundEmail.objects.count() == 0

    client.post(url, {**data, "send": "1"})
    assert OutboundEmail.objects.count() == 2
    assert Offer.objects.get().application == applications[0]


def test_decisions_take_answer_by_in_the_staff_members_time_zone(client, coordinator, call):
    coordinator.time_zone = "America/New_York"
    coordinator.save(update_fields=["time_zone"])
    application = ApplicationFactory(call=call, status="shortlisted")
    client.force_login(coordinator)
    url = reverse("awards:decisions", kwargs={"slug": call.slug})

    page = client.get(url).content.decode()
    assert "Answer by (your time zone)" in page
    assert "America/New_York" in page

    client.post(url, {**_terms(), f"outcome-{application.pk}": "accept", "send": "1"})
    # 12:00 in New York in December is 17:00 UTC.
    assert Offer.objects.get().respond_by == dt.datetime(2026, 12, 10, 17, 0, tzinfo=dt.UTC)


def test_decisions_preview_shows_a_placeholder_where_the_answer_link_will_be(client, coordinator, call):
    application = ApplicationFactory(call=call, status="shortlisted")
    client.force_login(coordinator)
    url = reverse("awards:decisions", kwargs={"slug": call.slug})

    preview = client.post(url, {**_terms(), f"outcome-{application.pk}": "accept", "preview": "1"}).content.decode()

    assert "[the personal answer link, made when the e-mail is sent]" in preview
    assert preview.count(reverse("awards:my-offers")) == 1  # the dashboard link, once


@pytest.mark.parametrize(("count", "queries"), [(1, 5), (3, 5)])
def test_decisions_query_count(  # noqa: PLR0917 — pytest fixtures
    client, coordinator, call, django_assert_num_queries, count, queries
):
    for _ in range(count):
        ApplicationFactory(call=call, status="shortlisted")
    client.force_login(coordinator)
    with django_assert_num_queries(queries):
        client.get(reverse("awards:decisions", kwargs={"slug": call.slug}))


def test_offer_link_accepts_once_then_says_used(client, db):
    offer = OfferFactory()
    url = reverse(
        "awards:offer-token",
        kwargs={"token": make_offer_token(offer_pk=offer.pk, offered_at=int(offer.offered_at.timestamp()))},
    )

    accepted = client.post(url, {"answer": "accept", "listed": "on"})
    assert "you accepted the award" in accepted.content.decode()
    assert Award.objects.get().listed is True

    again = client.post(url, {"answer": "decline"})
    assert "This offer was already answered or has closed." in again.content.decode()
    assert Award.objects.count() == 1


def test_offer_link_forged_or_expired(client, db):
    response = client.get(reverse("awards:offer-token", kwargs={"token": "nonsense"}))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_offer_after_the_deadline_is_refused_on_the_page(client, applicant_user):
    offer = OfferFactory(application__applicant=applicant_user.person, respond_by=NOW - dt.timedelta(minutes=1))
    client.force_login(applicant_user)
    response = client.post(reverse("awards:offer", kwargs={"pk": offer.pk}), {"answer": "accept"})
    assert "The deadline to answer this offer has passed." in response.content.decode()
    assert Award.objects.count() == 0


def test_offer_deadline_at_a_morning_hour_has_one_full_stop(client, applicant_user):
    applicant_user.time_zone = "UTC"
    applicant_user.save(update_fields=["time_zone"])
    respond_by = dt.datetime.combine((NOW + dt.timedelta(days=7)).date(), dt.time(9), tzinfo=dt.UTC)
    offer = OfferFactory(application__applicant=applicant_user.person, respond_by=respond_by)
    client.force_login(applicant_user)
    page = client.get(reverse("awards:offer", kwargs={"pk": offer.pk})).content.decode()
    assert "9 a.m.</time>" in page
    assert "a.m.." not in page
    assert "a.m.</time>." not in page


# --- Directory ---------------------------------------------------------------------------------


def test_directory_lists_only_listed_awardees_with_their_pathway(client, db):
    idea, life = ProgramFactory(name="IDEA", short_name="IDEA"), ProgramFactory(name="LIFe", short_name="LIFe")
    person = PersonFactory(given_name="Amara", family_name="Okafor")
    AwardFactory(person=person, program=idea, year=2015, institution=AffiliationFactory(person=person).organization)
    AwardFactory(person=person, program=life, year=2018)
    AwardFactory(person=PersonFactory(family_name="Hidden"), program=idea, listed=False)

    page = client.get(reverse("awards:directory")).content.decode()
    assert "IDEA 2015 → LIFe 2018" in page
    assert "Hidden" not in page

    data = json.loads(client.get(reverse("awards:directory-json") + "?program=" + life.slug).content)
    assert [(row["name"], row["year"], row["pathway"]) for row in data["awardees"]] == [
        ("Amara Okafor", 2018, ["IDEA 2015", "LIFe 2018"])
    ]
    csv_text = client.get(reverse("awards:directory-csv") + "?year=2015").content.decode()
    assert csv_text.splitlines()[1].startswith("2015,Amara Okafor,")


@pytest.mark.parametrize(("count", "queries"), [(1, 4), (3, 4)])
def test_directory_query_count(client, db, django_assert_num_queries, count, queries):
    for _ in range(count):
        AwardFactory()
    with django_assert_num_queries(queries):
        client.get(reverse("awards:directory"))


# --- Grants ------------------------------------------------------------------------------------


def test_grant_budget_over_cap_shows_the_error_and_saves_nothing(client, coordinator):
    grant = GrantFactory(program=GrantCapFactory().program)
    client.force_login(coordinator)
    response = client.post(
        reverse("awards:grant", kwargs={"pk": grant.pk}), {"action": "budget", "budget-lines": "Kits; 25000"}
    )
    assert "over the program&#x27;s cap of 20000.00 USD" in response.content.decode()
    assert BudgetLine.objects.count() == 0

    client.post(reverse("awards:grant", kwargs={"pk": grant.pk}), {"action": "budget", "budget-lines": "Kits; 2500.50"})
    assert list(BudgetLine.objects.values_list("amount", flat=True)) == [Decimal("2500.50")]


def test_grant_agreement_that_is_not_a_pdf_is_refused(client, coordinator):
    grant = GrantFactory()
    client.force_login(coordinator)
    fake = SimpleUploadedFile("agreement.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(
        reverse("awards:grant", kwargs={"pk": grant.pk}), {"action": "agreement", "agreement-agreement": fake}
    )
    assert "This file is not a PDF document." in response.content.decode()
    grant.refresh_from_db()
    assert not grant.agreement


def test_tranche_paid_before_approval_is_refused_on_the_page(client, coordinator):
    tranche = TrancheFactory()
    client.force_login(coordinator)
    response = client.post(reverse("awards:tranche-move", kwargs={"pk": tranche.pk}), {"to": "paid"}, follow=True)
    assert "This payment must be approved before it is paid." in response.content.decode()


def test_create_grant_from_the_list(client, coordinator):
    organization = AffiliationFactory().organization
    program = ProgramFactory()
    client.force_login(coordinator)
    client.post(
        reverse("awards:grant-list"),
        {"organization": organization.name, "program": program.pk, "project_title": "HPV screening", "year": 2026},
    )
    assert organization.grants.get().project_title == "HPV screening"


def test_the_grant_form_names_the_organization_in_a_text_box_not_a_list_of_every_one(client, coordinator):
    country = OrganizationFactory().country
    for n in range(300):
        OrganizationFactory(name=f"Regional Cancer Hospital number {n}", city=f"City {n}", country=country)
    client.force_login(coordinator)

    response = client.get(reverse("awards:grant-list"))

    html = response.content.decode()
    assert '<input type="text" name="organization"' in html
    assert "Regional Cancer Hospital number 7" not in html
    assert len(response.content) < 50 * 1024, len(response.content)


def test_the_grant_form_finds_the_organization_by_name_and_city_with_specific_errors(client, coordinator):
    first = OrganizationFactory(name="Hospital Nacional", city="Lima")
    second = OrganizationFactory(name="Hospital Nacional", city="Quito")
    data = {"program": ProgramFactory().pk, "project_title": "Registry", "year": 2026}
    client.force_login(coordinator)

    unknown = client.post(reverse("awards:grant-list"), {**data, "organization": "Hospital Imaginario"})
    ambiguous = client.post(reverse("awards:grant-list"), {**data, "organization": "hospital nacional"})
    client.post(reverse("awards:grant-list"), {**data, "organization": "hospital nacional, QUITO"})

    assert unknown.context["form"].errors["organization"] == [
        "No organization is called “Hospital Imaginario”. Type its name as the people list shows it."
    ]
    assert "Hospital Nacional, Lima" in ambiguous.context["form"].errors["organization"][0]
    assert (first.grants.count(), second.grants.count()) == (0, 1)


def test_finance_csv(client, coordinator):
    TrancheFactory(amount=Decimal("7500.00"), due_date=dt.date(2026, 12, 1), grant__organization__name="Hospital A")
    client.force_login(coordinator)
    rows = client.get(reverse("awards:finance-csv") + "?year=2026").content.decode().splitlines()
    assert rows[1].split(",")[0] == "Hospital A"
    assert rows[1].split(",")[5:9] == ["2026-12-01", "7500.00", "USD", "scheduled"]


@pytest.mark.parametrize(("count", "queries"), [(1, 6), (3, 6)])  # no query for an organization list
def test_grant_list_query_count(client, coordinator, django_assert_num_queries, count, queries):
    for _ in range(count):
        GrantFactory()
    client.force_login(coordinator)
    with django_assert_num_queries(queries):
        client.get(reverse("awards:grant-list"))


@pytest.mark.parametrize(("count", "queries"), [(1, 4), (3, 4)])
def test_ledger_and_overdue_query_count(client, coordinator, django_assert_num_queries, count, queries):
    for _ in range(count):
        TrancheFactory()
        GrantReportFactory(due_date=dt.date(2026, 1, 1))
    client.force_login(coordinator)
    with django_assert_num_queries(queries):
        client.get(reverse("awards:ledger") + "?year=2026")
    with django_assert_num_queries(queries):
        client.get(reverse("awards:overdue-reports"))


def test_the_lead_sends_a_report_from_the_grant_page(client, db):
    from oncoreach.awards.models import GrantReport
    from tests.factories.accounts import UserFactory
    from tests.factories.awards import GrantReportFactory
    from tests.factories.people import PersonFactory

    lead = PersonFactory(user=UserFactory())
    report = GrantReportFactory(grant=GrantFactory(lead=lead))
    client.force_login(lead.user)
    page = client.get(reverse("awards:grant", kwargs={"pk": report.grant_id})).content.decode()
    assert reverse("awards:report-submit", kwargs={"pk": report.pk}) in page
    assert report.grant.project_title in client.get(reverse("awards:my-grants")).content.decode()

    url = reverse("awards:report-submit", kwargs={"pk": report.pk})
    fake = SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, {"file": fake, "summary": "Done"})
    assert "This file is not a PDF document." in response.content.decode()
    assert GrantReport.objects.get(pk=report.pk).received_at is None

    pdf = SimpleUploadedFile("interim.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(url, {"file": pdf, "summary": "Done"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.received_at is not None
    download = client.get(reverse("awards:report-file", kwargs={"pk": report.pk}))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(url).status_code == 403  # already received: nothing more to send


def test_my_grants_lists_only_the_grants_one_leads(client, db, django_assert_max_num_queries):
    from tests.factories.accounts import UserFactory
    from tests.factories.people import PersonFactory

    lead = PersonFactory(user=UserFactory())
    mine = [GrantFactory(lead=lead) for _ in range(3)]
    other = GrantFactory()
    client.force_login(lead.user)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("awards:my-grants")).content.decode()
    assert all(grant.project_title in page for grant in mine)
    assert other.project_title not in page


def test_the_awardee_pages_link_each_other_and_back_to_the_account(client, member):
    """My offers, my awards and my grants were dead ends: each now leads to the others and back."""
    client.force_login(member)
    pages = {
        name: client.get(reverse(name)).content.decode()
        for name in ("awards:my-offers", "awards:my-awards", "awards:my-grants")
    }

    for name, html in pages.items():
        others = [other for other in pages if other != name]
        assert [f'href="{reverse(other)}"' in html for other in others] == [True, True], name
        assert f'href="{reverse("people:dashboard")}"' in html, name


def test_an_award_calls_stages_page_links_its_interviews_and_decisions(client, coordinator):
    """Staff reach an award call's interview calendar and decisions table from the call's stages,
    not by typing the address; a participant intake has no such pages."""
    from tests.factories.calls import CallFactory

    award = CallFactory(kind="award", extra_stages=["committee", "interview"])
    intake = CallFactory(kind="participant", extra_stages=["committee"])
    client.force_login(coordinator)

    award_page = client.get(reverse("calls:staff-stages", args=[award.slug])).content.decode()
    intake_page = client.get(reverse("calls:staff-stages", args=[intake.slug])).content.decode()

    assert reverse("awards:call-interviews", kwargs={"slug": award.slug}) in award_page
    assert reverse("awards:decisions", kwargs={"slug": award.slug}) in award_page
    assert award_page.count(reverse("awards:decisions", kwargs={"slug": award.slug})) == 1  # on the last stage
    decisions = client.get(reverse("awards:decisions", kwargs={"slug": award.slug})).content.decode()
    assert f'href="{reverse("calls:staff-stages", args=[award.slug])}"' in decisions  # and back
    assert reverse("awards:decisions", kwargs={"slug": intake.slug}) not in intake_page


def test_grant_and_interview_pages_name_people_by_e_mail_not_a_list_of_everyone(client, coordinator, call):
    """Both pages listed every person in a <select> (315 KB and 290 KB with the small demo);
    a person is now named by e-mail address, and the pages stay light however many people."""
    from tests.factories.accounts import UserFactory

    for n in range(40):
        PersonFactory(given_name=f"Someone{n}", family_name="With a rather long family name")
    lead = PersonFactory(user=UserFactory(), email="Lead.Person@Example.org")
    organization = AffiliationFactory().organization
    client.force_login(coordinator)

    pages = [
        client.get(reverse("awards:grant-list")).content.decode(),
        client.get(reverse("awards:call-interviews", kwargs={"slug": call.slug})).content.decode(),
    ]
    data = {
        "organization": str(organization),
        "program": ProgramFactory().pk,
        "project_title": "Registry",
        "year": 2026,
    }
    unknown = client.post(reverse("awards:grant-list"), {**data, "lead": "nobody@example.org"}).content.decode()
    client.post(reverse("awards:grant-list"), {**data, "lead": "lead.person@example.org"})
    client.post(
        reverse("awards:call-interviews", kwargs={"slug": call.slug}), {"panel-person": "LEAD.PERSON@example.org"}
    )

    assert ["Someone7" in page for page in pages] == [False, False]
    assert "Nobody in the people list has the e-mail address nobody@example.org." in unknown
    assert [grant.lead for grant in organization.grants.all()] == [lead]
    assert list(Interviewer.objects.filter(call=call).values_list("person", flat=True)) == [lead.pk]


def test_the_stages_page_prints_stage_times_on_the_calls_clock_it_names(client, coordinator):
    """ "Times are in the call's time zone": they were printed on the reader's clock instead."""
    import zoneinfo

    from django.utils import timezone

    from tests.factories.calls import CallFactory

    call = CallFactory(kind="award", time_zone="America/Lima")
    coordinator.time_zone = "Asia/Tokyo"
    coordinator.save(update_fields=["time_zone"])
    client.force_login(coordinator)

    page = client.get(reverse("calls:staff-stages", args=[call.slug])).content.decode()

    closes = call.stage_list[0].closes_at
    lima, tokyo = (timezone.localtime(closes, zoneinfo.ZoneInfo(zone)) for zone in ("America/Lima", "Asia/Tokyo"))
    assert [f"closes {lima:%Y-%m-%d %H:%M}" in page, f"closes {tokyo:%Y-%m-%d %H:%M}" in page] == [True, False]
