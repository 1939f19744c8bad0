from datetime import timedelta
from decimal import Decimal

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


@pytest.fixture
def building(alice, frozen_clock):
    """Alice in build-back week 3 today (day 46), load.md's Base P shifted to end today: goal 80 min
    of running (12.0 km) on the build days of days 30, 32, 34; one run on day 30 with distance
    and effort, a swim (not a knee kind) on day 31."""
    from dataclasses import replace

    from rehab import services
    from rehab.buildback import WEEKDAYS
    from rehab.models import ActivityEntry, DailyLog
    from tests.rehab.support import START, W1, W2, p_logs, weeks

    start = TODAY - timedelta(days=45)
    plan = make_plan(alice, start_date=start)
    shift = start - START
    make_check(plan, start + timedelta(days=13))
    days = [WEEKDAYS[(start + timedelta(days=n - 1)).weekday()] for n in (30, 32, 34)]
    services.target_save(plan=plan, rows={"running": (80, Decimal("12.0"))}, build_days=days, today=start, set_on=start)
    for entry in p_logs(46, weeks(W1, W2, {44: 25})):
        entry = replace(entry, date=entry.date + shift)
        fields = {f: getattr(entry, f) for f in ("pain_worst", "pain_morning", "rested", "session_done")}
        fields.update({f: getattr(entry, f) for f in ("pain_during", "stopped_early", "swelling", "nsaid")})
        log = DailyLog.objects.create(plan=plan, date=entry.date, **fields)
        for i, activity in enumerate(entry.activities):
            extra = {"distance_km": Decimal("3.2"), "rpe": 3} if entry.date == start + timedelta(days=29) else {}
            ActivityEntry.objects.create(
                log=log, position=i, kind=activity.kind, duration_min=activity.duration_min, **extra
            )
        if entry.date == start + timedelta(days=30):
            ActivityEntry.objects.create(log=log, position=0, kind="swimming", duration_min=30)
    return plan
