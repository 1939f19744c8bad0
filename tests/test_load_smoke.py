"""A few seconds of the load test against the live server: part of `make test`.

The same simulated people (`bench/sim.py`) and the same invariants as `make loadtest`: no 5xx,
every acknowledged save stored with the values sent, exactly one log per plan and date. Runs on
whatever database the suite runs on (live_server implies transactional_db).
"""

from __future__ import annotations

from django.db import connection

from bench import sim
from rehab.library import load_catalogue
from rehab.models import DailyLog, Exercise


def _config(url: str, **overrides) -> sim.LoadConfig:
    # In-memory SQLite: the live server's request threads share this test's single connection,
    # so they must reach it one at a time. PostgreSQL takes the concurrent saves as they come.
    one_at_a_time = connection.vendor == "sqlite" and connection.is_in_memory_db()
    values = {
        "people": 4,
        "duration": 2.0,
        "think": (0.0, 0.05),
        "ramp": 0.2,
        "prefix": "smoke-",
        "timeout": 20.0,
        "retry_pause": 0.2,
        "grace": 10.0,
        "one_at_a_time": one_at_a_time,
        "min_actions": 8,  # the same first actions (seeded) however slow the machine
        **overrides,
    }
    return sim.LoadConfig(url, **values)


def test_simulated_people_leave_every_acknowledged_save_intact(live_server):
    load_catalogue(Exercise)  # a transactional test before this one may have flushed the library

    recorder = sim.run_people(_config(live_server.url))
    report = sim.verify(recorder)

    assert report.ok, report.describe()
    assert report.stats["people_ready"] == 4
    assert report.stats["log_saves_acknowledged"] > 0
    assert report.stats["ticks_acknowledged"] > 0
    assert not any(status >= 500 for status in report.stats["statuses"])

    # The check itself is not blind: a changed value and a lost row are both caught.
    row = DailyLog.objects.filter(plan__user__username__startswith="smoke-").order_by("id").first()
    DailyLog.objects.filter(pk=row.pk).update(pain_worst=(row.pain_worst + 1) % 11)
    assert any("stored as" in f for f in sim.verify(recorder).failures)
    DailyLog.objects.filter(pk=row.pk).delete()
    assert any("is missing" in f for f in sim.verify(recorder).failures)
