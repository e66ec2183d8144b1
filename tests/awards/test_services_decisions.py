import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoreach.awards import services
from oncoreach.awards.models import Award, Benefit, Offer
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.people.models import Membership
from tests.awards.conftest import NOW
from tests.factories.awards import TrackFactory
from tests.factories.calls import ApplicationFactory

pytestmark = [pytest.mark.integration]

TERMS = services.OfferTerms(
    respond_by=NOW + dt.timedelta(days=14), amount=Decimal("2500.00"), currency="USD", conditions="Attend in June."
)


@pytest.fixture
def shortlist(call):
    return [ApplicationFactory(call=call, status="shortlisted") for _ in range(4)]


def _statuses(applications):
    for application in applications:
        application.refresh_from_db()
    return [a.status for a in applications]


def test_preview_writes_nothing_and_speaks_each_language(call, shortlist):
    user = shortlist[0].applicant
    from tests.factories.accounts import UserFactory

    user.user = UserFactory(preferred_language="fr")
    user.save()
    outcomes = {shortlist[0].pk: "accept", shortlist[1].pk: "reject", shortlist[2].pk: "waitlist"}

    previews = services.preview_decisions(call=call, outcomes=outcomes, terms=TERMS)

    assert {p.application.pk: p.language for p in previews}[shortlist[0].pk] == "fr"
    assert "IDEA 2027" in next(p.subject for p in previews if p.outcome == "reject")
    assert (OutboundEmail.objects.count(), Offer.objects.count()) == (0, 0)
    assert _statuses(shortlist) == ["shortlisted"] * 4


def test_apply_decisions_offers_rejects_and_wait_lists(call, shortlist):
    outcomes = {
        shortlist[0].pk: "accept",
        shortlist[1].pk: "reject",
        shortlist[2].pk: "waitlist",
        shortlist[3].pk: "waitlist",
    }
    services.apply_decisions(call=call, outcomes=outcomes, terms=TERMS, actor=None)

    assert _statuses(shortlist) == ["accepted", "rejected", "shortlisted", "shortlisted"]
    offers = {o.application_id: (o.status, o.wait_rank) for o in Offer.objects.all()}
    assert offers == {
        shortlist[0].pk: ("offered", None),
        shortlist[2].pk: ("waitlisted", 1),
        shortlist[3].pk: ("waitlisted", 2),
    }
    assert OutboundEmail.objects.count() == 4
    offer_mail = OutboundEmail.objects.get(to=shortlist[0].applicant.email)
    assert "Attend in June." in offer_mail.body_text
    assert "/awards/offers/answer/" in offer_mail.body_text


def test_apply_decisions_is_all_or_nothing(call, shortlist):
    shortlist[1].status = "rejected"
    shortlist[1].save()
    with pytest.raises(ValidationError) as exc:
        services.apply_decisions(
            call=call, outcomes={shortlist[0].pk: "accept", shortlist[1].pk: "accept"}, terms=TERMS, actor=None
        )
    assert exc.value.code == "not_decidable"
    assert _statuses(shortlist[:2]) == ["shortlisted", "rejected"]
    assert (Offer.objects.count(), OutboundEmail.objects.count()) == (0, 0)


