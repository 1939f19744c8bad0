from datetime import timedelta

import pytest
import time_machine

from tests.factories import make_check, make_completion, make_log, make_plan, make_screening
from tests.rehab.support import NOW, TODAY


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(alice, frozen_clock):
    """Day 16: rest logged on day 1, the check passed on day 14, and a session on day 16 that hurt
    and came with new local swelling (E2, then E3: a flare). A later screening on day 10."""
    plan = make_plan(alice, start_date=TODAY - timedelta(days=15))
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 17)}
    make_log(plan, day[1], pain_worst=5, pain_morning=3, rested=True)
    make_check(plan, day[14], daily_pain=0, squat_pain=1, hop_pain=2)
    make_log(plan, day[14], pain_worst=2, pain_morning=1, session_done=True, pain_during=2, notes="Felt fine")
    make_log(
        plan, day[16], pain_worst=4, session_done=True, pain_during=6, stopped_early=True, nsaid=True, swelling="local"
    )
    make_completion(plan, day[3], "clamshell")
    make_screening(alice, taken_at=NOW - timedelta(days=6))
    return plan
