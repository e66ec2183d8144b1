"""Awardees' benefits: Annual Meeting trips (through the shared travel app) and mentors paired by
staff with the engine's help."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.candidates import ScoringConfig
from oncoreach.awards import services
from oncoreach.awards.matching_adapter import propose_mentors
from oncoreach.awards.models import Benefit
from oncoreach.calls.models import Call
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.travel.models import Trip
from tests.factories.awards import AwardFactory, TrackFactory
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.geo import CountryFactory
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory
from tests.factories.volunteers import VolunteerProfileFactory

pytestmark = [pytest.mark.integration]


def _award(*, track, person=None, kinds=("meeting_travel", "mentor"), **kwargs):
    person = person or PersonFactory(languages=["es"])
    # A track's awardees come from one call (conflicts are looked up once per call).
    call = Call.objects.filter(cycle=track.cycle).first() or CallFactory(cycle=track.cycle)
    application = ApplicationFactory(call=call, applicant=person, status="accepted")
    award = AwardFactory(
        person=person, program=track.cycle.program, cycle=track.cycle, track=track, application=application, **kwargs
    )
    for kind in kinds:
        Benefit.objects.create(award=award, kind=kind)
    return award


def _mentor(*, languages=("es",), expertise=(), name="Mentor"):
    person = PersonFactory(given_name=name, languages=list(languages))
    return VolunteerProfileFactory(person=person, roles=["mentor"], expertise=list(expertise)).person


def _meeting(country, **kwargs):
    values = {
        "title": "Annual Meeting 2027",
        "city": "Chicago",
        "country": country,
        "start_date": dt.date(2027, 5, 30),
        "end_date": dt.date(2027, 6, 3),
    }
    return services.Meeting(**{**values, **kwargs})


@pytest.fixture
def track(db):
    return TrackFactory(name="IDEA-PC")


# --- Annual Meeting travel -----------------------------------------------------------------------


def test_arrange_meeting_travel_gives_each_awardee_a_trip_with_a_letter_when_abroad(track, coordinator):
    home = CountryFactory()
    abroad = _award(track=track)
    local = _award(track=track, person=PersonFactory(country_of_practice=home))
    _award(track=track, kinds=("membership",), person=PersonFactory())  # no travel benefit
    trips = services.arrange_meeting_travel(cycle=track.cycle, meeting=_meeting(home), actor=coordinator)
    assert sorted(t.traveller_id for t in trips) == sorted([abroad.person_id, local.person_id])
    by_person = {t.traveller_id: t for t in trips}
    assert by_person[abroad.person_id].visa_letter_needed is True
    assert by_person[local.person_id].visa_letter_needed is False
    benefit = Benefit.objects.get(award=abroad, kind="meeting_travel")
    assert (benefit.status, benefit.trip) == ("granted", by_person[abroad.person_id])
    # Again: nothing new.
    assert services.arrange_meeting_travel(cycle=track.cycle, meeting=_meeting(home), actor=coordinator) == []
    assert Trip.objects.count() == 2


def test_arrange_meeting_travel_refuses_dates_backwards(track, coordinator):
    _award(track=track)
    meeting = _meeting(None, start_date=dt.date(2027, 6, 3), end_date=dt.date(2027, 5, 30))
    with pytest.raises(ValidationError):
        services.arrange_meeting_travel(cycle=track.cycle, meeting=meeting, actor=coordinator)
    assert not Trip.objects.exists()


def test_awardee_sees_trip_and_downloads_visa_letter(client, member, track, coordinator):
    _award(track=track, person=member.person)
    services.arrange_meeting_travel(cycle=track.cycle, meeting=_meeting(CountryFactory()), actor=coordinator)
    trip = Trip.objects.get()
    client.force_login(member)
    page = client.get(reverse("awards:my-awards")).content.decode()
    letter_url = reverse("travel:visa-letter", kwargs={"pk": trip.pk})
    assert letter_url in page
    pytest.importorskip("weasyprint")
    response = client.get(letter_url)
    assert (response.status_code, response.content[:4]) == (200, b"%PDF")


def test_cycle_travel_page_arranges_trips(client, coordinator, track):
    award = _award(track=track)
    client.force_login(coordinator)
    country = CountryFactory()
    data = {
        "title": "AM 2027",
        "city": "Chicago",
        "country": country.pk,
        "start_date": "2027-05-30",
        "end_date": "2027-06-03",
    }
    response = client.post(reverse("awards:cycle-travel", kwargs={"pk": track.cycle.pk}), data)
    assert response.status_code == 302
    assert list(Trip.objects.values_list("traveller_id", "title")) == [(award.person_id, "AM 2027")]


def test_cycle_travel_page_refuses_outsider(client, outsider, track):
    _award(track=track)
    client.force_login(outsider)
    assert client.get(reverse("awards:cycle-travel", kwargs={"pk": track.cycle.pk})).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_cycle_travel_page_query_count(client, coordinator, track, django_assert_num_queries, n):
    for _ in range(n):
        _award(track=track)
    services.arrange_meeting_travel(cycle=track.cycle, meeting=_meeting(CountryFactory()), actor=coordinator)
    client.force_login(coordinator)
    with django_assert_num_queries(7):
        response = client.get(reverse("awards:cycle-travel", kwargs={"pk": track.cycle.pk}))
    assert len(response.context["benefits"]) == n
    assert reverse("awards:track-mentors", kwargs={"pk": track.pk}) in response.content.decode()


# --- Mentors -------------------------------------------------------------------------------------


def test_proposal_pairs_only_with_a_shared_language_and_explains_it(track):
    award = _award(
        track=track, person=PersonFactory(languages=["fr"]), project_title="Palliative care in rural clinics"
    )
    _mentor(languages=["es"], name="Spanish")
    french = _mentor(languages=["fr", "en"], expertise=["palliative care"], name="French")
    proposal = propose_mentors(track=track)
    assert [(p.benefit.award, p.mentor) for p in proposal.pairs] == [(award, french)]
    words = [part["text"] for part in proposal.pairs[0].parts]
    assert "Both speak French." in words
    assert "Shared interests: palliative care." in words


def test_proposal_never_pairs_across_a_conflict_of_interest(track):
    hospital = OrganizationFactory()
    awardee = PersonFactory(languages=["es"])
    AffiliationFactory(person=awardee, organization=hospital)
    colleague = _mentor(expertise=["lung cancer"], name="Colleague")
    AffiliationFactory(person=colleague, organization=hospital)
    award = _award(track=track, person=awardee, project_title="Lung cancer screening")
    other = _mentor(name="Other")
    proposal = propose_mentors(track=track)
    assert [(p.benefit.award, p.mentor) for p in proposal.pairs] == [(award, other)]
    # Without the other mentor, the awardee is left unmatched with the reason in words.
    proposal = propose_mentors(track=track, excluded={(proposal.pairs[0].benefit.pk, other.pk)})
    assert proposal.pairs == []
    assert [benefit.award for benefit, _reason in proposal.unmatched] == [award]


def test_proposal_keeps_pins_and_drops_exclusions(track):
    first = _award(track=track, project_title="Breast cancer")
    second = _award(track=track, project_title="Sarcoma")
    breast = _mentor(expertise=["breast cancer"], name="Breast")
    sarcoma = _mentor(expertise=["sarcoma"], name="Sarcoma")
    b1 = first.benefits.get(kind="mentor")
    b2 = second.benefits.get(kind="mentor")
    best = {(p.benefit.pk, p.mentor.pk) for p in propose_mentors(track=track).pairs}
    assert best == {(b1.pk, breast.pk), (b2.pk, sarcoma.pk)}
    pinned = propose_mentors(track=track, pinned={(b1.pk, sarcoma.pk)}, excluded={(b2.pk, sarcoma.pk)})
    assert {(p.benefit.pk, p.mentor.pk, p.pinned) for p in pinned.pairs} == {
        (b1.pk, sarcoma.pk, True),
        (b2.pk, breast.pk, False),
    }


def test_proposal_scores_come_from_the_engine_config(track):
    """The adapter keeps no weights: the engine's ScoringConfig decides the scores (and so the pairs)."""
    _award(track=track, person=PersonFactory(languages=["es"], specialty="surgery"), project_title="Sarcoma care")
    same_specialty = _mentor(name="Surgeon")
    same_specialty.volunteer_profile.specialty = "surgery"
    same_specialty.volunteer_profile.save()
    topics = _mentor(expertise=["sarcoma"], name="Topics")
    default = propose_mentors(track=track)
    assert [(p.mentor, p.score) for p in default.pairs] == [(same_specialty, pytest.approx(0.6))]  # 0.2 + 0.4
    interest_only = ScoringConfig.mentor_pairing(weights={"interest": 1.0, "specialty": 0.0, "language": 0.0})
    proposal = propose_mentors(track=track, config=interest_only)
    assert [(p.mentor, p.score) for p in proposal.pairs] == [(topics, pytest.approx(0.5))]  # 1 topic of 2
    one_topic = ScoringConfig.mentor_pairing(weights=interest_only.weights, topics_target=1)
    assert [(p.mentor, p.score) for p in propose_mentors(track=track, config=one_topic).pairs] == [(topics, 1.0)]


