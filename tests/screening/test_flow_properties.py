"""The flow: what `flow.submit` and `flow.Flow` let a person skip never changes
`triage(...).outcome` (screening.md, "Stopping as soon as the outcome is known", 2026.3's ranking).

`walk` plays the screen as the views do: each page the flow shows is answered; the person
leaves blank whatever they like (`blanks`); the form then insists on the questions
`flow.submit` names, so those are filled from the person's full answers; blanks it defers come
back on the check pages; a page that cannot matter is never shown. The outcome of what was
stored must equal the outcome of the full answers, the step indicator never goes back or grows,
and no page holds more than 6 questions.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening import flow
from screening.rules import (
    ACTIVITY_CODES,
    ANSWER_VALUES,
    NO,
    QUESTIONS,
    STEPS,
    UNSURE,
    YES,
    fixed_rank,
    is_asked,
    open_among,
    open_questions,
    questions_for_step,
    steps_that_matter,
    triage,
)
from tests.screening.support import URGENT_EMERGENCY

YES_NO = [question.id for question in QUESTIONS if question.kind == "yesno"]
PATTERN = [question.id for question in QUESTIONS if question.step == "pattern"]


def walk(full: dict, blanks: set[str]) -> tuple[dict, list[str], list[tuple[int, int]], set[str]]:
    """What the flow stores for a person whose true answers are `full`: (stored answers, pages
    shown, (number, total) of each page, the shown questions left blank)."""
    answers: dict = {}
    done: list[str] = []
    deferred: list[str] = []
    progress: list[tuple[int, int]] = []
    left_blank: set[str] = set()
    page = flow.Flow.build(answers).first_open
    while page is not None:
        current = flow.Flow.build(answers, done, deferred, current=page.id)
        assert current.current == page, (page.id, [p.id for p in current.pages])
        assert len(page.questions) <= flow.MAX_QUESTIONS
        progress.append((current.number, current.total))
        earlier = {k: v for k, v in answers.items() if k not in page.question_ids}
        given = {qid: full[qid] for qid in page.question_ids if qid not in blanks}
        while True:  # the form sends back what must still be answered; the person answers it
            merged = {**earlier, **given}
            submission = flow.submit(page, merged)
            if not submission.required:
                break
            given.update({qid: full[qid] for qid in submission.required})
        page_answers = {q: merged[q] for q in page.question_ids if q in merged and is_asked(q, merged)}
        answers = {**earlier, **page_answers}
        left_blank |= {q.id for q in page.questions if q.id not in merged and is_asked(q.id, answers)}
        left_blank -= set(answers)
        done = [p for p in done if p != page.id] + [page.id]
        deferred = flow.deferred_after(page, deferred, submission)
        assert submission.rank == fixed_rank(answers)  # so the view may reuse it (one triage)
        page = flow.Flow.build(answers, done, deferred, rank=submission.rank).after(page)
    stored = {qid: value for qid, value in answers.items() if is_asked(qid, answers)}
    return stored, done, progress, left_blank


def full_outcome(full: dict) -> str:
    return triage({qid: value for qid, value in full.items() if is_asked(qid, full)}).outcome


def check(full: dict, blanks: set[str]) -> None:
    stored, _done, progress, left_blank = walk(full, blanks)
    outcome = triage(stored).outcome
    assert outcome == full_outcome(full), (full, blanks, stored)
    numbers = [number for number, _total in progress]
    totals = [total for _number, total in progress]
    assert numbers == list(range(1, len(progress) + 1)), progress  # never goes back, never skips
    assert all(a >= b for a, b in itertools.pairwise(totals)), progress  # never grows
    if left_blank & set(PATTERN):
        assert outcome != "itbs_likely", (full, blanks, stored)


person = st.fixed_dictionaries(
    {
        "age": st.one_of(st.integers(1, 20), st.integers(50, 60), st.integers(1, 120)),
        "activity": st.sampled_from(ACTIVITY_CODES),
        **{qid: st.sampled_from((NO, NO, NO, NO, YES, UNSURE)) for qid in YES_NO},
    }
)
#: A person whose answers are mostly the IT band pattern, so the plan comes up often.
typical = st.fixed_dictionaries(
    {
        "age": st.integers(16, 54),
        "activity": st.sampled_from(ACTIVITY_CODES),
        **{q.id: st.sampled_from((NO,) * 30 + (YES, UNSURE)) for q in QUESTIONS if q.kind == "yesno"},
        "injury_onset": st.sampled_from((NO,) * 10 + (YES,)),
        **{q.id: st.sampled_from((YES,) * 8 + (NO, UNSURE)) for q in QUESTIONS if q.group == "gate"},
        **{q.id: st.sampled_from((NO,) * 12 + (YES, UNSURE)) for q in QUESTIONS if q.group == "against"},
        **{q.id: st.sampled_from((YES, NO, NO, UNSURE)) for q in QUESTIONS if q.group == "supporting"},
    }
)


@settings(max_examples=300, deadline=None)
@given(full=person, blanks=st.sets(st.sampled_from(YES_NO)), everything_blank=st.booleans())
def test_what_the_flow_lets_you_skip_never_changes_the_outcome(full, blanks, everything_blank):
    check(full, set(YES_NO) if everything_blank else blanks)


@settings(max_examples=300, deadline=None)
@given(full=typical, blanks=st.sets(st.sampled_from(PATTERN), min_size=1))
def test_a_typical_person_skipping_pattern_questions_never_gets_a_different_outcome(full, blanks):
    check(full, blanks)


def _combos(ids: list[str], max_positive: int = 2):
    """Every answer set of these questions with at most `max_positive` yes/not-sure answers."""
    yield dict.fromkeys(ids, NO)
    for k in range(1, max_positive + 1):
        for chosen in itertools.combinations(ids, k):
            for values in itertools.product((YES, UNSURE), repeat=k):
                yield {**dict.fromkeys(ids, NO), **dict(zip(chosen, values, strict=True))}


@pytest.mark.parametrize("page_id", [spec.id for spec in flow.PAGE_SPECS if spec.id != "about"])
@pytest.mark.parametrize("age", [10, 30, 60])
def test_a_sweep_of_each_pages_answers_with_the_rest_random(page_id, age):
    rng = random.Random(f"{page_id}-{age}")
    ids = list(flow.SPECS_BY_ID[page_id].question_ids)
    for combo in _combos(ids, 3 if len(ids) <= 4 else 2):
        full = {"age": age, "activity": "running", **{qid: rng.choice(ANSWER_VALUES) for qid in YES_NO}, **combo}
        check(full, {qid for qid in YES_NO if rng.random() < 0.5})
        check(full, set(YES_NO))  # everything left blank: only the required is answered


# --- 2026.3: the plan only on a complete pattern step --------------------------------------


def _pattern_answers():
    """Every pattern answer set with up to 2 gates/against answers off the typical path and
    every supporting count, each with every way of leaving one or two questions blank."""
    gates = ["pain_outside", "repetitive_onset"]
    against = [q.id for q in QUESTIONS if q.group == "against"]
    supporting = [q.id for q in QUESTIONS if q.group == "supporting"]
    for gate_values in itertools.product((YES, NO, UNSURE), repeat=2):
        for against_yes in [(), *((qid,) for qid in against)]:
            for n_supporting in range(len(supporting) + 1):
                base = {
                    **dict(zip(gates, gate_values, strict=True)),
                    **{qid: (YES if qid in against_yes else NO) for qid in against},
                    **{qid: (YES if i < n_supporting else NO) for i, qid in enumerate(supporting)},
                }
                for k in (1, 2):
                    for blank in itertools.combinations(PATTERN, k):
                        yield {qid: value for qid, value in base.items() if qid not in blank}, blank


def test_no_answer_set_with_a_blank_shown_pattern_question_reaches_itbs_likely():
    calm = {"age": 30, "activity": "running", "injury_onset": NO}
    calm |= {q.id: NO for q in QUESTIONS if q.level and q.step in ("urgent", "warning")}
    calm.pop("child_limp_hip")
    seen_accepted = 0
    for pattern, blank in _pattern_answers():
        answers = {**calm, **pattern}
        # What the pattern pages would let stay blank (the flow asks each page's own questions).
        accepted = not open_among(blank, answers)
        if accepted:
            seen_accepted += 1
            assert triage(answers).outcome != "itbs_likely", (pattern, blank)
        else:  # a blank that must be answered: the plan is still possible, so nothing is fixed
            assert fixed_rank(answers) == 4, (pattern, blank)
    assert seen_accepted > 1000  # the accepted blanks were really exercised


def test_once_a_gate_is_answered_no_the_rest_of_the_pattern_may_stay_blank():
    answers = {"age": 30, "pain_outside": NO}
    assert open_among(PATTERN, answers) == ()
    answers = {"age": 30, "pain_outside": YES, "pain_front": YES}
    assert open_among(PATTERN, answers) == ()
    answers = {"age": 30, "pain_outside": YES}
    assert set(open_among(PATTERN, answers)) == set(PATTERN) - {"pain_outside"}


def test_too_few_supporting_answers_left_fixes_not_typical():
    supporting = [q.id for q in QUESTIONS if q.group == "supporting"]
    answers = {"pain_outside": YES, "repetitive_onset": YES, **dict.fromkeys(supporting[:-1], NO)}
    assert fixed_rank(answers) == 3
    assert open_among([supporting[-1]], answers) == ()  # one yes could not reach two


# --- the step-level functions the flow is built from ------------------------------------------


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
    assert fixed_rank({}) == 4


def test_every_step_has_its_questions_on_pages():
    for step in STEPS:
        on_pages = [qid for spec in flow.PAGE_SPECS if spec.step == step.id for qid in spec.question_ids]
        assert sorted(on_pages) == sorted(q.id for q in questions_for_step(step.id)), step.id


# --- the flow value itself ----------------------------------------------------------------------


def test_the_flow_of_a_new_screen():
    start = flow.Flow.build({}, current="about")
    assert [p.id for p in start.pages] == [
        "about",
        "urgent",
        "urgent-body",
        "urgent-joint",
        "injury",
        "warning",
        "warning-health",
        "pattern",
        "pattern-activity",
        "pattern-feel",
    ]
    assert (start.number, start.total) == (1, 11)  # the Ottawa page is still possible
    assert start.previous is None
    assert start.next.id == "urgent"
    assert start.required({}) == ("age", "activity")
    assert start.first_open.id == "about"


def test_the_flow_after_urgent_today_on_the_first_urgent_page():
    answers = {"age": 30, "activity": "running", "cannot_bear_weight": "yes"}
    answers |= {"foot_cold_or_numb": "no", "compartment_signs": "no", "fracture_no_injury": "no"}
    deferred = ["deformity", "open_wound"]  # left blank on the first urgent page
    current = flow.Flow.build(answers, ["about", "urgent"], deferred, current="check")
    assert [p.id for p in current.pages] == ["about", "urgent", "check", "injury"]
    assert [q.id for q in current.current.questions] == [
        "deformity",
        "open_wound",
        "hot_swollen_fever",
        "chest_or_breathing",
        "saddle_numbness",
    ]
    assert current.current.heading == "Five more questions to rule out an emergency"
    assert (current.number, current.total) == (3, 5)
    assert current.previous.id == "urgent" and current.next.id == "injury"
    assert current.required(answers) == current.current.question_ids
    # Once urgent_today no longer holds (an edit), the deferred blanks reopen the first urgent page.
    calmer = {**answers, "cannot_bear_weight": "no"}
    edited = flow.Flow.build(calmer, ["about", "urgent"], deferred)
    assert edited.first_open.id == "urgent"
    assert "check" not in [p.id for p in edited.pages]
