"""The program catalogue (courses, awards, mentoring) the demo's calls, courses and stories refer to.

Programs are the society's catalogue, edited by staff; they have no lifecycle, so the seeder
writes the few it needs directly (idempotent).
"""

from __future__ import annotations

from oncoreach.demo.data import content
from oncoreach.programs.models import Program


def ensure_programs() -> dict[str, Program]:
    """Every demo program by slug (created once)."""
    programs = {}
    for order, (slug, name, short, kind, summary) in enumerate(content.PROGRAMS, start=1):
        programs[slug], _created = Program.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "short_name": short, "kind": kind, "summary": summary, "sort_order": order * 10},
        )
    return programs
