"""Two applicants book one slot at the same moment: the database lets exactly one win.

The loser's own check (“is this slot free?”) runs before the winner commits, so it sees a free
slot; only the partial unique index on live bookings stops it, and the service turns that into
the translated “this slot was just taken” message. Needs PostgreSQL (real concurrent sessions);
SQLite runs one writer at a time, so the race cannot happen there and the test is skipped.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from oncoreach.awards import services
from oncoreach.awards.models import InterviewBooking
from tests.factories.calls import ApplicationFactory

pytestmark = [pytest.mark.integration]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_bookings_of_one_slot_give_exactly_one_winner(call, slot):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent sessions (PostgreSQL)")
    first, second = (ApplicationFactory(call=call, status="shortlisted") for _ in range(2))
    inserted = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def winner() -> None:
        try:
            with transaction.atomic():
                outcomes["first"] = services.book_slot(application=first, slot=slot, actor=None)
                inserted.wait()  # the second session now tries while this booking is uncommitted
                time.sleep(0.5)
        finally:
            connection.close()

    def loser() -> None:
        try:
            inserted.wait()
            services.book_slot(application=second, slot=slot, actor=None)
            outcomes["second"] = "booked"
        except ValidationError as exc:
            outcomes["second"] = exc.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=winner), threading.Thread(target=loser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes["second"] == ["This slot was just taken by another applicant. Please choose another time."]
    assert list(InterviewBooking.objects.values_list("application_id", flat=True)) == [first.pk]
