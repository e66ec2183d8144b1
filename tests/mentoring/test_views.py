"""Mentoring pages: happy paths, outsiders refused, query counts, and contact details that never
leak before both sides accepted (per role and per page)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.enums import CallKind
from oncoreach.mentoring import matching_adapter, selectors
from oncoreach.mentoring.enums import MatchStatus, Side
from oncoreach.mentoring.models import Match, MatchRun, MenteeRequest, MentoringCycle, MentorOffer
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.consent import answer_url
from tests.factories.calls import CycleFactory
from tests.factories.mentoring import make_mentee, make_mentor

pytestmark = pytest.mark.django_db

MENTOR_SECRET, MENTEE_SECRET = "mentor.secret", "mentee.secret"


def _published(mentoring, actor):
    round_ = rounds.open_round(mentoring=mentoring, actor=actor)
    run = rounds.start_engine_run(round_=round_, actor=actor)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    rounds.publish_round(round_=round_, run=MatchRun.objects.get(pk=run.pk), actor=actor)
    return round_, Match.objects.get(round=round_)


@pytest.fixture
def proposal(mentoring, coordinator):
    make_mentor(mentoring)
    make_mentee(mentoring)
    return _published(mentoring, coordinator)[1]


def test_staff_set_a_cycle_up_on_our_pages(client, coordinator):
    cycle = CycleFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("mentoring:staff-cycle-new", args=[cycle.pk]),
        {
            "opens_on": "2030-11-15",
            "closes_on": "2031-01-21",
            "time_zone": "America/New_York",
            "term_start": "2031-03-01",
            "term_months": 12,
            "min_contact_hours_per_month": "1.0",
            "consent_days": 14,
            "mentor_min_years": 10,
            "mentor_outside_region": "on",
            "eligible_income_groups": ["L", "LM"],
            "tracks": "Women in oncology",
        },
    )
    mentoring = MentoringCycle.objects.get(cycle=cycle)
    assert response.status_code == 302
    assert mentoring.call.kind == CallKind.MENTEE
    assert mentoring.call.eligible_income_groups == ["L", "LM"]
    assert mentoring.call.closes_at_local.strftime("%H:%M") == "23:59"


@pytest.mark.parametrize("name", ["staff-cycles"])
def test_staff_pages_refuse_outsiders(client, outsider, volunteer, name):
    for user in (outsider, volunteer):
        client.force_login(user)
        assert client.get(reverse(f"mentoring:{name}")).status_code == 403


def test_the_cycle_list_query_count(client, coordinator, django_assert_max_num_queries):
    from tests.factories.mentoring import make_cycle

    for _ in range(3):
        make_cycle(actor=coordinator)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mentoring:staff-cycles"))
    assert response.status_code == 200


def test_a_volunteer_offers_to_mentor(client, mentoring, volunteer):
    client.force_login(volunteer)
    url = reverse("mentoring:offer", args=[mentoring.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "capacity": 2,
            "focus_areas": ["breast_cancer"],
            "languages": ["en", "es"],
            "years_in_oncology": 12,
            "time_zone": "Europe/Madrid",
            "windows": "Mon 09:00-11:00\nWed 16:00-18:30",
        },
    )
    assert response.status_code == 302
    offer = MentorOffer.objects.get(person=volunteer.person)
    assert [w.as_tuple for w in offer.windows.all()] == [(0, 540, 660), (2, 960, 1110)]


def test_bad_windows_get_a_clear_error(client, mentoring, volunteer):
    client.force_login(volunteer)
    response = client.post(
        reverse("mentoring:offer", args=[mentoring.pk]),
        {
            "capacity": 1,
            "focus_areas": ["breast_cancer"],
            "languages": ["en"],
            "years_in_oncology": 12,
            "time_zone": "UTC",
            "windows": "Mon 11:00-09:00",
        },
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    assert not MentorOffer.objects.exists()


def test_a_non_volunteer_cannot_offer(client, mentoring, outsider):
    client.force_login(outsider)
    assert client.get(reverse("mentoring:offer", args=[mentoring.pk])).status_code == 404


def test_the_mentor_list_shows_expertise_never_contact_details(
    client, mentoring, member, django_assert_max_num_queries
):
    for _ in range(4):
        make_mentor(mentoring)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mentoring:mentors", args=[mentoring.pk]), {"focus": "breast_cancer"})
    text = response.content.decode()
    assert "Breast cancer" in text
    assert MENTOR_SECRET not in text
    assert "@example" not in text


def test_a_mentee_applies_without_javascript(client, mentoring, member):
    mentor = make_mentor(mentoring)
    client.force_login(member)
    url = reverse("mentoring:apply", args=[mentoring.pk])
    client.post(url)
    response = client.post(
        url,
        {
            "goal_type": "research",
            "goals": "Publish my registry data.",
            "focus_areas": ["cancer_registries"],
            "languages": ["en"],
            "time_zone": "Africa/Nairobi",
            "windows": "Tue 15:00-19:00\nThu 15:00-19:00",
            "choice_1": mentor.pk,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    request = MenteeRequest.objects.get(application__applicant=member.person)
    assert request.application.status == "eligible"
    assert request.preferences.get().offer == mentor
    # The submitted application is no dead end: it leads back to the mentoring page.
    assert f'href="{reverse("mentoring:home")}"' in client.get(url).content.decode()


def test_contact_details_appear_only_when_both_accepted(client, proposal, outsider, coordinator):
    mentee = proposal.request.application.applicant.user
    mentor = proposal.offer.person.user
    url = reverse("mentoring:match", args=[proposal.pk])
    for user in (mentee, mentor):
        client.force_login(user)
        text = client.get(url).content.decode() + client.get(reverse("mentoring:home")).content.decode()
        assert MENTOR_SECRET not in text
        assert MENTEE_SECRET not in text
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    consent.answer_proposal(match=proposal, side=Side.MENTEE, accept=True, actor=mentee)
    client.force_login(mentee)
    assert MENTOR_SECRET not in client.get(url).content.decode()
    consent.answer_proposal(match=proposal, side=Side.MENTOR, accept=True, actor=mentor)
    client.force_login(mentee)
    assert MENTOR_SECRET in client.get(url).content.decode()
    client.force_login(mentor)
    assert MENTEE_SECRET in client.get(url).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_signed_link_answers_once(client, proposal):
    url = answer_url(proposal, Side.MENTEE, proposal.request.application.applicant)
    path = url[url.index("/", url.index("//") + 2) :]
    page = client.get(path)
    assert page.status_code == 200
    assert MENTOR_SECRET not in page.content.decode()
    assert client.post(path, {"action": "accept"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.mentee_answer == "accepted"
    reused = client.post(path, {"action": "decline"})
    assert reused.status_code == 410
    assert "already used" in reused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.APPROVED


def test_a_forged_link_is_refused(client):
    assert client.get(reverse("mentoring:answer-link", args=["nonsense"])).status_code == 404


def test_staff_run_and_publish_from_the_round_page(client, mentoring, coordinator, django_assert_max_num_queries):
    for _ in range(3):
        make_mentor(mentoring)
        make_mentee(mentoring)
    client.force_login(coordinator)
    response = client.post(reverse("mentoring:staff-round-open", args=[mentoring.pk]))
    round_ = mentoring.rounds.get()
    assert response.url.endswith(reverse("mentoring:staff-round", args=[round_.pk]))
    client.post(reverse("mentoring:staff-round-run", args=[round_.pk]), {"objective": "fair"})
    run = round_.runs.get()
    matching_adapter.compute_run(run)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("mentoring:staff-round", args=[round_.pk]), {"run": run.pk})
    assert "hours a week in common" in page.content.decode()
    client.post(reverse("mentoring:staff-round-publish", args=[round_.pk]), {"run": run.pk})
    assert round_.matches.filter(status=MatchStatus.APPROVED).count() == 3


def test_round_pages_refuse_outsiders(client, proposal, volunteer):
    client.force_login(volunteer)
    assert client.get(reverse("mentoring:staff-round", args=[proposal.round_id])).status_code == 403
    response = client.post(reverse("mentoring:staff-round-publish", args=[proposal.round_id]), {"run": 1})
    assert response.status_code == 403
    assert client.get(reverse("mentoring:staff-round-pairs-csv", args=[proposal.round_id])).status_code == 403
    assert selectors.status_counts(proposal.round) == {"approved": 1}


def test_the_round_page_counts_pairs_by_their_translated_status(client, proposal, coordinator):
    """The tally read "approved: 1" in every language (the raw status key)."""
    client.force_login(coordinator)

    english = client.get(reverse("mentoring:staff-round", args=[proposal.round_id])).content.decode()
    spanish = client.get(
        reverse("mentoring:staff-round", args=[proposal.round_id]).replace("/en/", "/es/", 1)
    ).content.decode()

    assert ["Waiting for answers: 1" in english, "approved: 1" in english] == [True, False]
    assert "approved: 1" not in spanish


def test_the_apply_page_gives_the_closing_time_on_the_calls_clock_it_names(client, mentoring, member):
    """ "Applications close on <time> (<call's zone>)" printed the reader's clock beside the call's
    zone name: a mentee in Tokyo read a time nine or more hours off."""
    import zoneinfo

    from django.utils.dateformat import format as format_date
    from django.utils.formats import get_format

    call = mentoring.call
    member.time_zone = "Asia/Tokyo"
    member.save(update_fields=["time_zone"])
    client.force_login(member)

    page = client.get(reverse("mentoring:apply", args=[mentoring.pk])).content.decode()

    closes = call.window_closes_at
    on_call_clock = format_date(
        timezone.localtime(closes, zoneinfo.ZoneInfo(call.time_zone)), get_format("DATETIME_FORMAT")
    )
    on_tokyo_clock = format_date(
        timezone.localtime(closes, zoneinfo.ZoneInfo("Asia/Tokyo")), get_format("DATETIME_FORMAT")
    )
    assert call.time_zone != "Asia/Tokyo"
    assert [on_call_clock in page, on_tokyo_clock in page] == [True, False]


def test_the_second_acceptance_says_the_pair_is_complete(client, proposal):
    """The side whose "yes" completed the pair read "contact details appear once both of you have
    accepted", right above the contact details."""
    mentee = proposal.request.application.applicant.user
    mentor = proposal.offer.person.user
    url = reverse("mentoring:match", args=[proposal.pk])
    client.force_login(mentee)
    first = client.post(url, {"action": "accept"}, follow=True).content.decode()
    client.force_login(mentor)

    second = client.post(url, {"action": "accept"}, follow=True).content.decode()

    assert "Contact details appear once both of you have accepted." in first
    assert "you have both accepted. You can now see each other" in second.replace("&#x27;", "'")
    assert "Contact details appear once both of you have accepted." not in second


