import datetime as dt

import pytest

from oncoreach.accounts.templatetags.accounts_tags import whole_minutes

pytestmark = [pytest.mark.unit]


def test_whole_minutes_rounds_up_and_handles_nothing():
    assert [
        whole_minutes(dt.timedelta(minutes=15)),
        whole_minutes(dt.timedelta(seconds=61)),
        whole_minutes(dt.timedelta(seconds=5)),
        whole_minutes(None),
    ] == [15, 2, 1, 0]