def test_track_pool_limits_the_mentors(track):
    _award(track=track)
    _mentor(name="Outside")
    inside = _mentor(name="Inside")
    track.mentors.add(inside)
    assert [p.mentor for p in propose_mentors(track=track).pairs] == [inside]


def test_confirm_records_audits_and_emails_both(track, coordinator, member, volunteer):
    member.person.languages = ["es"]
    member.person.save()
    award = _award(track=track, person=member.person)
    VolunteerProfileFactory(person=volunteer.person, roles=["mentor"])
    volunteer.person.languages = ["es", "en"]
    volunteer.person.save()
    benefit = award.benefits.get(kind="mentor")
    services.confirm_mentor_pairs(track=track, pairs=[(benefit.pk, volunteer.person.pk)], actor=coordinator)
    benefit.refresh_from_db()
    assert (benefit.status, benefit.mentor) == ("granted", volunteer.person)
    assert AuditEvent.objects.filter(action="awards.mentor_paired", target_id=str(benefit.pk)).count() == 1
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == sorted(
        [member.person.email, volunteer.person.email]
    )


def test_confirm_refuses_a_blocked_pair_and_writes_nothing(track, coordinator):
    award = _award(track=track, person=PersonFactory(languages=["fr"]))
    spanish = _mentor(languages=["es"])
    other = _award(track=track)
    good = _mentor(languages=["es"], name="Good")
    pairs = [(other.benefits.get(kind="mentor").pk, good.pk), (award.benefits.get(kind="mentor").pk, spanish.pk)]
    with pytest.raises(ValidationError):
        services.confirm_mentor_pairs(track=track, pairs=pairs, actor=coordinator)
    assert not Benefit.objects.filter(kind="mentor", status="granted").exists()
    assert not OutboundEmail.objects.exists()


