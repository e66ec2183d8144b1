"""Who sees which link on the person's dashboard, decided by the app that owns the page.

People sits below the apps it links to and never imports them: an app above registers the rule
for its page's URL name in ``AppConfig.ready`` (for example ``stories.permissions.can_write_story``
for ``stories:write``), and the dashboard shows the link only to those the rule lets in. A page
with no rule is shown to everyone signed in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import NoReverseMatch, reverse

#: ``rule(user) -> bool``: may this user use the page?
LinkRule = Callable[[Any], bool]
_rules: dict[str, LinkRule] = {}


def register_link_rule(url_name: str, rule: LinkRule) -> None:
    """Register once, from the owning app's ``AppConfig.ready``, who may use ``url_name``."""
    _rules[url_name] = rule


def link_for(user: Any, url_name: str) -> str | None:
    """The page's URL when it exists and the user may use it, else None (no link shown)."""
    rule = _rules.get(url_name)
    if rule is not None and not rule(user):
        return None
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None
