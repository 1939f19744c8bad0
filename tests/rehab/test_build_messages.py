"""load.md §5's messages in plain words, read off the engine's state for the scenarios of §6."""

from __future__ import annotations

from rehab.explain import build_advice, describe_all
from tests.rehab.support import W1, W2, W3, W4, W5, d, p_logs, p_run, run_, weeks

CYCLING = {n: [run_(45, "cycling")] for n in (52, 54, 56)}
SETBACK = "Setbacks are common, even with careful plans; this is a small step back."


def words(state, day: int) -> list[str]:
    return describe_all(state, state.events_on(d(day)), "running")


def test_build_start_and_week_up():
    s = p_run(37, weeks(W1), goal=80)
    assert "Level 8 done. Now we build back toward your usual 80 minutes a week, starting with 60 minutes." in words(
        s, 28
    )
    assert words(s, 37) == ["Last week went well (60 of 60 min, knee settled). This week: 66 minutes."]


def test_week_hold_names_the_load_jump_and_week_down_the_drop():
    s = p_run(58, weeks(W1, W2, W3, W4), extra=CYCLING)
    assert words(s, 58) == ["This week repeats 80 minutes: your knee-bending load jumped."]
    assert words(s, 52) == [
        "Your knee-bending activity this week is over 1.3× your recent weeks. Stick to the plan for a few days."
    ]
    assert build_advice(s) == [
        "Your knee-bending activity this week is 2.74× your recent weeks. Stick to the plan for a few days."
    ]
    s = p_run(58, weeks(W1, W2, W3, W4), extra=CYCLING, changes={53: {"pain_during": 2}, 55: {"pain_during": 3}})
    assert words(s, 58) == [
        "Your load jumped and your knee pain rose in the same week, so this week drops to 64 minutes. " + SETBACK
    ]


def test_a_short_week_holds_and_says_how_much_was_done():
    s = p_run(44, weeks(W1, {37: 22, 39: 22, 41: 15}), goal=80)
    assert words(s, 44) == ["This week repeats 66 minutes: you did 59 of 66."]


def test_missed_and_absent_weeks_and_the_stall_advice():
    s = p_run(79, weeks(W1, W2, W3), no_logs=range(51, 79))
    assert words(s, 58) == ["No sessions logged last week, so this week repeats 80 minutes."]
    assert words(s, 65) == ["No sessions logged last week, so this week restarts a little lower, at 64 minutes."]
    assert "Your build-back hasn't moved up for 4 weeks. A physiotherapist can help find out why." in build_advice(s)


def test_a_step_back_names_its_cause_and_the_next_target():
    s = p_run(42, weeks(W1, {37: 22, 39: 15, 41: 18}), changes={39: {"pain_during": 4}})
    assert words(s, 39) == [
        "Your pain went above 3 (or you stopped early): no run tomorrow, then 53 minutes a week. " + SETBACK
    ]
    s = p_run(43, weeks(W1, {37: 22, 39: 22, 41: 18}), changes={39: {"pain_morning": 3}})
    assert words(s, 39)[-1].startswith("Your knee was worse this morning: no run tomorrow, then 53 minutes a week.")


def test_a_long_run_says_how_long_the_next_may_be():
    s = p_run(44, weeks(W1, W2, {44: 34}))
    logs = {log.date: log for log in p_logs(44, weeks(W1, W2, {44: 34}))}
    assert describe_all(s, s.events_on(d(44)), "running", logs=logs)[-1] == (
        "That run was over 10% longer than your longest in 30 days. Keep the next one under 37 minutes."
    )  # ⌊1.1 × 34⌋: the run that fired it is the new longest
    assert words(s, 44)[-1] == "That run was over 10% longer than your longest in 30 days."  # without the logs
    s = p_run(45, weeks(W1, W2, {44: 34}))
    assert words(s, 44)[-1].endswith("Keep the next one under 37 minutes.")  # a day later, from today's window


def test_at_goal_counts_the_pain_free_weeks_and_complete_closes():
    s = p_run(65, weeks(W1, W2, W3, W4, W5), goal=80)
    assert words(s, 65)[-1] == (
        "Two pain-free weeks at your usual 80 minutes: build-back complete. Keep any increase gradual."
    )
    s = p_run(58, weeks(W1, W2, W3, W4), goal=80)
    assert words(s, 58) == ["You're at your usual 80 minutes. Pain-free weeks held: 1 of 2."]


def test_a_plan_without_a_target_reads_exactly_as_before():
    s = p_run(31, goal=None)
    assert (
        words(s, 28)[-1] == "You have completed the plan. Build up gradually from here, and keep up the hip exercises."
    )


# --- The load-vs-pain chart's data (rehab/charts.py) ----------------------------------------------


def test_the_chart_has_a_bar_per_week_and_a_pain_dot_only_where_sessions_were_logged():
    from rehab.charts import build_chart

    s = p_run(79, weeks(W1, W2, W3), no_logs=range(51, 79))  # B10: weeks 4–7 have no logs
    chart = build_chart(s, goal=240)
    assert len(chart.bars) == 8 and len(chart.rows) == 8
    assert [bar.pain_y is not None for bar in chart.bars] == [True] * 3 + [False] * 5  # gaps stay gaps
    assert [row.pain for row in chart.rows][3:] == ["–"] * 5
    assert [row.target for row in chart.rows] == [60, 66, 73, 80, 80, 64, 51, 41]
    assert chart.rows[4].outcome == "too little logged again: restarted lower"
    assert chart.bars[-1].current and not chart.bars[0].current
    assert chart.goal_y is not None and chart.goal_y < min(bar.target_y for bar in chart.bars)  # G above every step
    assert chart.y_ticks[-1][1] == 240  # the axis reaches the goal


def test_other_knee_minutes_stack_on_the_main_kind():
    from rehab.charts import build_chart

    s = p_run(58, weeks(W1, W2, W3, W4), extra=CYCLING)
    chart = build_chart(s, goal=240)
    assert chart.rows[3].done == 80 and chart.rows[3].other == 135
    assert chart.has_other and chart.bars[3].other_height > 0
    assert not chart.has_step_back
