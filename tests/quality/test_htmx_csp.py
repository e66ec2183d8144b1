"""htmx injects an inline <style> for its indicators unless told not to, which the strict CSP
(style-src 'self') blocks with a console error: every page that loads htmx turns that off."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

SRC = Path(__file__).resolve().parents[2] / "src" / "oncoreach"


def test_every_template_that_loads_htmx_turns_off_its_inline_indicator_styles():
    loading = [path for path in SRC.rglob("templates/**/*.html") if "js/htmx.min.js" in path.read_text()]

    missing = [
        str(path.relative_to(SRC))
        for path in loading
        if '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' not in path.read_text()
    ]

    assert loading
    assert missing == []