def test_confirmed_pair_shows_on_awardee_and_mentor_pages(client, track, coordinator, member, volunteer):
    member.person.languages = ["es"]
    member.person.save()
    award = _award(track=track, person=member.person)
    VolunteerProfileFactory(person=volunteer.person, roles=["mentor"])
    volunteer.person.languages = ["es"]
    volunteer.person.save()
    benefit = award.benefits.get(kind="mentor")
    client.force_login(coordinator)
    response = client.post(
        reverse("awards:track-mentors", kwargs={"pk": track.pk}),
        {"confirm": "1", "confirm_pair": f"{benefit.pk}:{volunteer.person.pk}"},
    )
    assert response.status_code == 302
    client.force_login(member)
    assert volunteer.person.full_name in client.get(reverse("awards:my-awards")).content.decode()
    client.force_login(volunteer)
    assert member.person.full_name in client.get(reverse("volunteers:dashboard")).content.decode()


def test_track_mentors_page_refuses_outsider_and_volunteer(client, outsider, volunteer, track):
    for user in (outsider, volunteer):
        client.force_login(user)
        assert client.get(reverse("awards:track-mentors", kwargs={"pk": track.pk})).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_track_mentors_page_query_count(client, coordinator, track, django_assert_num_queries, n):
    for _ in range(n):
        _award(track=track)
        _mentor()
    client.force_login(coordinator)
    with django_assert_num_queries(18):
        response = client.get(reverse("awards:track-mentors", kwargs={"pk": track.pk}))
    assert len(response.context["proposal"].pairs) == n


@pytest.mark.parametrize("n", [1, 3])
def test_my_awards_query_count_and_only_own(client, member, track, django_assert_num_queries, n):
    tracks = [track] + [TrackFactory() for _ in range(n - 1)]
    for each in tracks:
        _award(track=each, person=member.person)
        services.arrange_meeting_travel(cycle=each.cycle, meeting=_meeting(CountryFactory()), actor=None)
    _award(track=track)  # someone else's: never shown
    client.force_login(member)
    with django_assert_num_queries(4):
        response = client.get(reverse("awards:my-awards"))
    assert [award.person for award in response.context["awards"]] == [member.person] * n
