from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def whole_minutes(value: dt.timedelta | None) -> int:
    """A wait as whole minutes, rounded up, for "try again in N minutes"."""
    if not value:
        return 0
    return max(1, -(-int(value.total_seconds()) // 60))
