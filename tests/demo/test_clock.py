"""Replaying history: inside ``replay_at`` Django's clock reads the moment asked for, and only there."""

import datetime as dt

import pytest
from django.utils import timezone

from oncoreach.demo.clock import replay_at

pytestmark = [pytest.mark.unit]


def test_replay_at_moves_djangos_clock_and_puts_it_back():
    before = timezone.now()
    with replay_at(dt.date(2024, 3, 5)) as moment:
        assert moment == dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC)
        assert dt.timedelta(0) <= timezone.now() - moment < dt.timedelta(seconds=5)
        assert timezone.localdate() == dt.date(2024, 3, 5)
    assert timezone.now() >= before


def test_replay_at_puts_the_clock_back_after_an_error():
    with pytest.raises(ValueError, match="stop"), replay_at(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        raise ValueError("stop")
    assert timezone.now().year >= 2025
