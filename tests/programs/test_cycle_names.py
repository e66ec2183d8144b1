"""A cycle's name as pages, e-mails and generated call titles show it."""

import pytest

from tests.factories.calls import CycleFactory
from tests.factories.programs import ProgramFactory

pytestmark = [pytest.mark.unit]


def test_a_cycle_named_after_its_program_says_the_program_once(db):
    """The demo's (and staff's usual) cycle names start with the program's: the mentoring staff
    pages and the mentee call's title read "Virtual Mentors Virtual Mentors 2026"."""
    program = ProgramFactory(name="Virtual Mentors")

    named_in_full = CycleFactory(program=program, name="Virtual Mentors 2026")
    named_by_year = CycleFactory(program=program, name="2027")

    assert [str(named_in_full), str(named_by_year)] == ["Virtual Mentors 2026", "Virtual Mentors 2027"]
