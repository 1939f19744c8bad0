"""Build-back rules beyond the worked scenarios: the integer-exact arithmetic, unknown answers,
gym, gap days, the day records, exercises, advice after completion and the export/2 helper.
Expected values are worked out by hand from load.md (Base P unless said otherwise)."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest

from rehab import buildback as bb
from rehab.ladders import LADDERS, level_minutes
from rehab.progression import Activity
from tests.rehab.support import (
    RETURN_SET,
    STRETCHES,
    W1,
    W2,
    W3,
    W4,
    W5,
    build_events,
    d,
    day_entry,
    due,
    p_run,
    run_,
    weeks,
)


@pytest.mark.parametrize(
    ("numerator", "denominator", "rounded"),
    [(726, 10, 73), (803, 10, 80), (528, 10, 53), (424, 10, 42), (5, 2, 3), (15, 2, 8), (64, 1, 64), (1, 3, 0)],
)
def test_r_rounds_half_up_exactly(numerator, denominator, rounded):
    assert bb.r(Fraction(numerator, denominator)) == rounded


def test_step_and_grow():
    assert [bb.grow(t, 240) for t in (60, 66, 73, 15)] == [66, 73, 80, 17]  # r(16.5) = 17
    assert bb.grow(73, 80) == 80  # min(G, r(80.3))
    assert [bb.step(t, 240) for t in (66, 53, 80, 12)] == [53, 42, 64, 10]  # max(10, r(9.6))


def test_start_volume():
    assert bb.start_minutes(240, "running", ("mon", "wed", "fri")) == 60
    assert bb.start_minutes(240, "running", ("mon", "wed")) == 40
    assert bb.start_minutes(240, "other", ("mon", "tue", "wed", "thu", "fri")) == 60  # min(3, 5)
    assert bb.start_minutes(600, "cycling", ("mon", "wed", "fri")) == 225
    assert bb.start_minutes(300, "hiking", ("mon", "wed", "fri")) == 300  # min(G, 360)
    assert bb.start_minutes(45, "gym", ("mon", "wed", "fri")) == 23  # r(22.5)


def test_level_8_minutes_come_from_the_ladder():
    assert [bb.l8_minutes(a) for a in ("running", "other", "cycling", "hiking", "gym")] == [20, 20, 75, 120, None]
    # The minutes table says what the ladder's words say.
    assert "20 minutes" in str(LADDERS["running"][7]) and "2 hours" in str(LADDERS["hiking"][7])
    for level in range(1, 9):
        assert f"{level_minutes('cycling', level)} minutes" in str(LADDERS["cycling"][level - 1])


def test_activity_load_au():
    assert Activity("running", 20, rpe=3).load_au == 60
    assert Activity("running", 20).load_au is None


def test_target_refuses_unknown_build_days():
    with pytest.raises(ValueError):
        bb.Target(minutes=240, set_on=d(1), build_days=("monday",))


def test_unknown_swelling_and_nsaid_read_as_none_and_no():
    s = p_run(40, weeks(W1, W2), changes={n: {"swelling": None, "nsaid": None} for n in range(1, 41)})
    t = p_run(40, weeks(W1, W2))
    assert (s.phase, s.status, s.advice, s.weeks) == (t.phase, t.status, t.advice, t.weeks)
    assert s.events == t.events


def test_without_a_target_the_2026_1_path_is_unchanged():
    s = p_run(40, goal=None)
    assert (s.status, s.phase, s.build, s.weeks, s.session_minutes) == ("complete", "complete", None, (), None)
    assert build_events(s) == [(28, "pass"), (28, "complete")]


def test_the_day_after_level_8_is_not_a_build_week_yet():
    s = p_run(29)
    assert (s.status, s.phase) == ("active", "build")
    assert (s.build.week_index, s.build.week_start) == (1, d(30))
    assert s.session_due is False and s.level is None
    assert day_entry(s, 29).gap is True


def test_day_records_carry_build_and_week():
    s = p_run(38, weeks(W1, {37: 22}))
    day = day_entry(s, 37)
    assert (day.phase, day.build, day.week, day.gap, day.session_day, day.session) == (
        "build",
        1,
        2,
        False,
        True,
        "pass",
    )
    assert day_entry(s, 36).week == 1 and day_entry(s, 36).session_day is False  # a Sunday


def test_exercises_in_build_stretches_daily_return_strength_on_non_build_days():
    assert due(p_run(37)) == STRETCHES  # Monday, a build day
    assert due(p_run(38)) == STRETCHES | RETURN_SET


def test_session_done_unanswered_is_read_from_a_main_kind_entry():
    # d30's run logged without session_done: still a counted session.
    s = p_run(31, W1, changes={30: {"session_done": None}})
    assert s.weeks[0].done_minutes == 20 and s.weeks[0].max_pain_during == 1
    # A cycling entry on a running plan is not a session: session_due stays on a build day.
    s = p_run(30, changes={30: {"activities": (run_(30, "cycling"),)}})
    assert s.session_due is True and s.session_minutes == 20  # ⌈60 / 3⌉


def test_e3_on_a_gap_day_moves_the_next_start():
    s = p_run(
        42,
        weeks(W1, {37: 22, 39: 15}),
        changes={39: {"pain_during": 4}, 40: {"pain_morning": 3}},
    )
    # Step-back on d39 → next week d41; E3 on the gap day d40 → max(d41, d42).
    assert (s.build.week_index, s.build.week_start) == (3, d(42))
    assert [e for e in build_events(s) if e[1] in ("E2", "E3", "E4")] == [(39, "E2"), (40, "E3")]


def test_e5_is_silent_in_build():
    s = p_run(43, weeks(W1, W2))
    assert (s.status, s.phase) == ("active", "build")
    assert not [e for e in s.events if e.rule == "E5"]


def test_l1_and_l2_keep_running_after_build_back_completes():
    sessions = weeks(W1, W2, W3, W4, W5)
    s = p_run(70, sessions, goal=80, extra={69: [run_(60)], 70: [run_(100, "cycling")]})
    assert (s.status, s.phase) == ("complete", "complete")
    assert s.advice == ("L1", "L2")
    # d69: 60 > 1.1 × 27 → L2; L1 only on d70: 3 × 160 > 1.3 × (80 + 80 + 73).
    assert [e for e in build_events(s) if e[1] in ("L1", "L2")] == [(69, "L2"), (70, "L1")]


def test_advice_order_e6_then_l1():
    nsaid = {n: {"nsaid": True} for n in range(45, 59)}  # 14 days in a row up to today
    s = p_run(58, weeks(W1, W2, W3, W4), extra={n: [run_(45, "cycling")] for n in (52, 54, 56)}, changes=nsaid)
    assert s.advice == ("E6", "L1")


def test_gym_has_no_l2_and_starts_at_half_the_goal():
    logs_kw = {"activity": "gym", "goal": 90}
    s = p_run(31, **logs_kw)
    assert (s.build.start_minutes, s.build.week_target_minutes, s.build.longest_allowed_minutes) == (45, 45, None)
    s = p_run(31, {30: 60}, **logs_kw, changes={30: {"activities": (run_(60, "gym"),)}})
    assert s.advice == ()  # the gym entry counts as done but L2 has nothing to compare with
    assert s.weeks[0].done_minutes == 60


def test_editing_the_goal_recomputes_from_week_one():
    sessions = weeks(W1, W2, W3)
    assert p_run(51, sessions, goal=240).build.week_target_minutes == 80
    assert p_run(51, sessions, goal=70).build.week_target_minutes == 70
    assert [w.target_minutes for w in p_run(51, sessions, goal=70).weeks] == [60, 66, 70, 70]


def test_session_minutes_is_capped_by_the_longest_allowed():
    assert bb.session_minutes(80, d(30), d(30) + timedelta(days=6), bb.Target(240, d(1), None, ("mon",)), 22) == 22
    assert bb.session_minutes(80, d(30), d(36), bb.Target(240, d(1), None, ("mon",)), None) == 80


def test_the_activity_entries_offer_the_contracts_kinds_in_its_order():
    from rehab.models import ActivityKind

    assert tuple(ActivityKind.values) == bb.KINDS
