import pytest
import time_machine

from tests.rehab.support import NOW


@pytest.fixture
def frozen_clock():
    """The view tests' clock: 2026-11-27 10:00 UTC, standing still."""
    with time_machine.travel(NOW, tick=False):
        yield