def test_a_large_round_pages_its_pairs_under_the_weight_budget(client, mentoring, coordinator):
    for _ in range(28):
        make_mentor(mentoring)
    for _ in range(55):
        make_mentee(mentoring)
    round_ = rounds.open_round(mentoring=mentoring, actor=coordinator)
    run = rounds.start_engine_run(round_=round_, actor=coordinator)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    client.force_login(coordinator)
    url = reverse("mentoring:staff-round", args=[round_.pk])

    first = client.get(url, {"run": run.pk})
    second = client.get(url, {"run": run.pk, "page": 2})

    assert len(first.content) < 50 * 1024, len(first.content)
    assert (len(first.context["pairs"]), len(second.context["pairs"])) == (50, 5)
    assert f'href="?run={run.pk}&amp;page=2" rel="next"' in first.content.decode()
    assert "55 pairs, 0 unmatched" in second.content.decode()  # the run's tally, on every page
    download = client.get(reverse("mentoring:staff-round-pairs-csv", args=[round_.pk]), {"run": run.pk})
    assert len(download.content.decode().splitlines()) == 1 + 55
    assert f'href="/en/mentoring/staff/rounds/{round_.pk}/pairs.csv?run={run.pk}"' in second.content.decode()


def test_the_mentor_list_is_paged_and_keeps_its_filters(client, mentoring, member):
    for _ in range(27):
        make_mentor(mentoring)
    client.force_login(member)
    url = reverse("mentoring:mentors", args=[mentoring.pk])

    first = client.get(url, {"focus": "breast_cancer"})
    second = client.get(url, {"focus": "breast_cancer", "page": 2})

    assert (len(first.context["cards"]), len(second.context["cards"])) == (25, 2)
    assert 'href="?focus=breast_cancer&amp;page=2" rel="next"' in first.content.decode()
    assert "27 mentors" in second.content.decode()
