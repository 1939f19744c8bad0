"""Hypothesis properties of `rehab.progression.compute` over random plans.

Random logs (one per date), checks (at most one per date) and later screenings, dated within
0-50 days of START, with "today" anywhere in that range. Red flags and whole-knee swelling are
kept rare and checks usually pass, so that many examples get past the rest phase.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.progression import CheckEntry, LogEntry, ScreenEntry, compute
from tests.rehab.support import FOAM_ROLL, OUTCOMES, RED_FLAG_OUTCOME, START

SPAN = 50
FLAGS = sorted(RED_FLAG_OUTCOME)

pain = st.integers(0, 10)
low_pain = st.integers(0, 4)
maybe_bool = st.sampled_from([None, True, False])
# Mostly no red flag: one example in ~12 logs carries one or two.
symptoms = st.one_of(
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.just(()),
    st.lists(st.sampled_from(FLAGS), min_size=1, max_size=2, unique=True).map(tuple),
)
swelling = st.sampled_from(["none"] * 10 + ["local", "local", "whole_knee"])


@st.composite
def log_entries(draw, offset: int) -> LogEntry:
    session_done = draw(st.sampled_from([None, True, True, True, False]))
    if session_done:
        pain_during = draw(st.one_of(low_pain, low_pain, pain))  # mostly passing sessions
        stopped_early = draw(st.sampled_from([False, False, False, True]))
    else:
        pain_during = stopped_early = None
    return LogEntry(
        date=START + timedelta(days=offset),
        pain_worst=draw(pain),
        pain_morning=draw(st.one_of(st.none(), low_pain, pain)),
        rested=draw(maybe_bool),
        session_done=session_done,
        pain_during=pain_during,
        stopped_early=stopped_early,
        swelling=draw(swelling),
        nsaid=draw(st.booleans()),
        new_symptoms=draw(symptoms),
    )


@st.composite
def check_entries(draw, offset: int) -> CheckEntry:
    passing = draw(st.sampled_from([True, True, False]))
    if passing:
        return CheckEntry(date=START + timedelta(days=offset))
    return CheckEntry(
        date=START + timedelta(days=offset),
        new_symptoms=draw(symptoms),
        daily_pain=draw(pain),
        walk_30=draw(st.booleans()),
        squat_pain=draw(pain),
        hop_pain=draw(pain),
    )


@st.composite
def plans(draw):
    log_days = draw(st.lists(st.integers(0, SPAN), unique=True, max_size=45))
    # Checks cluster where they are usually due (day 14, 21, 28, ...) but may land anywhere.
    check_days = draw(
        st.lists(
            st.one_of(st.sampled_from([13, 14, 15, 20, 21, 22, 27, 28, 29]), st.integers(0, SPAN)),
            unique=True,
            max_size=4,
        )
    )
    screen_days = draw(st.lists(st.integers(0, SPAN), max_size=2))
    logs = [draw(log_entries(o)) for o in sorted(log_days)]
    checks = [draw(check_entries(o)) for o in sorted(check_days)]
    screens = [
        ScreenEntry(date=START + timedelta(days=o), outcome=draw(st.sampled_from(OUTCOMES))) for o in screen_days
    ]
    today = START + timedelta(days=draw(st.integers(0, SPAN)))
    return logs, checks, screens, today


def compute_plan(logs, checks, screens, today):
    return compute(start_date=START, logs=logs, checks=checks, screens=screens, today=today)


# HYPOTHESIS_MAX_EXAMPLES=3000 for a deeper local run.
PROPS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPS
@given(plans())
def test_level_is_between_1_and_8_whenever_phase_is_return(plan):
    s = compute_plan(*plan)
    if s.phase == "return":
        assert s.level is not None and 1 <= s.level <= 8
    for day in s.days:
        if day.level is not None:
            assert 1 <= day.level <= 8


@PROPS
@given(plans(), st.randoms(use_true_random=False))
def test_the_state_does_not_depend_on_input_order(plan, rnd):
    logs, checks, screens, today = plan
    expected = compute_plan(logs, checks, screens, today)
    shuffled = [list(logs), list(checks), list(screens)]
    for items in shuffled:
        rnd.shuffle(items)
    assert compute_plan(*shuffled, today) == expected


@PROPS
@given(plans())
def test_nothing_is_due_when_paused_referred_or_complete(plan):
    s = compute_plan(*plan)
    if s.status in ("paused", "referred", "complete"):
        assert s.session_due is False
        assert s.check_due is False
        assert tuple(s.exercises_due) == ()
    if s.status in ("paused", "referred"):
        assert s.advice == ()


@PROPS
@given(plans())
def test_day_is_today_minus_start_plus_one(plan):
    s = compute_plan(*plan)
    today = plan[3]
    assert s.today == today
    assert s.day == (today - START).days + 1
    assert [x.date for x in s.days] == [START + timedelta(days=i) for i in range(s.day)]
    assert [x.day for x in s.days] == list(range(1, s.day + 1))


@PROPS
@given(plans())
def test_events_are_in_date_order_and_within_the_plan(plan):
    s = compute_plan(*plan)
    dates = [e.date for e in s.events]
    assert dates == sorted(dates)
    assert all(START <= x <= plan[3] for x in dates)


@PROPS
@given(plans())
def test_structural_invariants(plan):
    s = compute_plan(*plan)
    # phase/status vocabulary and their coupling (phase complete <=> status complete)
    assert s.phase in ("rest", "return", "complete")
    assert s.status in ("active", "paused", "referred", "complete")
    assert (s.phase == "complete") == (s.status == "complete")
    # level is null outside return
    if s.phase != "return":
        assert s.level is None
    # exercises: no duplicates, foam rolling never due, today's list is the last Day's list
    assert len(set(s.exercises_due)) == len(s.exercises_due)
    assert FOAM_ROLL not in s.exercises_due
    assert tuple(s.exercises_due) == tuple(s.days[-1].exercises_due)
    for day in s.days:
        assert FOAM_ROLL not in day.exercises_due
    assert 0 <= s.rest_days_kept <= s.rest_days_logged
    # the paused outcome is shown only while paused
    if s.status != "paused":
        assert s.pause_outcome is None
    # the session is due only in return, and a check only in rest
    if s.session_due:
        assert s.phase == "return" and s.status == "active"
    if s.check_due:
        assert s.phase == "rest" and s.status == "active"


@PROPS
@given(plans())
def test_entries_after_today_do_not_change_the_state(plan):
    logs, checks, screens, today = plan
    s = compute_plan(logs, checks, screens, today)
    later = today + timedelta(days=1)
    extra_log = LogEntry(date=later, pain_worst=10, swelling="whole_knee", new_symptoms=("chest_or_breathing",))
    if all(x.date != later for x in logs):
        assert compute_plan([*logs, extra_log], checks, screens, today) == s
