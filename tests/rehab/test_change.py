"""The "is this change real" rules (rehab/change.py): thresholds, too few days, rounding.

The expected figures are worked out by hand here from the thresholds the module cites (PSFS
2 points on the average; pain 2 points or 30%, a 30% drop at least 1 point; 3 logged days).
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.change import (
    BETTER,
    NO_CLEAR_CHANGE,
    NOTHING_YET,
    TOO_FEW_DAYS,
    WORSE,
    average,
    function_change,
    pain_change,
    shown,
)

PROPS = settings(max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "200")), deadline=None)
D = Decimal


# --- Rounding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, expected",
    [
        ([3, 4, 4], "3.7"),  # 3.666…
        ([6, 6, 7], "6.3"),
        ([5, 5], "5.0"),
        ([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "0.1"),  # 0.05: half up, not to even
        ([2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 3], "2.6"),  # 2.55 → 2.6
        ([0], "0.0"),
        ([10, 10, 10], "10.0"),
    ],
)
def test_averages_round_half_up_to_one_decimal(values, expected):
    assert shown(average(values)) == expected


def test_no_values_have_no_average():
    assert average([]) is None
    assert shown(None) == ""


# --- Function (PSFS) ----------------------------------------------------------------------------


def test_the_issue_example_is_a_real_improvement():
    change = function_change({"run": 3, "stairs": 4, "cycle": 4}, {"run": 6, "stairs": 6, "cycle": 7})
    assert (change.verdict, shown(change.before), shown(change.after)) == (BETTER, "3.7", "6.3")
    assert change.real and change.difference == D("2.6")


@pytest.mark.parametrize(
    "before, after, verdict",
    [
        ({"a": 3}, {"a": 5}, BETTER),  # exactly 2 points: at the threshold, counted
        ({"a": 3}, {"a": 4}, NO_CLEAR_CHANGE),
        ({"a": 5}, {"a": 3}, WORSE),
        ({"a": 5}, {"a": 4}, NO_CLEAR_CHANGE),
        ({"a": 3, "b": 4, "c": 4}, {"a": 5, "b": 6, "c": 5}, NO_CLEAR_CHANGE),  # 3.7 → 5.3: 1.6
        ({"a": 3, "b": 4, "c": 4}, {"a": 5, "b": 6, "c": 6}, BETTER),  # 3.7 → 5.7: 2.0 as shown
        ({"a": 6}, {"a": 6}, NO_CLEAR_CHANGE),
    ],
)
def test_function_change_against_2_points(before, after, verdict):
    assert function_change(before, after).verdict == verdict


def test_only_the_activities_rated_both_times_are_compared():
    # "b" was added later at 10: counting it would make 2 → 6 out of nothing.
    change = function_change({"a": 2}, {"a": 3, "b": 10})
    assert (change.verdict, change.before, change.after) == (NO_CLEAR_CHANGE, D("2.0"), D("3.0"))


def test_no_activity_in_common_says_nothing_yet():
    assert function_change({"a": 2}, {"b": 9}).verdict == NOTHING_YET
    assert function_change({}, {}).verdict == NOTHING_YET
    assert not function_change({}, {}).real


# --- Pain -------------------------------------------------------------------------------------


def test_the_issue_example_is_a_clinically_important_drop():
    change = pain_change([5, 5, 6, 5, 5, 5, 5], [2, 2, 2, 2])
    assert (change.verdict, shown(change.before), shown(change.after)) == (BETTER, "5.1", "2.0")


@pytest.mark.parametrize(
    "before, after, verdict",
    [
        ([6, 6, 6], [4, 4, 4], BETTER),  # 2 points (33%)
        ([8, 8, 8], [7, 6, 6], NO_CLEAR_CHANGE),  # 8.0 → 6.3: 1.7 points, 21%
        ([4, 4, 4], [3, 3, 2], BETTER),  # 4.0 → 2.7: 1.3 points, 32.5%: the 30% counts
        ([4, 4, 4], [3, 3, 3], NO_CLEAR_CHANGE),  # 1 point, 25%
        ([2, 2, 2], [1, 1, 1], BETTER),  # 1.0 point and 50%: the 30% with its 1-point guard met
        ([1, 1, 1], [0, 1, 1], NO_CLEAR_CHANGE),  # 1.0 → 0.7: 30% of almost nothing
        ([2, 2, 2], [4, 4, 4], WORSE),  # a rise of 2 points
        ([3, 3, 3], [4, 4, 4], NO_CLEAR_CHANGE),  # a rise of 33%, only 1 point: not claimed
    ],
)
def test_pain_change_against_2_points_or_30_percent(before, after, verdict):
    assert pain_change(before, after).verdict == verdict


@pytest.mark.parametrize("before, after", [([5, 5], [1, 1, 1]), ([5, 5, 5], [1, 1]), ([], []), ([9], [0, 0, 0, 0])])
def test_never_a_change_from_fewer_than_3_logged_days_a_week(before, after):
    change = pain_change(before, after)
    assert change.verdict == TOO_FEW_DAYS and not change.real


# --- Properties -------------------------------------------------------------------------------

scores = st.integers(min_value=0, max_value=10)
week = st.lists(scores, min_size=0, max_size=7)
ratings = st.dictionaries(st.sampled_from("abc"), scores, max_size=3)


@PROPS
@given(before=ratings, after=ratings)
def test_function_verdict_matches_the_figures_shown(before, after):
    change = function_change(before, after)
    if change.verdict == NOTHING_YET:
        assert not set(before) & set(after)
        return
    difference = D(shown(change.after)) - D(shown(change.before))
    assert change.real == (abs(difference) >= 2)
    assert (change.verdict == BETTER) == (difference >= 2)
    assert (change.verdict == WORSE) == (difference <= -2)


@PROPS
@given(before=ratings, after=ratings)
def test_function_change_is_antisymmetric(before, after):
    forth, back = function_change(before, after), function_change(after, before)
    swap = {BETTER: WORSE, WORSE: BETTER}
    assert back.verdict == swap.get(forth.verdict, forth.verdict)


@PROPS
@given(before=week, after=week)
def test_pain_verdicts_need_3_days_each_side(before, after):
    change = pain_change(before, after)
    if len(before) < 3 or len(after) < 3:
        assert change.verdict == TOO_FEW_DAYS
    else:
        assert change.verdict in (BETTER, WORSE, NO_CLEAR_CHANGE)


@PROPS
@given(before=st.lists(scores, min_size=3, max_size=7), after=st.lists(scores, min_size=3, max_size=7))
def test_pain_verdict_matches_the_figures_shown(before, after):
    change = pain_change(before, after)
    first, last = D(shown(change.before)), D(shown(change.after))
    drop = first - last
    assert (change.verdict == BETTER) == (drop >= 2 or (drop >= 1 and drop >= D("0.3") * first))
    assert (change.verdict == WORSE) == (drop <= -2)
    # A rounded average is within 0.05 of the true mean.
    assert abs(first - D(sum(before)) / len(before)) <= D("0.05")


@PROPS
@given(before=st.lists(scores, min_size=3, max_size=7), after=st.lists(scores, min_size=3, max_size=7))
def test_lower_pain_never_reads_worse(before, after):
    lower = [max(0, value - 2) for value in after]
    if pain_change(before, after).verdict == BETTER:
        assert pain_change(before, lower).verdict == BETTER
    assert pain_change(before, lower).verdict != WORSE or pain_change(before, after).verdict == WORSE
