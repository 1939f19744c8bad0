"""Worked scenarios for `rehab.progression.compute`, rule by rule.

Every expected value is read off /work/shared/domain/plan.md (and exercises.md for the
exercises due), not off the implementation. Day n is START + (n - 1) days; START is a Sunday,
1 Nov 2026. Helpers live in progression_helpers.py.

Vocabulary used in comments: "L3" = ladder level 3; "next S d18" = the next session date is
plan day 18.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from rehab.progression import LogEntry
from tests.rehab.support import (
    FOAM_ROLL,
    RED_FLAG_OUTCOME,
    REST_SET,
    RETURN_SET,
    START,
    STRETCHES,
    check,
    d,
    day_entry,
    due,
    ev,
    events_of,
    failed_session,
    log,
    nothing_due,
    passed_check_path,
    passing_sessions,
    rest_logs,
    rules,
    run,
    screen,
    session,
)

# =============================================================================================
# Day counting
# =============================================================================================


def test_day_1_is_the_start_date():
    s = run(today_day=1)
    assert s.today == START
    assert s.day == 1
    assert (s.phase, s.status) == ("rest", "active")
    assert s.level is None
    assert rules(s) == []


def test_the_day_number_is_today_minus_start_plus_one():
    assert run(today_day=10).day == 10
    assert run(today_day=10).today == d(10)


def test_the_day_number_keeps_counting_past_30():
    # No check was ever taken, so rest simply continues (plan.md: "until taken, check_due stays true").
    s = run(today_day=31)
    assert s.day == 31
    assert s.phase == "rest"
    # Past day 43 the plan is referred (E5), and the day still counts on.
    assert run(today_day=60).day == 60


def test_logs_dated_before_the_start_or_after_today_are_ignored():
    # Both ignored logs carry a red flag: counted, either would pause the plan (E1).
    before = LogEntry(date=START - timedelta(days=1), pain_worst=9, rested=True, new_symptoms=("calf_swelling",))
    after = log(11, rested=True, new_symptoms=("locked_knee",))
    s = run(logs=[before, *rest_logs(1, 3), after], today_day=10)
    assert s.status == "active"
    assert rules(s) == []
    assert (s.rest_days_kept, s.rest_days_logged) == (3, 3)


def test_a_check_dated_after_today_is_ignored():
    s = run(logs=rest_logs(1, 13), checks=[check(15)], today_day=14)
    assert s.phase == "rest"
    assert s.check_due is True
    assert rules(s) == []


def test_the_days_list_covers_start_to_today():
    s = run(today_day=5)
    assert [x.date for x in s.days] == [d(n) for n in range(1, 6)]
    assert [x.day for x in s.days] == [1, 2, 3, 4, 5]


# =============================================================================================
# Rest phase: exercises, the check's due date, rest days kept
# =============================================================================================


@pytest.mark.parametrize(
    "day, expected",
    [
        (1, STRETCHES),  # exercises.md: days 1-2 stretches only
        (2, STRETCHES),
        (3, STRETCHES | REST_SET),  # rest-phase set on odd plan days from day 3
        (4, STRETCHES),
        (5, STRETCHES | REST_SET),
        (13, STRETCHES | REST_SET),
        (14, STRETCHES),
    ],
)
def test_rest_phase_exercises_due_by_day(day, expected):
    s = run(logs=rest_logs(1, day), today_day=day)
    assert due(s) == expected


def test_rest_set_is_still_due_on_odd_days_when_rest_continues_past_day_14():
    # No check taken: still phase rest on day 15 (odd) -> stretches + rest set.
    assert due(run(today_day=15)) == STRETCHES | REST_SET
    assert due(run(today_day=16)) == STRETCHES


def test_foam_rolling_is_never_due():
    s = run(logs=passed_check_path(*passing_sessions(14, 4)), checks=[check(14)], today_day=22)
    for day in s.days:
        assert FOAM_ROLL not in day.exercises_due
    assert FOAM_ROLL not in s.exercises_due


def test_the_check_is_not_due_on_day_13():
    s = run(logs=rest_logs(1, 13), today_day=13)
    assert s.check_due is False
    assert s.check_due_date == d(14)


def test_the_check_is_due_on_day_14():
    s = run(logs=rest_logs(1, 14), today_day=14)
    assert s.check_due is True
    assert s.check_due_date == d(14)


def test_without_a_check_the_check_stays_due_and_rest_continues_on_day_20():
    s = run(logs=rest_logs(1, 20), today_day=20)
    assert (s.phase, s.status) == ("rest", "active")
    assert s.check_due is True
    assert s.check_due_date == d(14)  # "the day the check is (or was) due"
    assert s.session_due is False
    assert s.level is None


def test_rest_days_kept_and_logged_are_counted():
    logs = [log(1, rested=True), log(2, rested=True), log(3, rested=False), log(5, rested=True)]
    s = run(logs=logs, today_day=6)
    assert (s.rest_days_kept, s.rest_days_logged) == (3, 4)


def test_logs_in_return_are_not_rest_days_and_the_check_day_log_is_read_in_return():
    # Order within one date: the check, then the log. The day-14 log is therefore read in
    # `return` and is not a rest day, even if it says rested = yes. Day 15 is also in return.
    logs = [*rest_logs(1, 13), log(14, rested=True), log(15, rested=True)]
    s = run(logs=logs, checks=[check(14)], today_day=15)
    assert (s.rest_days_kept, s.rest_days_logged) == (13, 13)
    assert day_entry(s, 13).phase == "rest"
    assert day_entry(s, 14).phase == "return"


# =============================================================================================
# The check
# =============================================================================================


def test_a_passing_check_on_day_14_starts_return_at_level_1_with_a_session_due_that_day():
    s = run(logs=passed_check_path(), checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass")]
    assert (s.phase, s.status) == ("return", "active")
    assert s.level == 1
    assert s.session_due is True
    assert s.next_session_date == d(14)
    assert s.check_due is False


def test_the_log_on_the_passing_check_date_can_be_the_first_session():
    s = run(logs=passed_check_path(session(14)), checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass"), ev(14, "pass")]
    assert events_of(s, "pass")[0].level == 1
    # pass -> next session at level + 1, "the next 2 days after the last session"
    assert s.level == 2
    assert s.next_session_date == d(16)
    assert s.session_due is False
    assert run(logs=passed_check_path(session(14)), checks=[check(14)], today_day=16).session_due is True


@pytest.mark.parametrize("kw", [{}, {"daily_pain": 1}, {"squat_pain": 2}, {"hop_pain": 2}])
def test_check_criteria_pass_at_their_limits(kw):
    s = run(logs=passed_check_path(), checks=[check(14, **kw)], today_day=14)
    assert rules(s) == [ev(14, "check_pass")]


def test_a_check_dated_before_it_is_due_is_ignored():
    s = run(logs=rest_logs(1, 13), checks=[check(13)], today_day=14)
    assert s.phase == "rest"
    assert s.check_due is True
    assert rules(s) == []


def test_a_failing_check_dated_before_it_is_due_does_not_refer():
    s = run(checks=[check(13, daily_pain=6)], today_day=14)
    assert s.status == "active"
    assert rules(s) == []


def test_a_late_check_is_accepted():
    s = run(logs=rest_logs(1, 17), checks=[check(17)], today_day=17)
    assert rules(s) == [ev(17, "check_pass")]
    assert s.next_session_date == d(17)


@pytest.mark.parametrize("kw", [{"daily_pain": 2}, {"walk_30": False}, {"squat_pain": 3}, {"hop_pain": 3}], ids=str)
def test_each_failing_criterion_alone_fails_the_check(kw):
    # Without logs the person is "not improving" -> referred.
    s = run(checks=[check(14, **kw)], today_day=14)
    assert rules(s) == [ev(14, "check_refer")]
    assert s.status == "referred"
    nothing_due(s)
    assert s.advice == ()


def improving_logs() -> list[LogEntry]:
    """First 3 logged days pain_worst 6, last 3 (days 11-13) pain_worst 3: 6 - 3 = 3 >= 2."""
    return [*rest_logs(1, 3, pain_worst=6), *rest_logs(4, 10, pain_worst=4), *rest_logs(11, 13, pain_worst=3)]


def test_a_failed_check_while_improving_extends_rest_by_7_days():
    s = run(logs=improving_logs(), checks=[check(14, daily_pain=3)], today_day=14)
    assert rules(s) == [ev(14, "check_extend")]
    assert (s.phase, s.status) == ("rest", "active")
    assert s.check_due_date == d(21)
    assert s.check_due is False
    assert s.level is None
    assert run(logs=improving_logs(), checks=[check(14, daily_pain=3)], today_day=20).check_due is False
    assert run(logs=improving_logs(), checks=[check(14, daily_pain=3)], today_day=21).check_due is True


def test_the_extension_counts_7_days_from_the_date_of_a_late_check():
    s = run(logs=improving_logs(), checks=[check(16, walk_30=False)], today_day=16)
    assert rules(s) == [ev(16, "check_extend")]
    assert s.check_due_date == d(23)


def test_an_improvement_of_exactly_2_extends():
    logs = [*rest_logs(1, 3, pain_worst=5), *rest_logs(11, 13, pain_worst=3)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=14)
    assert rules(s) == [ev(14, "check_extend")]


def test_an_improvement_of_exactly_2_with_fractional_means_extends():
    # mean(6,5,5) - mean(4,3,3) = 16/3 - 10/3 = 2 exactly (naive float division gives 1.9999999999999996).
    logs = [log(1, 6), log(2, 5), log(3, 5), log(11, 4), log(12, 3), log(13, 3)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=14)
    assert rules(s) == [ev(14, "check_extend")]


def test_an_improvement_just_under_2_refers():
    # mean(6,5,5) - mean(4,4,3) = 16/3 - 11/3 = 5/3 < 2
    logs = [log(1, 6), log(2, 5), log(3, 5), log(11, 4), log(12, 4), log(13, 3)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=14)
    assert rules(s) == [ev(14, "check_refer")]
    assert s.status == "referred"


def test_a_failed_check_not_improving_refers():
    logs = [*rest_logs(1, 3, pain_worst=4), *rest_logs(11, 13, pain_worst=3)]  # 4 - 3 = 1
    s = run(logs=logs, checks=[check(14, hop_pain=5)], today_day=14)
    assert rules(s) == [ev(14, "check_refer")]
    assert s.status == "referred"
    assert s.phase == "rest"  # phase keeps its last value
    assert s.level is None
    nothing_due(s)
    assert s.advice == ()


def test_a_failed_check_with_no_logs_is_not_improving():
    s = run(checks=[check(14, daily_pain=4)], today_day=14)
    assert rules(s) == [ev(14, "check_refer")]


def test_improving_with_fewer_than_3_logs_uses_the_same_logs_for_both_means():
    # 2 logs: both groups are {9, 0}, mean 4.5 each -> difference 0 -> not improving.
    logs = [log(1, 9), log(13, 0)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=14)
    assert rules(s) == [ev(14, "check_refer")]


def test_improving_with_4_logs_uses_overlapping_groups():
    # first 3 = (8, 2, 2) mean 4; last 3 = (2, 2, 2) mean 2 -> 2 >= 2 -> improving.
    logs = [log(1, 8), log(5, 2), log(9, 2), log(13, 2)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=14)
    assert rules(s) == [ev(14, "check_extend")]


def test_improving_ignores_logs_dated_after_the_check():
    # Up to the check: first 3 = 6,6,6; last 3 (days 12-14) = 5,5,5 -> 1 -> not improving.
    # Days 15-16 (pain 0, after the check) must not count; with them the last 3 would be 5,0,0.
    logs = [*rest_logs(1, 3, pain_worst=6), *rest_logs(12, 14, pain_worst=5), log(15, 0), log(16, 0)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=16)
    assert rules(s) == [ev(14, "check_refer")]
    assert s.status == "referred"


def test_improving_counts_the_log_dated_on_the_check_day():
    # Logs on days 1,2,3 (6 each), 12, 13 (5 each), 14 (0). With the day-14 log the last 3 are
    # 5,5,0 -> mean 10/3; 6 - 10/3 = 2.67 -> improving. Without it: 6,5,5 -> 0.67 -> referred.
    logs = [*rest_logs(1, 3, pain_worst=6), log(12, 5), log(13, 5), log(14, 0)]
    s = run(logs=logs, checks=[check(14, daily_pain=2)], today_day=14)
    assert rules(s) == [ev(14, "check_extend")]


def test_a_second_failed_check_after_an_extension_refers_even_when_improving():
    logs = [*improving_logs(), *rest_logs(14, 20, pain_worst=1)]
    s = run(logs=logs, checks=[check(14, daily_pain=3), check(21, daily_pain=3)], today_day=21)
    assert rules(s) == [ev(14, "check_extend"), ev(21, "check_refer")]
    assert s.status == "referred"


def test_a_passing_check_after_an_extension_starts_return():
    logs = [*improving_logs(), *rest_logs(14, 20, pain_worst=1)]
    s = run(logs=logs, checks=[check(14, daily_pain=3), check(21)], today_day=21)
    assert rules(s) == [ev(14, "check_extend"), ev(21, "check_pass")]
    assert (s.phase, s.level, s.session_due) == ("return", 1, True)


def test_a_check_before_the_extended_due_date_is_ignored():
    s = run(logs=improving_logs(), checks=[check(14, daily_pain=3), check(18)], today_day=18)
    assert rules(s) == [ev(14, "check_extend")]
    assert s.phase == "rest"


@pytest.mark.parametrize("flag", ["locked_knee", "night_or_rest_pain", "chest_or_breathing"])
def test_a_red_flag_ticked_in_the_check_pauses_the_plan(flag):
    s = run(logs=rest_logs(1, 13), checks=[check(14, new_symptoms=(flag,))], today_day=14)
    assert rules(s) == [ev(14, "E1")]
    assert s.status == "paused"
    assert s.pause_outcome == RED_FLAG_OUTCOME[flag]
    assert flag in events_of(s, "E1")[0].detail
    nothing_due(s)
    assert s.advice == ()


def test_a_red_flag_in_a_failing_check_pauses_rather_than_refers():
    s = run(checks=[check(14, daily_pain=5, new_symptoms=("calf_swelling",))], today_day=14)
    assert rules(s) == [ev(14, "E1")]
    assert s.status == "paused"


def test_a_check_during_return_is_ignored():
    # "A check is refused when none is due (in return ...)": even a red flag in it changes nothing.
    logs = passed_check_path(session(14))
    s = run(logs=logs, checks=[check(14), check(16, new_symptoms=("calf_swelling",))], today_day=16)
    assert rules(s) == [ev(14, "check_pass"), ev(14, "pass")]
    assert s.status == "active"


# =============================================================================================
# The typical 30-day path
# =============================================================================================


def typical_logs() -> list[LogEntry]:
    """Rest days 1-13; sessions on 14, 16, ..., 28 (levels 1..8, all passing); easy days between."""
    return passed_check_path(*passing_sessions(14, 8), *[log(n, 1) for n in range(15, 28, 2)])


def test_the_typical_path_passes_levels_1_to_8_and_completes_on_day_28():
    s = run(logs=typical_logs(), checks=[check(14)], today_day=30)
    expected = [ev(14, "check_pass")] + [ev(n, "pass") for n in range(14, 29, 2)] + [ev(28, "complete")]
    assert rules(s) == expected
    assert [e.level for e in events_of(s, "pass")] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert (s.phase, s.status) == ("complete", "complete")
    assert s.level is None
    nothing_due(s)
    assert s.advice == ()
    assert (s.rest_days_kept, s.rest_days_logged) == (13, 13)


def test_the_typical_path_is_still_in_return_at_level_8_on_day_27():
    s = run(logs=typical_logs()[:-1], checks=[check(14)], today_day=27)  # without the day-27 easy log
    assert (s.phase, s.status) == ("return", "active")
    assert s.level == 8
    assert s.next_session_date == d(28)
    assert s.session_due is False


def test_the_typical_path_days_record_sessions_and_phases():
    s = run(logs=typical_logs(), checks=[check(14)], today_day=30)
    assert len(s.days) == 30
    d13, d14, d15, d16, d28, d29 = (day_entry(s, n) for n in (13, 14, 15, 16, 28, 29))
    assert (d13.phase, d13.session_day, d13.session) == ("rest", False, None)
    assert frozenset(d13.exercises_due) == STRETCHES | REST_SET
    assert (d14.phase, d14.session_day, d14.level, d14.session) == ("return", True, 1, "pass")
    assert (d15.session_day, d15.level, d15.session) == (False, None, None)
    assert frozenset(d15.exercises_due) == STRETCHES | RETURN_SET
    assert (d16.session_day, d16.level, d16.session) == (True, 2, "pass")
    assert frozenset(d16.exercises_due) == STRETCHES
    assert (d28.level, d28.session, d28.status) == (8, "pass", "complete")
    assert d29.exercises_due == ()


def test_a_complete_plan_is_not_referred_at_day_43():
    s = run(logs=typical_logs(), checks=[check(14)], today_day=50)
    assert s.status == "complete"
    assert "E5" not in [r for _, r in rules(s)]


# =============================================================================================
# Return-phase exercises and session days
# =============================================================================================


def test_return_session_day_has_stretches_only():
    assert due(run(logs=passed_check_path(), checks=[check(14)], today_day=14)) == STRETCHES
    assert due(run(logs=passed_check_path(session(14)), checks=[check(14)], today_day=14)) == STRETCHES


def test_return_non_session_day_has_stretches_and_the_return_set():
    s = run(logs=passed_check_path(session(14)), checks=[check(14)], today_day=15)
    assert due(s) == STRETCHES | RETURN_SET


def test_a_session_day_not_yet_logged_has_stretches_only():
    s = run(logs=passed_check_path(session(14), log(15)), checks=[check(14)], today_day=16)
    assert s.session_due is True
    assert due(s) == STRETCHES


def test_the_day_after_a_missed_session_is_a_session_day():
    # Session due day 16, nothing logged on 16 -> the session moves to 17.
    s = run(logs=passed_check_path(session(14)), checks=[check(14)], today_day=17)
    assert due(s) == STRETCHES
    assert day_entry(s, 17).session_day is True


def test_a_missed_session_day_moves_the_session_to_the_next_day():
    logs = passed_check_path(session(14))  # L1 passed -> L2 due on day 16
    s = run(logs=logs, checks=[check(14)], today_day=17)  # no log on day 16
    assert s.session_due is True
    assert s.level == 2
    assert rules(s) == [ev(14, "check_pass"), ev(14, "pass")]
    # The session then done on day 17 is the L2 session; the next is 2 days later.
    s = run(logs=[*logs, session(17)], checks=[check(14)], today_day=17)
    assert rules(s)[-1] == ev(17, "pass")
    assert events_of(s, "pass")[-1].level == 2
    assert (s.level, s.next_session_date) == (3, d(19))


def test_session_done_no_moves_the_session_to_the_next_day():
    logs = passed_check_path(session(14), log(16, session_done=False))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert s.session_due is True
    assert s.level == 2
    assert rules(s) == [ev(14, "check_pass"), ev(14, "pass")]
    assert day_entry(s, 16).session is None


def test_session_done_on_a_non_session_day_does_not_count():
    # Day 15 is not a session day (next S d16): neither a failing nor a passing report counts.
    for extra in (session(15, pain_during=9, stopped_early=True), session(15)):
        s = run(logs=passed_check_path(session(14), extra), checks=[check(14)], today_day=15)
        assert rules(s) == [ev(14, "check_pass"), ev(14, "pass")]
        assert (s.level, s.next_session_date) == (2, d(16))
        assert day_entry(s, 15).session is None


# =============================================================================================
# E2: a failed session
# =============================================================================================


def test_pain_during_4_repeats_one_level_lower_two_days_later():
    # L1..L3 pass on 14, 16, 18; L4 on day 20 with pain 4 (> 3) -> E2 -> next S d22 at L3.
    logs = passed_check_path(*passing_sessions(14, 3), session(20, pain_during=4))
    s = run(logs=logs, checks=[check(14)], today_day=20)
    assert rules(s)[-1] == ev(20, "E2")
    assert events_of(s, "E2")[0].level == 4
    assert (s.level, s.next_session_date, s.session_due) == (3, d(22), False)
    assert day_entry(s, 20).session == "fail"


def test_pain_during_3_is_a_pass():
    logs = passed_check_path(session(14, pain_during=3))
    s = run(logs=logs, checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass"), ev(14, "pass")]
    assert s.level == 2


def test_stopping_early_fails_and_the_level_does_not_go_below_1():
    logs = passed_check_path(session(14, pain_during=0, stopped_early=True))
    s = run(logs=logs, checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass"), ev(14, "E2")]
    assert (s.level, s.next_session_date) == (1, d(16))
    assert s.status == "active"


# =============================================================================================
# E3: a flare the morning after
# =============================================================================================


def test_morning_pain_2_above_the_previous_log_pauses_sessions_2_days_then_drops_a_level():
    # L1 d14, L2 d16 (pm 1) pass -> L3 due d18. Day 17 pm 3 (= 1 + 2) -> E3:
    # next S d17 + 2 = d19, at (last session's level 2) - 1 = 1.
    logs = passed_check_path(session(14), session(16, pain_morning=1), log(17, pain_morning=3))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert rules(s)[-1] == ev(17, "E3")
    assert events_of(s, "E3")[0].level == 1
    assert (s.level, s.next_session_date) == (1, d(19))
    s18 = run(logs=logs, checks=[check(14)], today_day=18)
    assert s18.session_due is False
    assert due(s18) == STRETCHES | RETURN_SET  # a no-session day after a flare
    assert run(logs=logs, checks=[check(14)], today_day=19).session_due is True


def test_morning_pain_only_1_above_the_previous_log_is_not_e3():
    logs = passed_check_path(session(14), session(16, pain_morning=1), log(17, pain_morning=2))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert "E3" not in [r for _, r in rules(s)]
    assert (s.level, s.next_session_date) == (3, d(18))


def test_e3_compares_with_the_previous_logged_day_not_the_previous_calendar_day():
    # Day 16 (a session day) is not logged; day 17 is compared with day 15.
    logs = passed_check_path(session(14), log(15, pain_morning=1), log(17, pain_morning=3))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert rules(s)[-1] == ev(17, "E3")
    # no session since L1 on day 14 -> (1 - 1) not below 1 -> L1 on d19
    assert (s.level, s.next_session_date) == (1, d(19))


def test_local_swelling_after_a_log_without_swelling_is_e3():
    logs = passed_check_path(session(14), session(16), log(17, swelling="local"))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert rules(s)[-1] == ev(17, "E3")
    assert (s.level, s.next_session_date) == (1, d(19))


def test_local_swelling_after_a_log_with_local_swelling_is_not_e3_again():
    # Day 15: local after none -> E3 (next S d17). Day 16: local after local -> nothing.
    logs = passed_check_path(session(14), log(15, swelling="local"), log(16, swelling="local"))
    s = run(logs=logs, checks=[check(14)], today_day=16)
    assert [r for r in rules(s) if r[1] == "E3"] == [ev(15, "E3")]
    assert (s.level, s.next_session_date) == (1, d(17))


def test_e3_fires_at_most_once_per_log():
    logs = passed_check_path(session(14), session(16, pain_morning=1), log(17, pain_morning=4, swelling="local"))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert [r for r in rules(s) if r[1] == "E3"] == [ev(17, "E3")]


def test_e3_overrides_a_pass_on_the_same_log():
    # The L1 session on day 14 passes, but pm rose 0 -> 2 against day 13 (rest): E3 wins.
    # Level: at (last session's level 1) - 1 -> not below 1 -> 1 (and with "no session yet" it
    # stays as due, 1: both readings agree). A plain pass would have made it 2. Next S d16.
    logs = [*rest_logs(1, 12), log(13, rested=True, pain_morning=0), session(14, pain_morning=2)]
    s = run(logs=logs, checks=[check(14)], today_day=14)
    assert ev(14, "E3") in rules(s)
    assert (s.level, s.next_session_date) == (1, d(16))


def test_e3_on_a_passing_session_at_level_3_sets_the_next_session_at_level_2():
    # Reading: the day-18 log IS a session (session day, session_done = yes) at L3, so it is the
    # "last session"; E3 -> (3 - 1) = L2 on d20, instead of the pass's L4 on d20.
    logs = passed_check_path(*passing_sessions(14, 2), log(17, pain_morning=1), session(18, pain_morning=3))
    s = run(logs=logs, checks=[check(14)], today_day=18)
    assert rules(s)[-1] == ev(18, "E3")
    assert (s.level, s.next_session_date) == (2, d(20))


def test_e3_with_no_session_yet_in_return_keeps_the_level_as_due():
    # Check passed on 14, day 14 not logged (missed). Day 15 pm 2 vs day 13 pm 0 -> E3 -> d17, L1.
    logs = [*rest_logs(1, 12), log(13, rested=True, pain_morning=0), log(15, pain_morning=2)]
    s = run(logs=logs, checks=[check(14)], today_day=15)
    assert rules(s) == [ev(14, "check_pass"), ev(15, "E3")]
    assert (s.level, s.next_session_date) == (1, d(17))


def test_e3_before_any_session_of_a_restarted_return_keeps_level_1():
    # First return: L1 d14, L2 d16, L3 d18 pass; L4 d20 fails (E2 -> L3 d22); L3 d22 fails ->
    # E2 + E4 (two failed in a row) -> rest from d22, check due d29. Check d29 passes -> return L1.
    # Day 29 logged without a session (pm 0), day 30 pm 2 -> E3 with no session yet in THIS
    # return phase -> the level stays as due (1), not (old last session L3) - 1 = 2. Next S d32.
    logs = passed_check_path(
        *passing_sessions(14, 3),
        failed_session(20),
        failed_session(22),
        log(29, pain_morning=0),
        log(30, pain_morning=2),
    )
    s = run(logs=logs, checks=[check(14), check(29)], today_day=30)
    assert rules(s)[-4:] == [ev(22, "E2"), ev(22, "E4"), ev(29, "check_pass"), ev(30, "E3")]
    assert (s.phase, s.level, s.next_session_date) == ("return", 1, d(32))


def test_e3_needs_both_morning_pain_values():
    # Day 16 has no pain_morning, so day 17 (pm 5) is not compared (not even with day 15).
    logs = passed_check_path(session(14), log(15, pain_morning=0), session(16), log(17, pain_morning=5))
    s = run(logs=logs, checks=[check(14)], today_day=17)
    assert "E3" not in [r for _, r in rules(s)]
    assert (s.level, s.next_session_date) == (3, d(18))


def test_e3_compares_the_first_return_log_with_a_rest_log():
    logs = [*rest_logs(1, 12), log(13, rested=True, pain_morning=0), log(14, pain_morning=2)]
    s = run(logs=logs, checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass"), ev(14, "E3")]
    assert (s.level, s.next_session_date) == (1, d(16))


def test_morning_pain_rises_during_rest_do_not_fire_e3():
    logs = [log(5, pain_morning=0), log(6, pain_morning=6), log(7, swelling="local")]
    s = run(logs=logs, today_day=7)
    assert rules(s) == []
    assert (s.phase, s.status) == ("rest", "active")


def test_a_level_8_pass_with_e3_does_not_complete():
    # L1..L7 pass on 14..26; L8 due d28. Day 27 pm 0; day 28 L8 passes but pm 2 -> E3 wins:
    # not complete; next S d30 at (8 - 1) = 7.
    logs = passed_check_path(*passing_sessions(14, 7), log(27, pain_morning=0), session(28, pain_morning=2))
    s = run(logs=logs, checks=[check(14)], today_day=28)
    assert rules(s)[-1] == ev(28, "E3")
    assert "complete" not in [r for _, r in rules(s)]
    assert (s.phase, s.status) == ("return", "active")
    assert (s.level, s.next_session_date) == (7, d(30))


# =============================================================================================
# E4: back to rest
# =============================================================================================


def two_fails_in_a_row_logs() -> list[LogEntry]:
    """L1 d14, L2 d16 pass; L3 d18 fails (E2 -> L2 d20); L2 d20 fails -> E2 + E4 on day 20."""
    return passed_check_path(*passing_sessions(14, 2), failed_session(18), failed_session(20))


def test_two_failed_sessions_in_a_row_go_back_to_rest_for_7_days_then_a_check():
    s = run(logs=two_fails_in_a_row_logs(), checks=[check(14)], today_day=20)
    assert rules(s) == [
        ev(14, "check_pass"),
        ev(14, "pass"),
        ev(16, "pass"),
        ev(18, "E2"),
        ev(20, "E2"),
        ev(20, "E4"),
    ]
    assert (s.phase, s.status) == ("rest", "active")
    assert s.level is None
    assert s.check_due_date == d(27)
    assert s.check_due is False
    assert s.session_due is False
    assert "E4" in s.advice


def test_during_the_rest_e4_started_the_advice_shows_and_the_rest_schedule_applies():
    s21 = run(logs=two_fails_in_a_row_logs(), checks=[check(14)], today_day=21)
    assert "E4" in s21.advice
    assert due(s21) == STRETCHES | REST_SET  # day 21 is odd
    s26 = run(logs=two_fails_in_a_row_logs(), checks=[check(14)], today_day=26)
    assert "E4" in s26.advice
    assert due(s26) == STRETCHES
    assert s26.check_due is False
    s27 = run(logs=two_fails_in_a_row_logs(), checks=[check(14)], today_day=27)
    assert s27.check_due is True
    assert "E4" in s27.advice


def test_the_e4_advice_ends_when_the_new_check_passes():
    s = run(logs=two_fails_in_a_row_logs(), checks=[check(14), check(27)], today_day=27)
    assert rules(s)[-1] == ev(27, "check_pass")
    assert (s.phase, s.level, s.session_due) == ("return", 1, True)
    assert "E4" not in s.advice


def test_failed_passed_failed_is_not_two_in_a_row():
    # L3 d18 fails (-> L2 d20), L2 d20 passes (-> L3 d22), L3 d22 fails (-> L2 d24): no E4.
    logs = passed_check_path(*passing_sessions(14, 2), failed_session(18), session(20), failed_session(22))
    s = run(logs=logs, checks=[check(14)], today_day=22)
    assert "E4" not in [r for _, r in rules(s)]
    assert (s.phase, s.level, s.next_session_date) == ("return", 2, d(24))


def test_an_e3_overridden_pass_breaks_the_run_of_failed_sessions():
    # L3 d18 fails (E2). Day 20: the session passes but pm rose 0 -> 2 (E3 wins). Days 22-24
    # missed; day 25's session fails (E2). Failed sessions 18 and 25 are not "in a row" (the
    # E3-overridden pass breaks the run), and the regressions 18, 20, 25 span 7 days (> 6): no E4.
    logs = passed_check_path(
        *passing_sessions(14, 2),
        failed_session(18),
        log(19, pain_morning=0),
        session(20, pain_morning=2),
        failed_session(25),
    )
    s = run(logs=logs, checks=[check(14)], today_day=25)
    names = [r for _, r in rules(s)]
    assert "E4" not in names
    assert [r for r in rules(s) if r[1] in ("E2", "E3")] == [ev(18, "E2"), ev(20, "E3"), ev(25, "E2")]
    assert (s.phase, s.status) == ("return", "active")


def three_regressions_logs(third_day: int) -> list[LogEntry]:
    """E2 d16 (L2), E3 d17 (pm 0 -> 2), L1 passes d19, then an E2 on `third_day` (L2).

    L1 d14 pass -> L2 d16 fails (E2 -> L1 d18) -> E3 d17 -> L1 on d19 -> passes -> L2 on d21;
    days 21.. up to third_day - 1 are missed, so the session on `third_day` is at L2.
    The failed sessions are never two in a row (the d19 pass sits between)."""
    return passed_check_path(
        session(14),
        failed_session(16, pain_morning=0),
        log(17, pain_morning=2),
        session(19),
        failed_session(third_day),
    )


def test_three_regressions_with_the_first_and_third_6_days_apart_trigger_e4():
    s = run(logs=three_regressions_logs(22), checks=[check(14)], today_day=22)
    assert rules(s)[-2:] == [ev(22, "E2"), ev(22, "E4")]
    assert (s.phase, s.status) == ("rest", "active")
    assert s.check_due_date == d(29)
    assert "E4" in s.advice


def test_three_regressions_with_the_first_and_third_7_days_apart_do_not_trigger_e4():
    s = run(logs=three_regressions_logs(23), checks=[check(14)], today_day=23)
    assert rules(s)[-1] == ev(23, "E2")
    assert "E4" not in [r for _, r in rules(s)]
    assert (s.phase, s.status) == ("return", "active")
    assert (s.level, s.next_session_date) == (1, d(25))  # L2 failed -> L1, two days later


def second_e4_logs() -> list[LogEntry]:
    """First E4 on day 20 (two fails in a row); check on 27 passes; L1 fails on 27 and 29."""
    return [*two_fails_in_a_row_logs(), failed_session(27), failed_session(29)]


def test_failed_sessions_before_an_e4_do_not_count_toward_the_next_run():
    # Day 20's fail and day 27's fail are consecutive sessions overall, but "in a row" counts only
    # since the return phase restarted on day 27: one fail so far -> no E4.
    s = run(logs=second_e4_logs(), checks=[check(14), check(27)], today_day=28)
    assert rules(s)[-2:] == [ev(27, "check_pass"), ev(27, "E2")]
    assert (s.phase, s.status, s.level, s.next_session_date) == ("return", "active", 1, d(29))


def test_a_second_e4_refers():
    s = run(logs=second_e4_logs(), checks=[check(14), check(27)], today_day=29)
    assert rules(s)[-2:] == [ev(29, "E2"), ev(29, "E4")]
    assert [r for _, r in rules(s)].count("E4") == 2
    assert s.status == "referred"
    nothing_due(s)
    assert s.advice == ()


def test_a_failed_check_after_e4_refers_even_when_improving():
    # Days 1-3 pain 8, everything else pain 2 (the helper default): clearly improving, but no
    # extension after E4.
    logs = [*rest_logs(1, 3, pain_worst=8), *two_fails_in_a_row_logs()[3:], *rest_logs(21, 26)]
    s = run(logs=logs, checks=[check(14), check(27, daily_pain=3)], today_day=27)
    assert rules(s)[-1] == ev(27, "check_refer")
    assert s.status == "referred"


# =============================================================================================
# E1: red flags pause the plan
# =============================================================================================


@pytest.mark.parametrize("flag, outcome", sorted(RED_FLAG_OUTCOME.items()))
def test_a_daily_red_flag_pauses_with_its_outcome_level(flag, outcome):
    s = run(logs=[*rest_logs(1, 4), log(5, new_symptoms=(flag,))], today_day=5)
    assert rules(s) == [ev(5, "E1")]
    assert s.status == "paused"
    assert s.pause_outcome == outcome
    assert set(s.pause_flags) == {flag}
    assert set(events_of(s, "E1")[0].detail) == {flag}


@pytest.mark.parametrize(
    "flags, outcome",
    [
        (("night_or_rest_pain", "calf_swelling", "chest_or_breathing"), "emergency"),
        (("catching_giving_way", "locked_knee"), "urgent_today"),
        (("numbness_shin_foot", "night_or_rest_pain"), "clinician_soon"),
        (("foot_cold_or_numb", "numbness_shin_foot"), "emergency"),
    ],
)
def test_the_pause_outcome_is_the_most_urgent_flag(flags, outcome):
    s = run(logs=[log(5, new_symptoms=flags)], today_day=5)
    assert s.status == "paused"
    assert s.pause_outcome == outcome
    assert set(s.pause_flags) == set(flags)


def test_whole_knee_swelling_pauses():
    s = run(logs=[*rest_logs(1, 4), log(5, swelling="whole_knee")], today_day=5)
    assert rules(s) == [ev(5, "E1")]
    assert s.status == "paused"
    assert "whole_knee" in events_of(s, "E1")[0].detail


def test_whole_knee_swelling_during_return_pauses():
    logs = passed_check_path(session(14), log(15, swelling="whole_knee"))
    s = run(logs=logs, checks=[check(14)], today_day=16)
    assert rules(s)[-1] == ev(15, "E1")
    assert s.status == "paused"
    nothing_due(s)


def test_nothing_is_due_while_paused():
    s = run(logs=[*rest_logs(1, 4), log(5, new_symptoms=("night_or_rest_pain",))], today_day=14)
    assert s.status == "paused"
    nothing_due(s)  # day 14 would otherwise have the check due
    assert s.advice == ()
    assert s.day == 14


def test_nothing_is_due_while_paused_during_return():
    logs = passed_check_path(session(14), log(15, new_symptoms=("locked_knee",)))
    s = run(logs=logs, checks=[check(14)], today_day=16)  # day 16 would be a session day
    assert s.status == "paused"
    nothing_due(s)


def test_logs_while_paused_change_nothing():
    base = [*rest_logs(1, 4), log(5, new_symptoms=("calf_swelling",))]
    later = [
        log(6, new_symptoms=("hot_swollen_fever",)),  # a more urgent flag: still changes nothing
        log(7, rested=True, pain_morning=0),
        log(8, rested=True, pain_morning=9, swelling="whole_knee", nsaid=True),
    ]
    without, with_later = run(logs=base, today_day=9), run(logs=[*base, *later], today_day=9)
    assert rules(with_later) == [ev(5, "E1")]
    assert with_later.status == "paused"
    assert with_later.pause_outcome == "urgent_today"
    assert set(with_later.pause_flags) == {"calf_swelling"}
    assert (with_later.rest_days_kept, with_later.rest_days_logged) == (
        without.rest_days_kept,
        without.rest_days_logged,
    )


def test_a_check_while_paused_is_ignored():
    s = run(logs=[log(5, new_symptoms=("calf_swelling",))], checks=[check(14)], today_day=14)
    assert rules(s) == [ev(5, "E1")]
    assert s.status == "paused"


def test_an_itbs_likely_screen_resumes_in_rest_with_a_check_7_days_later():
    logs = [*rest_logs(1, 4), log(5, new_symptoms=("catching_giving_way",))]
    s = run(logs=logs, screens=[screen(8)], today_day=8)
    assert rules(s) == [ev(5, "E1"), ev(8, "resume")]
    assert (s.phase, s.status) == ("rest", "active")
    assert s.check_due_date == d(15)
    assert s.pause_outcome is None
    assert s.advice == ()
    assert run(logs=logs, screens=[screen(8)], today_day=14).check_due is False
    assert run(logs=logs, screens=[screen(8)], today_day=15).check_due is True


def test_exercises_are_due_again_after_resuming():
    logs = [log(5, new_symptoms=("catching_giving_way",))]
    assert due(run(logs=logs, screens=[screen(8)], today_day=9)) == STRETCHES | REST_SET  # day 9 odd


def test_a_screen_on_the_pausing_date_resumes():
    # Order within one date: the log, then a new screen.
    s = run(logs=[log(5, new_symptoms=("locked_knee",))], screens=[screen(5)], today_day=5)
    assert rules(s) == [ev(5, "E1"), ev(5, "resume")]
    assert s.status == "active"
    assert s.check_due_date == d(12)


def test_a_screen_before_the_pause_does_not_resume():
    s = run(logs=[log(5, new_symptoms=("locked_knee",))], screens=[screen(4)], today_day=8)
    assert s.status == "paused"
    assert "resume" not in [r for _, r in rules(s)]


def test_a_screen_with_another_outcome_does_not_resume():
    s = run(logs=[log(5, new_symptoms=("locked_knee",))], screens=[screen(8, "clinician_soon")], today_day=8)
    assert s.status == "paused"
    assert "resume" not in [r for _, r in rules(s)]


def test_a_plan_paused_by_the_check_resumes_with_a_screen_that_day():
    s = run(
        logs=rest_logs(1, 13), checks=[check(14, new_symptoms=("calf_swelling",))], screens=[screen(14)], today_day=14
    )
    assert rules(s) == [ev(14, "E1"), ev(14, "resume")]
    assert (s.phase, s.status, s.check_due_date) == ("rest", "active", d(21))


def test_resuming_a_plan_paused_during_return_restarts_rest():
    logs = passed_check_path(session(14), log(15, new_symptoms=("calf_swelling",)))
    s = run(logs=logs, checks=[check(14)], screens=[screen(16)], today_day=16)
    assert rules(s)[-2:] == [ev(15, "E1"), ev(16, "resume")]
    assert (s.phase, s.status, s.level) == ("rest", "active", None)
    assert s.check_due_date == d(23)
    assert s.session_due is False


def test_a_passing_check_after_resume_starts_return():
    logs = [log(5, new_symptoms=("locked_knee",))]
    s = run(logs=logs, checks=[check(15)], screens=[screen(8)], today_day=15)
    assert rules(s) == [ev(5, "E1"), ev(8, "resume"), ev(15, "check_pass")]
    assert (s.phase, s.level) == ("return", 1)


def test_a_failed_check_after_resume_refers_even_when_improving():
    # First 3 logs pain 8, last 3 pain 1: improving, but no extension after E1.
    logs = [log(1, 8), log(2, 8), log(3, 8, new_symptoms=("night_or_rest_pain",)), *rest_logs(5, 10, pain_worst=1)]
    s = run(logs=logs, checks=[check(11, daily_pain=3)], screens=[screen(4)], today_day=11)
    assert rules(s) == [ev(3, "E1"), ev(4, "resume"), ev(11, "check_refer")]
    assert s.status == "referred"


def test_logs_while_paused_count_as_the_e3_baseline_later():
    # Paused on day 3. Day 10's log (pm 0) is read while paused (the log comes before the screen
    # on the same date); the screen on day 10 resumes -> check due day 17. The check passes on 17;
    # day 17 pm 2 compares with day 10's pm 0 -> E3 (no session yet -> L1, next S d19).
    logs = [log(3, new_symptoms=("locked_knee",)), log(10, pain_morning=0), log(17, pain_morning=2)]
    s = run(logs=logs, checks=[check(17)], screens=[screen(10)], today_day=17)
    assert rules(s) == [ev(3, "E1"), ev(10, "resume"), ev(17, "check_pass"), ev(17, "E3")]
    assert (s.level, s.next_session_date) == (1, d(19))


def test_logs_while_paused_count_toward_the_e6_run_later():
    # nsaid = yes on days 1-12; day 1 pauses, screen on day 11 resumes. The run is 12 days long
    # and current on day 12 -> E6 advice.
    logs = [log(1, nsaid=True, new_symptoms=("night_or_rest_pain",)), *[log(n, nsaid=True) for n in range(2, 13)]]
    s = run(logs=logs, screens=[screen(11)], today_day=12)
    assert s.status == "active"
    assert "E6" in s.advice


# =============================================================================================
# E5: six weeks
# =============================================================================================


def test_an_active_plan_not_complete_is_referred_at_the_start_of_day_43():
    s = run(logs=rest_logs(1, 20), today_day=43)
    assert rules(s) == [ev(43, "E5")]
    assert s.status == "referred"
    nothing_due(s)


def test_an_active_plan_is_not_referred_on_day_42():
    s = run(logs=rest_logs(1, 20), today_day=42)
    assert s.status == "active"
    assert s.check_due is True


def test_e5_comes_before_a_check_on_day_43():
    s = run(logs=rest_logs(1, 20), checks=[check(43)], today_day=43)
    assert rules(s) == [ev(43, "E5")]
    assert s.status == "referred"


def test_e5_refers_a_plan_still_in_return_at_day_43():
    s = run(logs=rest_logs(1, 20), checks=[check(40)], today_day=43)
    assert rules(s) == [ev(40, "check_pass"), ev(43, "E5")]
    assert s.status == "referred"


def test_e5_does_not_apply_while_paused():
    s = run(logs=[log(5, new_symptoms=("locked_knee",))], today_day=50)
    assert s.status == "paused"
    assert rules(s) == [ev(5, "E1")]


# =============================================================================================
# E6: painkillers to keep going
# =============================================================================================


def nsaid_run(first: int, last: int) -> list[LogEntry]:
    return [log(n, rested=True, nsaid=True) for n in range(first, last + 1)]


def test_nsaid_on_11_consecutive_logged_days_shows_e6_advice():
    s = run(logs=nsaid_run(1, 11), today_day=11)
    assert "E6" in s.advice
    assert rules(s) == [ev(11, "E6")]
    # no status change
    assert (s.phase, s.status) == ("rest", "active")


def test_the_e6_advice_stays_the_next_day_and_is_gone_two_days_later():
    assert "E6" in run(logs=nsaid_run(1, 11), today_day=12).advice  # last log yesterday
    assert "E6" not in run(logs=nsaid_run(1, 11), today_day=13).advice


def test_nsaid_on_10_consecutive_days_gives_no_advice():
    s = run(logs=nsaid_run(1, 10), today_day=10)
    assert "E6" not in s.advice
    assert rules(s) == []


def test_a_gap_day_breaks_the_nsaid_run():
    s = run(logs=[*nsaid_run(1, 5), *nsaid_run(7, 12)], today_day=12)  # 11 logs, day 6 missing
    assert "E6" not in s.advice
    assert rules(s) == []


def test_a_day_logged_without_nsaid_breaks_the_run():
    logs = [*nsaid_run(1, 5), log(6, rested=True, nsaid=False), *nsaid_run(7, 12)]
    s = run(logs=logs, today_day=12)
    assert "E6" not in s.advice


def test_e6_advice_is_not_shown_while_paused():
    s = run(logs=[*nsaid_run(1, 10), log(11, nsaid=True, new_symptoms=("locked_knee",))], today_day=11)
    assert s.status == "paused"
    assert s.advice == ()


def test_e6_during_return_does_not_change_the_ladder():
    # nsaid every day 4..14, session L1 passes on 14 -> E6 advice, level 2 as usual.
    logs = [*rest_logs(1, 3), *nsaid_run(4, 13), session(14, nsaid=True)]
    s = run(logs=logs, checks=[check(14)], today_day=14)
    assert "E6" in s.advice
    assert (s.phase, s.status, s.level) == ("return", "active", 2)


# =============================================================================================
# Order within one date, editing, "today"
# =============================================================================================


def test_a_check_passing_on_a_date_makes_that_dates_log_the_first_session():
    s = run(logs=passed_check_path(failed_session(14)), checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass"), ev(14, "E2")]
    assert events_of(s, "E2")[0].level == 1
    assert day_entry(s, 14).session == "fail"


def test_editing_a_past_log_recomputes_the_state():
    passing = passed_check_path(session(14), session(16))
    s = run(logs=passing, checks=[check(14)], today_day=17)
    assert (s.level, s.next_session_date) == (3, d(18))
    # The day-16 log is edited: the run actually hurt (pain 6) -> E2 at L2 -> L1 on d18.
    edited = [x for x in passing if x.date != d(16)] + [session(16, pain_during=6)]
    s = run(logs=edited, checks=[check(14)], today_day=17)
    assert rules(s)[-1] == ev(16, "E2")
    assert (s.level, s.next_session_date) == (1, d(18))


def test_today_is_a_parameter_the_engine_only_sees_dates():
    # The same inputs: a check dated day 15. Seen from "today = day 14" (e.g. still the evening of
    # day 14 in the user's time zone) it is in the future and ignored; from day 15 it counts.
    inputs = {"logs": rest_logs(1, 15), "checks": [check(15)]}
    s14 = run(**inputs, today_day=14)
    s15 = run(**inputs, today_day=15)
    assert (s14.day, s14.phase, s14.check_due, s14.level) == (14, "rest", True, None)
    assert (s15.day, s15.phase, s15.check_due, s15.level) == (15, "return", False, 1)
    assert rules(s14) == [] and rules(s15) == [ev(15, "check_pass")]


# =============================================================================================
# More contract corners
# =============================================================================================


def test_the_rest_set_follows_odd_plan_days_during_an_extension():
    logs = improving_logs()
    assert due(run(logs=logs, checks=[check(14, daily_pain=3)], today_day=15)) == STRETCHES | REST_SET
    assert due(run(logs=logs, checks=[check(14, daily_pain=3)], today_day=16)) == STRETCHES


def test_a_session_reported_during_rest_does_not_count():
    s = run(logs=[*rest_logs(1, 9), session(10)], today_day=10)
    assert rules(s) == []
    assert (s.phase, s.level) == ("rest", None)


def test_e3_needs_a_previous_log():
    # No log at all before day 14: local swelling on the first log cannot be "after none".
    s = run(logs=[log(14, swelling="local", pain_morning=5)], checks=[check(14)], today_day=14)
    assert rules(s) == [ev(14, "check_pass")]
    assert (s.level, s.next_session_date) == (1, d(14))


def test_a_log_firing_both_e2_and_e3_counts_once_toward_three_regressions():
    # L3 on day 18 fails (E2) and pm rose 0 -> 2 (E3) on the same log; day 19 pm 4 -> E3 again.
    # Regressions = 2 logs (18, 19), not 3 -> no E4. Day 19's E3: next S d21 at
    # (last session L3) - 1 = 2.
    logs = passed_check_path(
        session(14), session(16, pain_morning=0), failed_session(18, pain_morning=2), log(19, pain_morning=4)
    )
    s = run(logs=logs, checks=[check(14)], today_day=19)
    assert "E4" not in [r for _, r in rules(s)]
    assert (s.phase, s.status) == ("return", "active")
    assert (s.level, s.next_session_date) == (2, d(21))


def test_an_itbs_likely_screen_while_active_changes_nothing():
    s = run(logs=rest_logs(1, 6), screens=[screen(5)], today_day=6)
    assert rules(s) == []
    assert (s.phase, s.status, s.check_due_date) == ("rest", "active", d(14))


def test_a_second_pause_needs_a_new_screen():
    # Paused day 3, resumed by the day-4 screen, paused again day 6: the day-4 screen is before
    # the second pause and cannot resume it.
    logs = [log(3, new_symptoms=("locked_knee",)), log(6, new_symptoms=("night_or_rest_pain",))]
    s = run(logs=logs, screens=[screen(4)], today_day=8)
    assert rules(s) == [ev(3, "E1"), ev(4, "resume"), ev(6, "E1")]
    assert s.status == "paused"
    assert s.pause_outcome == "clinician_soon"
    s = run(logs=logs, screens=[screen(4), screen(8)], today_day=8)
    assert rules(s)[-1] == ev(8, "resume")
    assert (s.status, s.check_due_date) == ("active", d(15))


def test_e5_is_not_applied_to_a_plan_resumed_after_day_43():
    # "E5 applies only while active, at the start of day 43." Paused on day 40, so at the start of
    # day 43 it was not active; resumed on day 45 (rest, check due day 52). E5 is not re-read later.
    s = run(logs=[log(40, new_symptoms=("locked_knee",))], screens=[screen(45)], today_day=46)
    assert rules(s) == [ev(40, "E1"), ev(45, "resume")]
    assert (s.phase, s.status, s.check_due_date) == ("rest", "active", d(52))
