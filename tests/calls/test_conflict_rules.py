"""The conflict registry: every rule says why in words, one index per call answers each pair,
and an app's own rule joins the others everywhere (here a stand-in for mentoring's)."""

import pytest
from django.urls import reverse

from oncoreach.calls.conflicts import (
    ConflictRule,
    conflict_index,
    register_conflict_rule,
    unregister_conflict_rule,
)
from oncoreach.calls.selectors import reviewer_may_see
from oncoreach.people.models import Publication
from tests.factories.calls import ApplicationFactory, CallFactory, ReferenceRequestFactory, add_to_panel
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]


def _codes(index, application, reviewer):
    return sorted(conflict.code for conflict in index.reasons(application.pk, reviewer.pk))


def test_coauthors_with_orcid_ids_are_in_conflict_and_without_are_not(db):
    call = CallFactory()
    applicant = PersonFactory(orcid="0000-0002-1825-0097")
    application = ApplicationFactory(call=call, applicant=applicant, status="eligible")
    coauthor = PersonFactory(orcid="0000-0001-5109-3700")
    no_orcid = PersonFactory(orcid="")
    for person in (applicant, coauthor, no_orcid):
        Publication.objects.create(person=person, doi="10.1200/jco.2024.1", title="Cervical screening", year=2024)
    add_to_panel(call, coauthor, no_orcid)
    index = conflict_index(call=call)
    assert (_codes(index, application, coauthor), _codes(index, application, no_orcid)) == (["coauthor"], [])
    [conflict] = index.reasons(application.pk, coauthor.pk)
    assert "Cervical screening" in conflict.staff_text
    assert "Cervical screening" not in conflict.reviewer_text  # the reviewer is not told the applicant


def test_a_shared_past_affiliation_names_the_years(db):
    call = CallFactory()
    hospital = OrganizationFactory(name="Hospital Central")
    applicant = PersonFactory()
    AffiliationFactory(person=applicant, organization=hospital, start_year=2018, end_year=2022)
    former_colleague = PersonFactory()
    AffiliationFactory(person=former_colleague, organization=hospital, start_year=2020, end_year=2023)
    application = ApplicationFactory(call=call, applicant=applicant, status="eligible")
    add_to_panel(call, former_colleague)
    [conflict] = conflict_index(call=call).reasons(application.pk, former_colleague.pk)
    assert conflict.code == "shared_affiliation"
    assert ("Hospital Central" in conflict.staff_text, "2020" in conflict.staff_text) == (True, True)


def test_a_referee_is_in_conflict_with_the_applicant(db):
    call = CallFactory()
    referee = PersonFactory(email="rita@example.org")
    application = ApplicationFactory(call=call, status="eligible")
    ReferenceRequestFactory(application=application, referee_email="rita@example.org")
    add_to_panel(call, referee)
    assert _codes(conflict_index(call=call), application, referee) == ["referee"]
    assert reviewer_may_see(reviewer_id=referee.pk, application=application) is False


def test_an_apps_rule_joins_the_index_and_the_permissions(db):
    call = CallFactory()
    application = ApplicationFactory(call=call, status="eligible")
    mentor = PersonFactory()
    add_to_panel(call, mentor)

    def find(scope):
        for facts in scope.applications:
            if mentor.pk in scope.reviewer_ids:
                yield facts.application_id, mentor.pk, {"year": 2024}

    # A code of its own: unregistering it afterwards must not remove a real app's rule
    # (mentoring registers "past_mentorship" for every test that follows).
    register_conflict_rule(
        ConflictRule(
            code="test_only_rule",
            label="Past mentorship",
            staff_text="Mentored the applicant in %(year)s.",
            reviewer_text="You mentored the applicant.",
            find=find,
        )
    )
    try:
        [conflict] = conflict_index(call=call).reasons(application.pk, mentor.pk)
        assert (conflict.code, conflict.staff_text) == ("test_only_rule", "Mentored the applicant in 2024.")
        assert reviewer_may_see(reviewer_id=mentor.pk, application=application) is False
    finally:
        unregister_conflict_rule("test_only_rule")


def test_publication_list_page_adds_and_refuses_outsiders(client, applicant, outsider):
    client.force_login(applicant)
    response = client.post(
        reverse("people:publications"), {"doi": "https://doi.org/10.1200/JCO.2024.9", "title": "Trial", "year": "2024"}
    )
    assert response.status_code == 302
    assert list(Publication.objects.values_list("person__email", "doi")) == [
        ("applicant@example.org", "10.1200/jco.2024.9")
    ]
    publication = Publication.objects.get()
    client.force_login(outsider)
    refused = client.post(reverse("people:publication-remove", kwargs={"pk": publication.pk}))
    assert (refused.status_code, Publication.objects.count()) == (404, 1)
