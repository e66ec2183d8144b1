"""Print where the site is and how to sign in as each demo role (used by `make run`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from oncoreach.accounts.models import User
from oncoreach.pages.demo.logins import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the site URL, the Wagtail admin URL and the demo logins (role, e-mail, password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default=settings.SITE_URL + "/", help="The site's address.")

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/")
        existing = set(User.objects.filter(email__in=[d.email for d in DEMO_LOGINS]).values_list("email", flat=True))
        rows = [("public", "(no login: just open the site)", "", "Reads stories, programs and countries")]
        rows += [
            (str(d.role).replace("_", " "), d.email, DEMO_PASSWORD if d.email in existing else "(not seeded)", d.what)
            for d in DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in [("Role", "E-mail", "Password", ""), *rows]) for i in range(3)]
        lines = [
            "",
            f"  {settings.SOCIETY['name']} — {settings.SOCIETY['program_name']}",
            f"  Site:          {base}/",
            f"  Wagtail admin: {base}/cms/",
            "",
            "  "
            + "  ".join(h.ljust(w) for h, w in zip(("Role", "E-mail", "Password"), widths, strict=True))
            + "  What to try",
            "  " + "  ".join("-" * w for w in widths) + "  " + "-" * 11,
        ]
        lines += [
            "  " + "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3] for row in rows
        ]
        if not existing:
            lines += ["", "  No demo logins in this database yet: run `manage.py seed_demo` (or `make seed`)."]
        self.stdout.write("\n".join([*lines, ""]))
