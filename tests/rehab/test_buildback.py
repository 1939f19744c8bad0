"""load.md §6's worked scenarios B01–B14 (and B02m), driven through `rehab.progression.compute`.

Each test builds Base P (tests/rehab/buildback_helpers.py) plus the scenario's inputs and
asserts every value of the table's "expected" column; the derivation column is repeated in the
comments. Day n = START + (n − 1); build days are Mon/Wed/Fri (days 30, 32, 34).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from rehab.buildback import ratio_2dp
from tests.rehab.support import (
    BUILD_DAYS,
    W1,
    W2,
    W3,
    W4,
    W5,
    build_events,
    check,
    d,
    day_entry,
    nothing_due,
    outcomes,
    p_logs,
    p_run,
    run_,
    screen,
    targets,
    weeks,
)


def ratio(state) -> Decimal | None:
    return ratio_2dp(state.build.load_ratio)


# --- B01: a goal saved after level 8 reopens the plan ---------------------------------------------


def test_b01_before_the_goal_is_saved_the_plan_completes_as_in_2026_1():
    s = p_run(31, goal=None)
    assert (s.status, s.phase) == ("complete", "complete")
    assert s.build is None and s.weeks == ()
    assert build_events(s) == [(28, "pass"), (28, "complete")]
    nothing_due(s)


def test_b01_a_goal_posted_on_day_31_starts_build_back_that_day():
    s = p_run(31, goal=240, set_on=31)
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    # Late G: week 1 = max(d30, d31); S = 20 × 3.
    assert (b.week_index, b.week_start, b.week_end) == (1, d(31), d(37))
    assert (b.week_target_minutes, b.week_done_minutes, b.week_left_minutes) == (60, 0, 60)
    assert (b.goal_minutes, b.start_minutes, b.goal_weeks, b.goal_weeks_needed) == (240, 60, 0, 2)
    assert b.build_days == BUILD_DAYS
    assert s.session_due is False  # d31 is a Tuesday
    assert s.session_minutes is None and b.session_minutes is None
    # Longest main-kind entry in d1–d30 is 30 (d22): ⌊33.0⌋.
    assert b.longest_allowed_minutes == 33
    assert build_events(s) == [(28, "pass"), (28, "complete"), (31, "build_start")]


# --- B02 / B02m: climbing to a goal of 80 -------------------------------------------------------


def test_b02_five_weeks_climb_to_the_goal_and_complete():
    s = p_run(65, weeks(W1, W2, W3, W4, W5), goal=80)
    assert (s.status, s.phase) == ("complete", "complete")
    assert s.build is None
    # T 60 → 66 → 73 (r 72.6) → 80 (min(80, r 80.3)); weeks 4 and 5 pain-free at G.
    assert outcomes(s) == ["up", "up", "up", "at_goal", "at_goal"]
    assert targets(s) == [60, 66, 73, 80, 80]
    assert [w.done_minutes for w in s.weeks] == [60, 66, 73, 80, 80]
    assert [(w.start, w.end) for w in s.weeks] == [(d(n), d(n + 6)) for n in (30, 37, 44, 51, 58)]
    assert build_events(s) == [
        (28, "pass"),
        (28, "build_start"),
        (37, "week_up"),
        (44, "week_up"),
        (51, "week_up"),
        (58, "week_at_goal"),
        (65, "week_at_goal"),
        (65, "complete"),
    ]
    assert s.advice == ()
    nothing_due(s)


def test_b02m_mid_week_three():
    s = p_run(46, weeks(W1, W2, {44: 25}), goal=80)
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    assert (b.week_index, b.week_start) == (3, d(44))
    assert (b.week_target_minutes, b.week_done_minutes, b.week_left_minutes) == (73, 25, 48)
    assert s.session_due is True
    assert s.session_minutes == b.session_minutes == 24  # ⌈48 / 2⌉ (d46, d48)
    assert b.longest_allowed_minutes == 33
    # n = 1: acute d40–46 = 47 vs d33–39 = 64.
    assert b.load_ratio == Fraction(47, 64)
    assert ratio(s) == Decimal("0.73")
    assert s.advice == ()


# --- B03: a goal below the start volume ---------------------------------------------------------


def test_b03_a_goal_of_45_is_reached_from_week_one():
    sessions = {n: 15 for n in (30, 32, 34, 37, 39, 41)}
    s = p_run(44, sessions, goal=45)
    assert (s.status, s.phase) == ("complete", "complete")
    # T₁ = min(45, 60); 45 ≥ 40.5 done each week.
    assert outcomes(s) == ["at_goal", "at_goal"]
    assert targets(s) == [45, 45]
    assert build_events(s)[-3:] == [(37, "week_at_goal"), (44, "week_at_goal"), (44, "complete")]


# --- B04–B06: step-backs and E4 -------------------------------------------------------------------


def test_b04_pain_above_3_steps_back():
    s = p_run(42, weeks(W1, {37: 22, 39: 15, 41: 18}), changes={39: {"pain_during": 4}})
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    # E2 ends week 2 on d39 (done 37); d40 is a gap; r(52.8) = 53.
    assert (b.week_index, b.week_start, b.week_target_minutes, b.week_done_minutes) == (3, d(41), 53, 18)
    assert s.session_due is False  # d42 is a Saturday
    week2 = s.weeks[1]
    assert (week2.outcome, week2.end, week2.done_minutes, week2.max_pain_during) == ("step_back", d(39), 37, 4)
    assert day_entry(s, 40).gap is True and day_entry(s, 40).week is None
    assert day_entry(s, 41).week == 3
    assert [e for e in build_events(s) if e[1] in ("E2", "E3", "E4")] == [(39, "E2")]  # one fail: no E4


def test_b05_morning_pain_then_pain_during():
    s = p_run(
        43,
        weeks(W1, {37: 22, 39: 22, 41: 18}),
        changes={
            39: {"pain_during": 2, "pain_morning": 3},
            40: {"pain_morning": 3},
            41: {"pain_during": 4, "pain_morning": 3},
        },
    )
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    # d39: morning +2 → E3 wins over the pass; week 3 from d41 at 53; d41: E2, week 4 at r(42.4).
    assert (b.week_index, b.week_start, b.week_target_minutes) == (4, d(43), 42)
    assert targets(s) == [60, 66, 53, 42]
    assert outcomes(s) == ["up", "step_back", "step_back", None]
    assert ratio(s) == Decimal("1.03")  # 62 / 60
    assert s.advice == ()
    # 1 fail in a row; 2 regressions < 3, so no E4.
    assert [e for e in build_events(s) if e[1] in ("E2", "E3", "E4")] == [(39, "E3"), (41, "E2")]


def test_b06_two_failed_sessions_in_a_row_go_back_to_rest():
    s = p_run(
        53,
        weeks(W1, W2, {44: 20, 46: 10}),
        changes={44: {"pain_during": 4}, 46: {"stopped_early": True}},
    )
    assert (s.status, s.phase) == ("active", "rest")
    # Week 4 from d46 at 58; two fails in a row → E4, rest from d46, check due d53.
    assert targets(s) == [60, 66, 73, 58]
    assert outcomes(s) == ["up", "up", "step_back", "step_back"]
    assert s.weeks[3].end == d(46)
    assert s.check_due is True and s.check_due_date == d(53)
    assert s.advice == ("E4",)
    assert s.build is None
    # Day ≥ 43, but E5 is silent after build.
    assert [e for e in build_events(s) if e[1] in ("E2", "E3", "E4", "E5")] == [(44, "E2"), (46, "E2"), (46, "E4")]


# --- B07–B09: load warnings -----------------------------------------------------------------------

CYCLING = {n: [run_(45, "cycling")] for n in (52, 54, 56)}


def test_b07_cross_training_spike_holds_the_week():
    s = p_run(58, weeks(W1, W2, W3, W4), extra=CYCLING)
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    # Week 4 done 80 ≥ 72, spiky, not rising → hold.
    assert (b.week_index, b.week_target_minutes) == (5, 80)
    assert s.weeks[3].outcome == "hold"
    assert s.weeks[3].knee_minutes == 80 + 3 * 45  # the runs and d52, d54, d56's cycling
    assert s.session_due is True
    assert s.session_minutes == 27  # ⌈80 / 3⌉
    assert b.longest_allowed_minutes == 29  # ⌊1.1 × 27⌋
    assert b.load_ratio == Fraction(3 * 188, 206)
    assert ratio(s) == Decimal("2.74")
    assert s.advice == ("L1",)
    # d52: n = 2, acute 120 > 1.3 × 131 / 2; L1 runs on from there, one event.
    assert [e for e in build_events(s) if e[1] in ("L1", "L2")] == [(52, "L1")]


def test_b08_spike_and_rising_pain_go_down():
    s = p_run(58, weeks(W1, W2, W3, W4), extra=CYCLING, changes={53: {"pain_during": 2}, 55: {"pain_during": 3}})
    # max 3 ≥ 2 and ≥ 1 + 1 → rising; spiky + rising → r(64.0).
    assert s.weeks[3].outcome == "down"
    assert s.weeks[3].max_pain_during == 3
    assert s.build.week_target_minutes == 64
    assert s.session_minutes == 22  # ⌈64 / 3⌉
    assert s.advice == ("L1",)


def test_b09_a_long_run_is_a_single_session_spike():
    sessions = weeks(W1, W2, {44: 34, 46: 20, 48: 19})
    s = p_run(45, sessions)
    # 340 > 11 × 30 (d22 is in d14–d43) → L2. L1: 78 / 62 ≤ 1.3.
    assert s.advice == ("L2",)
    assert s.build.longest_allowed_minutes == 37  # ⌊1.1 × 34⌋
    assert ratio(s) == Decimal("1.26")
    assert [e for e in build_events(s) if e[1] in ("L1", "L2")] == [(44, "L2")]
    s = p_run(51, sessions)
    # Done 73, but spiky → hold.
    assert s.weeks[2].outcome == "hold"
    assert s.build.week_target_minutes == 73
    assert s.advice == ()


# --- B10: weeks with nothing logged -------------------------------------------------------------


def test_b10_four_weeks_without_logs():
    s = p_run(79, weeks(W1, W2, W3), no_logs=range(51, 79))
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    # Week 4 missed (80, so week 5 repeats 80); weeks 5–7 absent: 80 → 64 → 51 → 41.
    assert outcomes(s) == ["up", "up", "up", "missed", "absent", "absent", "absent", None]
    assert targets(s) == [60, 66, 73, 80, 80, 64, 51, 41]
    assert (b.week_index, b.week_start, b.week_target_minutes) == (8, d(79), 41)
    assert s.session_due is True
    assert s.session_minutes == 14  # ⌈41 / 3⌉
    # No run in d49–d78, so longest = L8 20.
    assert b.longest_allowed_minutes == 22
    assert b.load_ratio is None
    assert s.advice == ("L3",)  # 4 non-up weeks


# --- B11: a red flag in build ---------------------------------------------------------------------


def test_b11_a_red_flag_pauses_build_back_and_a_screen_resumes_rest():
    sessions = weeks(W1, {37: 22, 39: 22})
    red = {39: {"new_symptoms": ("locked_knee",)}}
    s = p_run(44, sessions, changes=red, no_logs=range(40, 46), screens=[screen(45)])
    assert (s.status, s.phase) == ("paused", "build")
    nothing_due(s)
    assert s.build is None and s.session_minutes is None
    assert s.advice == ()
    s = p_run(46, sessions, changes=red, no_logs=range(40, 46), screens=[screen(45)])
    assert (s.status, s.phase) == ("active", "rest")
    assert s.check_due is False and s.check_due_date == d(52)
    assert [e for e in build_events(s) if e[1] in ("E1", "resume", "E5")] == [(39, "E1"), (45, "resume")]


def test_b11_a_later_level_8_pass_restarts_build_back_at_week_1():
    sessions = weeks(W1, {37: 22, 39: 22}, {n: 20 for n in range(52, 67, 2)})
    s = p_run(
        69,
        sessions,
        changes={39: {"new_symptoms": ("locked_knee",)}},
        no_logs=range(40, 46),
        screens=[screen(45)],
        checks=[check(14), check(52)],
    )
    assert (s.status, s.phase) == ("active", "build")
    assert (s.build.number, s.build.week_index, s.build.week_start, s.build.week_target_minutes) == (2, 1, d(68), 60)
    # Old weeks stay: build 1's week 2 was cut short by the red flag.
    assert [(w.build, w.index, w.outcome) for w in s.weeks] == [(1, 1, "up"), (1, 2, None), (2, 1, None)]
    assert s.weeks[1].interrupted is True
    assert build_events(s)[-2:] == [(66, "pass"), (66, "build_start")]


# --- B12: two pain-free weeks at the goal -------------------------------------------------------


def test_b12_completion_needs_two_pain_free_weeks_at_the_goal():
    sessions = weeks(W1, {n: 22 for n in (37, 39, 41, 44, 46, 48, 51, 53, 55)})
    s = p_run(57, sessions, goal=66, changes={40: {"pain_worst": 2}})
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    assert (b.week_index, b.week_target_minutes, b.week_done_minutes, b.week_left_minutes) == (4, 66, 66, 0)
    # Week 2 at_goal but not pain-free → 0; week 3 pain-free → 1.
    assert b.goal_weeks == 1
    assert outcomes(s) == ["up", "at_goal", "at_goal", None]
    assert s.session_due is False  # left 0
    s = p_run(58, sessions, goal=66, changes={40: {"pain_worst": 2}})
    assert (s.status, s.phase) == ("complete", "complete")
    assert build_events(s)[-2:] == [(58, "week_at_goal"), (58, "complete")]


# --- B13: a run logged without the session questions, then a goal the same day -----------------


def b13_logs():
    """B01 with, on d31 (before the goal is saved), a log holding one 20-min run and no session
    answers (a completed plan's log form asks none)."""
    return p_logs(31, changes={31: {"activities": (run_(20),), "session_done": None}})


def test_b13_a_run_without_session_answers_counts_and_is_no_failure():
    logs = b13_logs()
    assert logs[-1].pain_during is None and logs[-1].stopped_early is None
    before = p_run(31, goal=None, logs=logs)
    assert (before.status, before.phase) == ("complete", "complete")
    s = p_run(31, goal=240, set_on=31, logs=logs)
    assert (s.status, s.phase) == ("active", "build")
    b = s.build
    # The run is a counted session in week 1 without pain_during: not an E2.
    assert (b.week_index, b.week_start) == (1, d(31))
    assert (b.week_target_minutes, b.week_done_minutes, b.week_left_minutes) == (60, 20, 40)
    assert outcomes(s) == [None]  # no step-back
    assert build_events(s) == [(28, "pass"), (28, "complete"), (31, "build_start")]
    assert day_entry(s, 31).session == "done"
    # Neither pain-free nor rising: the week keeps no max pain from it.
    assert s.weeks[0].max_pain_during is None


def test_b13_stopped_early_without_a_pain_answer_is_still_a_failure():
    """The reading covers only what is unknown: a stored "stopped early" is an E2."""
    logs = p_logs(31, changes={31: {"activities": (run_(20),), "session_done": None, "stopped_early": True}})
    s = p_run(31, goal=240, set_on=31, logs=logs)
    assert [e for e in build_events(s) if e[1] == "E2"] == [(31, "E2")]
    assert outcomes(s) == ["step_back", None]


# --- B14: NSAID days logged while paused count toward E6 ------------------------------------------


def b14_run(today: int):
    changes = {n: {"nsaid": True} for n in range(28, 43)}
    changes[33] = {"nsaid": True, "new_symptoms": ("calf_swelling",)}
    return p_run(today, W1, changes=changes, screens=[screen(39)])


def test_b14_nsaid_days_while_paused_count_and_the_advice_comes_after_the_resume():
    s = b14_run(38)
    assert (s.status, s.phase) == ("paused", "build")
    assert s.advice == ()
    assert [e for e in build_events(s) if e[1] == "E6"] == []
    s = b14_run(40)
    assert (s.status, s.phase) == ("active", "rest")
    # The run d28–d40 is 13 days; the screen resumes at the end of d39, so d40 is the first
    # active date.
    assert s.advice == ("E6",)
    assert [e for e in build_events(s) if e[1] in ("E1", "resume", "E6")] == [(33, "E1"), (39, "resume"), (40, "E6")]
    s = b14_run(42)
    assert [e for e in build_events(s) if e[1] == "E6"] == [(40, "E6")]  # once per run


def test_b14_a_run_that_crossed_a_pause_fires_on_the_first_active_date_even_without_a_log():
    changes = {n: {"nsaid": True} for n in range(28, 40)}
    changes[33] = {"nsaid": True, "new_symptoms": ("calf_swelling",)}
    s = p_run(40, W1, changes=changes, screens=[screen(39)], no_logs=[40])
    assert s.advice == ("E6",)
    assert [e for e in build_events(s) if e[1] == "E6"] == [(40, "E6")]
    # A run that ended before the resume is not current: nothing fires.
    changes = {n: {"nsaid": True} for n in range(28, 39)}
    changes[33] = {"nsaid": True, "new_symptoms": ("calf_swelling",)}
    s = p_run(41, W1, changes=changes, screens=[screen(39)])
    assert s.advice == () and [e for e in build_events(s) if e[1] == "E6"] == []