def test_apply_decisions_refuses_an_empty_selection_and_a_past_deadline(call, shortlist):
    with pytest.raises(ValidationError):
        services.apply_decisions(call=call, outcomes={}, terms=TERMS, actor=None)
    late = services.OfferTerms(respond_by=NOW - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        services.apply_decisions(call=call, outcomes={shortlist[0].pk: "accept"}, terms=late, actor=None)
    assert exc.value.code == "deadline_past"


def _offer(call, shortlist, *waitlisted):
    outcomes = {shortlist[0].pk: "accept", **{a.pk: "waitlist" for a in waitlisted}}
    services.apply_decisions(call=call, outcomes=outcomes, terms=TERMS, actor=None)
    return Offer.objects.get(application=shortlist[0])


def test_accepting_creates_the_award_with_its_benefits(call, shortlist):
    track = TrackFactory(cycle=call.cycle, code="idea-pc", name="IDEA-PC")
    services.set_application_track(application=shortlist[0], track=track, actor=None)
    offer = _offer(call, shortlist)

    services.respond_to_offer(offer=offer, accept=True, listed=True, actor=None)

    award = Award.objects.get()
    assert (award.person, award.track, award.amount, award.year, award.listed) == (
        shortlist[0].applicant,
        track,
        Decimal("2500.00"),
        call.cycle.year,
        True,
    )
    assert sorted(Benefit.objects.values_list("kind", flat=True)) == ["meeting_travel", "membership", "mentor"]


def test_an_offer_link_cannot_be_used_twice(call, shortlist):
    offer = _offer(call, shortlist)
    services.respond_to_offer(offer=offer, accept=True, actor=None)
    with pytest.raises(ValidationError) as exc:
        services.respond_to_offer(offer=offer, accept=False, actor=None)
    assert exc.value.code == "link_used"
    assert Award.objects.count() == 1


def test_accepting_after_the_deadline_is_refused(call, shortlist):
    offer = _offer(call, shortlist)
    with pytest.raises(ValidationError) as exc:
        services.respond_to_offer(offer=offer, accept=True, actor=None, now=NOW + dt.timedelta(days=15))
    assert exc.value.messages == ["The deadline to answer this offer has passed. Please contact the program staff."]
    assert Award.objects.count() == 0


def test_a_stale_link_is_refused(call, shortlist):
    offer = _offer(call, shortlist)
    with pytest.raises(ValidationError) as exc:
        services.respond_to_offer(offer=offer, accept=True, actor=None, offered_at=1)
    assert exc.value.code == "stale"


def test_declining_promotes_the_first_on_the_wait_list(call, shortlist):
    offer = _offer(call, shortlist, shortlist[2], shortlist[1])

    services.respond_to_offer(offer=offer, accept=False, reason="Family reasons", actor=None)

    assert _statuses(shortlist[:3]) == ["declined", "shortlisted", "accepted"]
    promoted = Offer.objects.get(application=shortlist[2])
    assert (promoted.status, promoted.amount, promoted.conditions) == ("offered", Decimal("2500.00"), "Attend in June.")
    assert AuditEvent.objects.filter(action="awards.wait_list_promoted").count() == 1


def test_expired_offers_decline_and_promote(call, shortlist):
    _offer(call, shortlist, shortlist[1])
    assert services.expire_offers(now=NOW + dt.timedelta(days=1)) == 0
    assert services.expire_offers(now=NOW + dt.timedelta(days=15)) == 1
    assert _statuses(shortlist[:2]) == ["declined", "accepted"]
    assert list(Offer.objects.order_by("application_id").values_list("status", flat=True)) == ["expired", "offered"]


def test_transition_offer_refuses_a_step_outside_the_table(call, shortlist):
    offer = _offer(call, shortlist)
    services.respond_to_offer(offer=offer, accept=True, actor=None)
    with pytest.raises(ValidationError) as exc:
        services.transition_offer(offer=offer, to="offered", actor=None)
    assert exc.value.code == "offer_transition"


def test_track_of_another_cycle_is_refused(call, shortlist):
    with pytest.raises(ValidationError):
        services.set_application_track(application=shortlist[0], track=TrackFactory(), actor=None)


def test_membership_benefit_makes_a_membership_record(call, shortlist):
    offer = _offer(call, shortlist)
    services.respond_to_offer(offer=offer, accept=True, actor=None)
    benefit = Benefit.objects.get(kind="membership")

    services.grant_benefit(benefit=benefit, actor=None, today=dt.date(2026, 11, 26))

    membership = Membership.objects.get(person=shortlist[0].applicant)
    assert (membership.valid_from, membership.valid_until) == (dt.date(2026, 11, 26), dt.date(2029, 11, 25))
    shortlist[0].applicant.refresh_from_db()
    assert shortlist[0].applicant.membership_status == "active"
    with pytest.raises(ValidationError):
        services.grant_benefit(benefit=benefit, actor=None)


def test_mentor_benefit_needs_the_mentor(call, shortlist, volunteer):
    offer = _offer(call, shortlist)
    services.respond_to_offer(offer=offer, accept=True, actor=None)
    benefit = Benefit.objects.get(kind="mentor")
    with pytest.raises(ValidationError):
        services.grant_benefit(benefit=benefit, actor=None)
    services.grant_benefit(benefit=benefit, actor=None, mentor=volunteer.person)
    benefit.refresh_from_db()
    assert (benefit.status, benefit.mentor) == ("granted", volunteer.person)


def test_an_offer_declined_on_the_calls_page_can_no_longer_be_accepted_and_still_expires(call, shortlist):
    from oncoreach.calls import services as calls_services

    offer = _offer(call, shortlist)
    calls_services.decline_offer(application=shortlist[0], actor=None)
    with pytest.raises(ValidationError) as exc:
        services.respond_to_offer(offer=offer, accept=True, actor=None)
    assert exc.value.code == "link_used"
    assert services.expire_offers(now=NOW + dt.timedelta(days=15)) == 1
    offer.refresh_from_db()
    assert (offer.status, Award.objects.count()) == ("expired", 0)
