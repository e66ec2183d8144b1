"""The bulk-built reviewer-assignment instance, and the adapter end to end on it (small)."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType

from oncoreach.calls.conflicts import conflicted_pairs, conflicts_for_call
from oncoreach.calls.matching_adapter import RunOptions, assign_reviewers
from oncoreach.calls.models import Application, ReviewAssignment
from oncoreach.core.models import AuditEvent
from oncoreach.demo.review_bench import build_review_bench

pytestmark = [pytest.mark.integration]


def test_the_adapter_end_to_end_on_a_bulk_built_call(reference_data):
    bench = build_review_bench(
        applications=60, reviewers=15, reviews=3, label="t", shared_institutions=4, compatriots=2, declared=10
    )
    call = bench.call
    assert {"declared", "same_institution"} <= set(bench.conflicts_by_kind)
    summary = assign_reviewers(call=call, actor=None, options=RunOptions(fair=False))
    pairs = list(ReviewAssignment.objects.filter(application__call=call).values_list("application_id", "reviewer_id"))
    assert not set(pairs) & conflicted_pairs(conflicts_for_call(call=call))
    assert set(Counter(a for a, _r in pairs).values()) == {3}
    assert summary.created == len(pairs) == 180
    # the written total is the engine's optimum
    scores = ReviewAssignment.objects.filter(application__call=call).values_list("score", flat=True)
    written = sum(round(s * 1_000_000) for s in scores)
    assert written == summary.result.stats.total_score_micro
    assert set(Application.objects.filter(call=call).values_list("status", flat=True)) == {"under_review"}
    # the demo folder shares a seeded database: count only this call's audit rows
    ours = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Application),
        target_id__in=[str(pk) for pk in Application.objects.filter(call=call).values_list("pk", flat=True)],
    )
    assert ours.filter(action="calls.application.transition").count() == 60
    assert ours.filter(action="calls.assignment.propose").count() == 180
