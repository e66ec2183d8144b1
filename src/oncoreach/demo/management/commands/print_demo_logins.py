"""Print where the site is and how to sign in as each demo role, with what each can try (used by
`make run`; the README's login table says the same)."""

from __future__ import annotations

import textwrap
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from oncoreach.accounts.models import User
from oncoreach.core.links import site_url
from oncoreach.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, PUBLIC_WHAT

WIDTH = 100


class Command(BaseCommand):
    help = "Print the site URL, the Wagtail admin URL and the demo logins (role, e-mail, password, what to try)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=site_url() + "/", help="The site's address (default: SITE_URL).")

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/")
        existing = set(User.objects.filter(email__in=[d.email for d in DEMO_LOGINS]).values_list("email", flat=True))
        rows = [("public", "(no login: just open the site)", "", PUBLIC_WHAT)]
        rows += [
            (str(d.role).replace("_", " "), d.email, DEMO_PASSWORD if d.email in existing else "(not seeded)", d.what)
            for d in DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in [("Role", "E-mail", "Password"), *rows]) for i in range(3)]
        indent = " " * (2 + widths[0] + 2)
        lines = [
            "",
            f"  {settings.SOCIETY['name']} — {settings.SOCIETY['program_name']}",
            f"  Site:          {base}/",
            f"  Wagtail admin: {base}/cms/",
            "",
            "  " + "  ".join(h.ljust(w) for h, w in zip(("Role", "E-mail", "Password"), widths, strict=True)).rstrip(),
            "  " + "  ".join("-" * w for w in widths),
        ]
        for row in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)).rstrip())
            lines += textwrap.wrap(
                row[3], width=WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
            )
        if not existing:
            lines += ["", "  No demo logins in this database yet: run `manage.py seed_demo` (or `make seed`)."]
        self.stdout.write("\n".join([*lines, ""]))
