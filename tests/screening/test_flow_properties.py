"""Flow 2026.2: what `open_questions` / `steps_that_matter` let a person skip never changes
`triage(...).outcome` (screening.md, "Stopping as soon as the outcome is known").

`walk` plays the screen as the views do: each step that still matters is shown; the person
leaves blank whatever they like (`blanks`); the form then insists on the questions
`open_questions` names, so those are filled from the person's full answers; a skipped step is
never shown. The outcome of what was stored must equal the outcome of the full answers.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.rules import (
    ACTIVITY_CODES,
    ANSWER_VALUES,
    NO,
    QUESTIONS,
    STEPS,
    UNSURE,
    YES,
    is_asked,
    open_questions,
    questions_for_step,
    steps_that_matter,
    triage,
)
from tests.screening.test_rules import URGENT_EMERGENCY

YES_NO = [question.id for question in QUESTIONS if question.kind == "yesno"]


def walk(full: dict, blanks: set[str]) -> tuple[dict, list[str]]:
    """The answers the flow stores for a person whose true answers are `full`, and the steps shown."""
    answers: dict = {}
    done: list[str] = []
    for step in STEPS:
        if step not in steps_that_matter(answers, done):
            continue
        ids = [question.id for question in questions_for_step(step.id)]
        given = {qid: full[qid] for qid in ids if qid not in blanks}
        merged = {**answers, **given}
        while True:  # the form sends back what must still be answered; the person answers it
            merged = {qid: value for qid, value in merged.items() if is_asked(qid, merged)}
            required = open_questions(merged, step.id)
            if not required:
                break
            merged.update({qid: full[qid] for qid in required})
        answers = merged
        done.append(step.id)
    return answers, done


def full_outcome(full: dict) -> str:
    return triage({qid: value for qid, value in full.items() if is_asked(qid, full)}).outcome


def check(full: dict, blanks: set[str]) -> None:
    stored, _done = walk(full, blanks)
    assert triage(stored).outcome == full_outcome(full), (full, blanks, stored)


person = st.fixed_dictionaries(
    {
        "age": st.one_of(st.integers(1, 20), st.integers(50, 60), st.integers(1, 120)),
        "activity": st.sampled_from(ACTIVITY_CODES),
        **{qid: st.sampled_from((NO, NO, NO, NO, YES, UNSURE)) for qid in YES_NO},
    }
)


@settings(max_examples=300, deadline=None)
@given(full=person, blanks=st.sets(st.sampled_from(YES_NO)), everything_blank=st.booleans())
def test_what_the_flow_lets_you_skip_never_changes_the_outcome(full, blanks, everything_blank):
    check(full, set(YES_NO) if everything_blank else blanks)


def _combos(ids: list[str], max_positive: int = 2):
    """Every answer set of these questions with at most `max_positive` yes/not-sure answers."""
    yield dict.fromkeys(ids, NO)
    for k in range(1, max_positive + 1):
        for chosen in itertools.combinations(ids, k):
            for values in itertools.product((YES, UNSURE), repeat=k):
                yield {**dict.fromkeys(ids, NO), **dict(zip(chosen, values, strict=True))}


@pytest.mark.parametrize("step_id", [step.id for step in STEPS if step.id != "about"])
@pytest.mark.parametrize("age", [10, 30, 60])
def test_a_sweep_of_each_steps_answers_with_the_rest_random(step_id, age):
    rng = random.Random(f"{step_id}-{age}")
    ids = [question.id for question in questions_for_step(step_id)]
    for combo in _combos(ids, 3 if len(ids) <= 4 else 2):
        full = {"age": age, "activity": "running", **{qid: rng.choice(ANSWER_VALUES) for qid in YES_NO}, **combo}
        check(full, {qid for qid in YES_NO if rng.random() < 0.5})
        check(full, set(YES_NO))  # everything left blank: only the required is answered


def test_an_emergency_answer_alone_is_enough():
    assert open_questions({"age": 30, "hot_swollen_fever": YES}, "urgent") == ()
    assert steps_that_matter({"age": 30, "hot_swollen_fever": YES}, ["about", "urgent"]) == tuple(STEPS[:2])


def test_calf_swelling_alone_leaves_only_the_emergency_questions_open():
    open_ids = open_questions({"age": 30, "calf_swelling": YES}, "urgent")
    assert open_ids == tuple(URGENT_EMERGENCY)


def test_a_child_must_still_answer_whether_they_can_bear_weight_after_an_urgent_today_answer():
    assert "cannot_bear_weight" in open_questions({"age": 10, "calf_swelling": YES}, "urgent")
    assert "cannot_bear_weight" not in open_questions({"age": 30, "calf_swelling": YES}, "urgent")


def test_after_urgent_today_only_the_injury_and_ottawa_steps_can_still_matter():
    answers = {"age": 30, "activity": "running", "calf_swelling": YES}
    assert [s.id for s in steps_that_matter(answers, ["about", "urgent"])] == ["about", "urgent", "injury"]
    recent = {**answers, "injury_onset": YES, "injury_recent": YES}
    assert [s.id for s in steps_that_matter(recent, ["about", "urgent", "injury"])] == [
        "about",
        "urgent",
        "injury",
        "ottawa",
    ]


def test_once_clinician_soon_is_fixed_the_pattern_step_is_never_shown():
    answers = {"age": 30, "activity": "running", "catching_giving_way": YES}
    shown = [s.id for s in steps_that_matter(answers, ["about", "urgent", "injury", "warning"])]
    assert "pattern" not in shown


def test_before_anything_is_fixed_every_step_may_matter():
    assert [s.id for s in steps_that_matter({}, [])] == ["about", "urgent", "injury", "warning", "pattern"]
