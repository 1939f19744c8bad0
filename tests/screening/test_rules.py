"""The red-flag screen against shared/domain/screening.md (version 2026.3).

The expected tables below are copied by hand from screening.md, never generated from the module:
if the module and the spec drift apart, these tests must fail. No database: the rules are pure.
"""

from __future__ import annotations

from types import MappingProxyType

import pytest

from screening.rules import (
    ACTIVITIES,
    ANSWER_VALUES,
    DERIVED_REASONS,
    NO,
    OUTCOME_BY_CODE,
    OUTCOMES,
    QUESTIONS,
    QUESTIONS_BY_ID,
    RED_FLAG_OUTCOMES,
    STEPS,
    UNSURE,
    VERSION,
    YES,
    Triage,
    is_asked,
    questions_for_step,
    reason_text,
    steps_for,
    triage,
)
from tests.screening.support import URGENT_EMERGENCY

# (id, step, level, group, condition) in document order, straight from screening.md.
SPEC = [
    ("age", "about", None, None, None),
    ("activity", "about", None, None, None),
    ("deformity", "urgent", "emergency", None, None),
    ("foot_cold_or_numb", "urgent", "emergency", None, None),
    ("compartment_signs", "urgent", "emergency", None, None),
    ("hot_swollen_fever", "urgent", "emergency", None, None),
    ("open_wound", "urgent", "emergency", None, None),
    ("chest_or_breathing", "urgent", "emergency", None, None),
    ("saddle_numbness", "urgent", "emergency", None, None),
    ("fracture_no_injury", "urgent", "emergency", None, None),
    ("calf_swelling", "urgent", "urgent_today", None, None),
    ("locked_knee", "urgent", "urgent_today", None, None),
    ("rapid_swelling", "urgent", "urgent_today", None, None),
    ("cannot_bear_weight", "urgent", "urgent_today", None, None),
    ("hot_swollen_knee", "urgent", "urgent_today", None, None),
    ("blood_thinner_swelling", "urgent", "urgent_today", None, None),
    ("child_limp_hip", "urgent", "urgent_today", None, None),
    ("groin_pain_with_load", "urgent", "urgent_today", None, None),
    ("injury_onset", "injury", "clinician_soon", None, None),
    ("injury_recent", "injury", None, None, "injury_onset"),
    ("blow_inside_knee", "injury", "clinician_soon", None, "injury_onset"),
    ("ottawa_walk", "ottawa", "emergency", None, "injury_recent"),
    ("ottawa_bend", "ottawa", "emergency", None, "injury_recent"),
    ("ottawa_fibula", "ottawa", "emergency", None, "injury_recent"),
    ("ottawa_kneecap", "ottawa", "emergency", None, "injury_recent"),
    ("catching_giving_way", "warning", "clinician_soon", None, None),
    ("night_or_rest_pain", "warning", "clinician_soon", None, None),
    ("weight_loss_cancer", "warning", "clinician_soon", None, None),
    ("pain_not_activity_related", "warning", "clinician_soon", None, None),
    ("bone_spot_pain", "warning", "clinician_soon", None, None),
    ("numbness_shin_foot", "warning", "clinician_soon", None, None),
    ("several_joints", "warning", "clinician_soon", None, None),
    ("recent_knee_surgery", "warning", "clinician_soon", None, None),
    ("no_improvement", "warning", "clinician_soon", None, None),
    ("pain_outside", "pattern", None, "gate", None),
    ("repetitive_onset", "pattern", None, "gate", None),
    ("pain_front", "pattern", None, "against", None),
    ("pain_below_kneecap", "pattern", None, "against", None),
    ("pain_inside", "pattern", None, "against", None),
    ("pain_joint_line", "pattern", None, "against", None),
    ("pain_back_outside", "pattern", None, "against", None),
    ("whole_knee_swelling", "pattern", None, "against", None),
    ("back_pain_radiating", "pattern", None, "against", None),
    ("comes_on_at_distance", "pattern", None, "supporting", None),
    ("worse_downhill", "pattern", None, "supporting", None),
    ("recent_increase", "pattern", None, "supporting", None),
    ("sharp_burning", "pattern", None, "supporting", None),
    ("tender_bump", "pattern", None, "supporting", None),
    ("straight_knee_eases", "pattern", None, "supporting", None),
    ("worse_sitting_bent", "pattern", None, "supporting", None),
]
SPEC_IDS = [row[0] for row in SPEC]
GATES = ["pain_outside", "repetitive_onset"]
AGAINST = [
    "pain_front",
    "pain_below_kneecap",
    "pain_inside",
    "pain_joint_line",
    "pain_back_outside",
    "whole_knee_swelling",
    "back_pain_radiating",
]
SUPPORTING = [
    "comes_on_at_distance",
    "worse_downhill",
    "recent_increase",
    "sharp_burning",
    "tender_bump",
    "straight_knee_eases",
    "worse_sitting_bent",
]
OTTAWA = ["ottawa_walk", "ottawa_bend", "ottawa_fibula", "ottawa_kneecap"]
URGENT_TODAY = [
    "calf_swelling",
    "locked_knee",
    "rapid_swelling",
    "cannot_bear_weight",
    "hot_swollen_knee",
    "blood_thinner_swelling",
    "child_limp_hip",
    "groin_pain_with_load",
]
WARNING = [
    "catching_giving_way",
    "night_or_rest_pain",
    "weight_loss_cancer",
    "pain_not_activity_related",
    "bone_spot_pain",
    "numbness_shin_foot",
    "several_joints",
    "recent_knee_surgery",
    "no_improvement",
]

# A person whose answers fit the IT band pattern: any single change shows up in the outcome.
GATES_MET = {"pain_outside": YES, "repetitive_onset": YES}
TYPICAL = {**GATES_MET, "comes_on_at_distance": YES, "worse_downhill": YES, "recent_increase": YES}
TYPICAL_REASONS = ("pain_outside", "repetitive_onset", "comes_on_at_distance", "worse_downhill", "recent_increase")
RECENT_INJURY = {"injury_onset": YES, "injury_recent": YES}
OLD_INJURY = {"injury_onset": YES, "injury_recent": NO}


def check(answers, outcome, reasons):
    result = triage(answers)
    assert (result.outcome, result.reasons) == (outcome, reasons)


# --- The contract: version, outcomes, steps, questions ------------------------------------


def test_the_version_is_2026_3():
    assert VERSION == "2026.3"


def test_answer_values_are_yes_no_unsure():
    assert (YES, NO, UNSURE) == ("yes", "no", "unsure")
    assert ANSWER_VALUES == ("yes", "no", "unsure")


def test_activities_are_the_five_codes_in_order_with_labels():
    assert [code for code, _label in ACTIVITIES] == ["running", "cycling", "hiking", "gym", "other"]
    assert all(str(label) for _code, label in ACTIVITIES)


def test_outcomes_run_from_most_to_least_urgent():
    assert OUTCOMES == ("emergency", "urgent_today", "clinician_soon", "not_typical", "itbs_likely")
    assert RED_FLAG_OUTCOMES == ("emergency", "urgent_today", "clinician_soon")


@pytest.mark.parametrize("code", OUTCOMES)
def test_each_outcome_has_heading_next_step_and_its_urgency(code):
    outcome = OUTCOME_BY_CODE[code]
    assert outcome.code == code
    assert outcome.urgency == OUTCOMES.index(code)
    assert str(outcome.heading)
    assert str(outcome.next_step)


def test_only_itbs_likely_allows_the_plan():
    assert {code for code, outcome in OUTCOME_BY_CODE.items() if outcome.plan_allowed} == {"itbs_likely"}
    assert set(OUTCOME_BY_CODE) == set(OUTCOMES)


@pytest.mark.parametrize("code", OUTCOMES)
def test_a_triage_allows_the_plan_only_for_itbs_likely(code):
    assert Triage(code, ("x",)).plan_allowed is (code == "itbs_likely")


def test_a_triage_with_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError):
        Triage("probably_fine", ())


def test_the_itbs_headline_never_states_a_diagnosis():
    assert str(OUTCOME_BY_CODE["itbs_likely"].heading).startswith("Your answers fit")
    assert "not a diagnosis" in str(OUTCOME_BY_CODE["itbs_likely"].next_step)


def test_steps_run_in_the_documented_order():
    assert [step.id for step in STEPS] == ["about", "urgent", "injury", "ottawa", "warning", "pattern"]


@pytest.mark.parametrize(
    ("step_id", "title", "condition"),
    [
        ("about", "About you", None),
        ("urgent", "Urgent signs", None),
        ("injury", "How it started", None),
        ("ottawa", "Checks after a recent injury", "injury_recent"),
        ("warning", "Other warning signs", None),
        ("pattern", "Where and when it hurts", None),
    ],
)
def test_each_step_has_its_title_intro_and_condition(step_id, title, condition):
    step = next(step for step in STEPS if step.id == step_id)
    assert str(step.title) == title
    assert str(step.intro)
    assert step.condition == condition


def test_every_question_in_the_spec_exists_in_document_order():
    assert [question.id for question in QUESTIONS] == SPEC_IDS
    assert list(QUESTIONS_BY_ID) == SPEC_IDS


@pytest.mark.parametrize(("question_id", "step", "level", "group", "condition"), SPEC)
def test_each_question_has_the_spec_step_level_group_and_condition(question_id, step, level, group, condition):
    question = QUESTIONS_BY_ID[question_id]
    assert (question.id, question.step, question.level, question.group, question.condition) == (
        question_id,
        step,
        level,
        group,
        condition,
    )


@pytest.mark.parametrize(
    ("question_id", "kind"),
    [("age", "age"), ("activity", "activity"), ("deformity", "yesno"), ("injury_recent", "yesno")],
)
def test_age_and_activity_have_their_own_kinds_and_the_rest_are_yes_no(question_id, kind):
    assert QUESTIONS_BY_ID[question_id].kind == kind
    assert sum(question.kind == "yesno" for question in QUESTIONS) == len(SPEC) - 2


@pytest.mark.parametrize("question_id", SPEC_IDS)
def test_every_question_has_text_a_why_and_a_reason(question_id):
    question = QUESTIONS_BY_ID[question_id]
    assert str(question.text).strip()
    assert str(question.why).strip()
    assert str(question.reason).strip()
    assert reason_text(question_id) == question.reason


@pytest.mark.parametrize("reason_id", [*OTTAWA, "ottawa_age"])
def test_ottawa_reasons_send_people_for_an_x_ray_now(reason_id):
    text = str(reason_text(reason_id))
    assert "broken bone" in text
    assert "X-ray" in text
    assert "now" in text


def test_derived_reasons_are_the_four_documented_ids_with_text():
    assert set(DERIVED_REASONS) == {"ottawa_age", "age_under_16", "child_cannot_bear_weight", "too_few_supporting"}
    assert all(str(reason_text(reason_id)).strip() for reason_id in DERIVED_REASONS)


def test_reason_text_refuses_an_unknown_id():
    with pytest.raises(ValueError):
        reason_text("gut_feeling")


@pytest.mark.parametrize(
    ("step_id", "ids"),
    [
        ("about", ["age", "activity"]),
        ("urgent", URGENT_EMERGENCY + URGENT_TODAY),
        ("injury", ["injury_onset", "injury_recent", "blow_inside_knee"]),
        ("ottawa", OTTAWA),
        ("warning", WARNING),
        ("pattern", GATES + AGAINST + SUPPORTING),
    ],
)
def test_questions_for_step_lists_that_steps_questions_in_order(step_id, ids):
    assert [question.id for question in questions_for_step(step_id)] == ids


def test_questions_for_an_unknown_step_is_refused():
    with pytest.raises(ValueError):
        questions_for_step("lifestyle")


# --- Which steps and questions are shown ---------------------------------------------------

WITHOUT_OTTAWA = ["about", "urgent", "injury", "warning", "pattern"]
WITH_OTTAWA = ["about", "urgent", "injury", "ottawa", "warning", "pattern"]


@pytest.mark.parametrize(
    ("answers", "steps"),
    [
        ({}, WITHOUT_OTTAWA),
        ({"injury_onset": YES}, WITHOUT_OTTAWA),
        (OLD_INJURY, WITHOUT_OTTAWA),
        (RECENT_INJURY, WITH_OTTAWA),
        ({"injury_onset": UNSURE, "injury_recent": UNSURE}, WITH_OTTAWA),
        ({"injury_onset": YES, "injury_recent": UNSURE}, WITH_OTTAWA),
        ({"injury_onset": NO, "injury_recent": YES}, WITHOUT_OTTAWA),
        ({"injury_recent": YES}, WITHOUT_OTTAWA),
    ],
)
def test_the_ottawa_step_is_shown_only_after_a_recent_injury(answers, steps):
    assert [step.id for step in steps_for(answers)] == steps


@pytest.mark.parametrize(
    ("question_id", "answers", "asked"),
    [
        ("age", {}, True),
        ("deformity", {}, True),
        ("injury_onset", {}, True),
        ("pain_outside", {}, True),
        ("injury_recent", {}, False),
        ("injury_recent", {"injury_onset": NO}, False),
        ("injury_recent", {"injury_onset": YES}, True),
        ("blow_inside_knee", {"injury_onset": UNSURE}, True),
        ("blow_inside_knee", {"injury_onset": NO}, False),
        ("ottawa_walk", {"injury_onset": YES}, False),
        ("ottawa_walk", OLD_INJURY, False),
        ("ottawa_walk", RECENT_INJURY, True),
        ("ottawa_kneecap", {"injury_onset": UNSURE, "injury_recent": UNSURE}, True),
        ("ottawa_bend", {"injury_onset": NO, "injury_recent": YES}, False),
        ("ottawa_fibula", {"injury_recent": YES}, False),
    ],
)
def test_is_asked_follows_the_question_and_step_conditions(question_id, answers, asked):
    assert is_asked(question_id, answers) is asked


def test_is_asked_refuses_an_unknown_id():
    with pytest.raises(ValueError):
        is_asked("shoe_size", {})


# --- Every red-flag question triggers its level ---------------------------------------------

# (id, answers that make it asked). The pattern answers are typical, so any change is the flag.
PLAIN_FLAGS = [(qid, "emergency") for qid in URGENT_EMERGENCY] + [(qid, "urgent_today") for qid in URGENT_TODAY]
PLAIN_FLAGS += [(qid, "clinician_soon") for qid in WARNING]


@pytest.mark.parametrize("value", [YES, UNSURE])
@pytest.mark.parametrize(("question_id", "level"), PLAIN_FLAGS)
def test_a_yes_or_not_sure_to_a_red_flag_question_triggers_its_level(question_id, level, value):
    if question_id == "child_limp_hip":
        # Asked only under 16, where age_under_16 (clinician_soon) is always there but outranked.
        check({**TYPICAL, "age": 12, question_id: value}, level, (question_id,))
    else:
        check({**TYPICAL, question_id: value}, level, (question_id,))


@pytest.mark.parametrize("value", [YES, UNSURE])
@pytest.mark.parametrize("question_id", OTTAWA)
def test_a_yes_or_not_sure_to_an_ottawa_question_after_a_recent_injury_is_an_emergency(question_id, value):
    check({**TYPICAL, **RECENT_INJURY, question_id: value}, "emergency", (question_id,))


@pytest.mark.parametrize("value", [YES, UNSURE])
def test_a_yes_or_not_sure_to_an_injury_start_means_clinician_soon(value):
    check({**TYPICAL, "injury_onset": value}, "clinician_soon", ("injury_onset",))


@pytest.mark.parametrize("value", [YES, UNSURE])
def test_a_yes_or_not_sure_to_a_blow_inside_the_knee_means_clinician_soon(value):
    check(
        {**TYPICAL, "injury_onset": YES, "blow_inside_knee": value},
        "clinician_soon",
        ("injury_onset", "blow_inside_knee"),
    )


@pytest.mark.parametrize("value", [YES, UNSURE])
def test_a_recent_injury_alone_below_55_still_means_clinician_soon(value):
    check({**TYPICAL, "injury_onset": YES, "injury_recent": value, "age": 40}, "clinician_soon", ("injury_onset",))


@pytest.mark.parametrize("question_id", [qid for qid in SPEC_IDS[2:] if qid not in TYPICAL])
def test_a_no_to_any_other_yes_no_question_changes_nothing(question_id):
    check({**TYPICAL, question_id: NO}, "itbs_likely", TYPICAL_REASONS)


# --- Pattern: "not sure" counts as no -----------------------------------------------------


@pytest.mark.parametrize("gate", GATES)
def test_a_not_sure_gate_is_not_a_yes(gate):
    check({**TYPICAL, gate: UNSURE}, "not_typical", (gate,))


@pytest.mark.parametrize("gate", GATES)
@pytest.mark.parametrize("value", [NO, None])
def test_a_missed_gate_means_not_typical(gate, value):
    answers = {**TYPICAL, gate: value}
    if value is None:
        del answers[gate]
    check(answers, "not_typical", (gate,))


@pytest.mark.parametrize("against", AGAINST)
def test_a_yes_to_an_against_question_means_not_typical(against):
    check({**TYPICAL, against: YES}, "not_typical", (against,))


@pytest.mark.parametrize("against", AGAINST)
def test_a_not_sure_against_question_does_not_count(against):
    check({**TYPICAL, against: UNSURE}, "itbs_likely", TYPICAL_REASONS)


@pytest.mark.parametrize("supporting", SUPPORTING[3:])
def test_a_not_sure_supporting_answer_does_not_count(supporting):
    # 2026.3: two supporting answers are enough, so one yes and one not sure stay below.
    answers = {**GATES_MET, "comes_on_at_distance": YES, supporting: UNSURE}
    check(answers, "not_typical", ("comes_on_at_distance", "too_few_supporting"))


# --- Routing, first match wins -------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "outcome", "reasons"),
    [
        pytest.param({}, "not_typical", ("pain_outside", "repetitive_onset"), id="nothing-answered"),
        pytest.param(
            {**TYPICAL, "deformity": YES, "calf_swelling": YES, "injury_onset": YES, "pain_front": YES},
            "emergency",
            ("deformity",),
            id="1-emergency-beats-everything-after-it",
        ),
        pytest.param(
            {**TYPICAL, "locked_knee": UNSURE, "age": 12, "no_improvement": YES},
            "urgent_today",
            ("locked_knee",),
            id="2-urgent-today-beats-clinician-soon",
        ),
        pytest.param(
            {"no_improvement": YES, "pain_front": YES},
            "clinician_soon",
            ("no_improvement",),
            id="3-clinician-soon-beats-the-pattern",
        ),
        pytest.param(
            {"pain_front": YES, "tender_bump": YES},
            "not_typical",
            ("pain_outside", "repetitive_onset"),
            id="4-missing-gates-come-before-against-answers",
        ),
        pytest.param(
            {**TYPICAL, "pain_inside": YES},
            "not_typical",
            ("pain_inside",),
            id="5-an-against-answer-beats-supporting-answers",
        ),
        pytest.param({**TYPICAL}, "itbs_likely", TYPICAL_REASONS, id="6-three-supporting"),
        pytest.param(
            {**GATES_MET, "tender_bump": YES, "recent_increase": YES},
            "itbs_likely",
            (*GATES, "recent_increase", "tender_bump"),
            id="6-two-supporting-2026.3",
        ),
        pytest.param(
            {**GATES_MET, **dict.fromkeys(SUPPORTING, YES)},
            "itbs_likely",
            (*GATES, *SUPPORTING),
            id="6-all-supporting",
        ),
        pytest.param(
            {**GATES_MET, "tender_bump": YES},
            "not_typical",
            ("tender_bump", "too_few_supporting"),
            id="6-below-two-supporting",
        ),
    ],
)
def test_routing_applies_the_rules_in_order(answers, outcome, reasons):
    check(answers, outcome, reasons)


@pytest.mark.parametrize(
    ("supporting", "outcome", "reasons"),
    [
        ([], "not_typical", ("too_few_supporting",)),
        (["worse_sitting_bent"], "not_typical", ("worse_sitting_bent", "too_few_supporting")),
        (
            # 2026.3: was not_typical (3 were needed); 2 are enough now.
            ["straight_knee_eases", "worse_downhill"],
            "itbs_likely",
            ("pain_outside", "repetitive_onset", "worse_downhill", "straight_knee_eases"),
        ),
        (
            ["worse_sitting_bent", "sharp_burning", "worse_downhill"],
            "itbs_likely",
            ("pain_outside", "repetitive_onset", "worse_downhill", "sharp_burning", "worse_sitting_bent"),
        ),
    ],
)
def test_itbs_likely_needs_at_least_two_supporting_yes_answers(supporting, outcome, reasons):
    check({**GATES_MET, **dict.fromkeys(supporting, YES)}, outcome, reasons)


# --- Reasons: every id at the winning level, in question order -----------------------------


def test_emergency_reasons_list_urgent_then_ottawa_ids_then_ottawa_age_in_question_order():
    answers = {
        "calf_swelling": YES,  # urgent_today: lower level, not a reason
        "ottawa_kneecap": YES,
        "open_wound": UNSURE,
        "ottawa_walk": YES,
        "deformity": YES,
        "no_improvement": YES,
        "injury_recent": UNSURE,
        "injury_onset": YES,
        "age": 70,
    }
    check(answers, "emergency", ("deformity", "open_wound", "ottawa_walk", "ottawa_kneecap", "ottawa_age"))


def test_urgent_today_reasons_list_every_urgent_today_id_in_question_order():
    answers = {"cannot_bear_weight": UNSURE, "calf_swelling": YES, "rapid_swelling": YES, "injury_onset": YES}
    check(answers, "urgent_today", ("calf_swelling", "rapid_swelling", "cannot_bear_weight"))


def test_clinician_soon_reasons_put_age_first_then_injury_then_warning_ids():
    answers = {
        "no_improvement": YES,
        "catching_giving_way": UNSURE,
        "blow_inside_knee": YES,
        "injury_onset": UNSURE,
        "injury_recent": NO,
        "age": 12,
        "pain_front": YES,
    }
    check(
        answers,
        "clinician_soon",
        ("age_under_16", "injury_onset", "blow_inside_knee", "catching_giving_way", "no_improvement"),
    )


def test_not_typical_reasons_list_every_against_yes_in_question_order():
    answers = {**TYPICAL, "back_pain_radiating": YES, "pain_front": YES, "pain_joint_line": YES, "pain_inside": NO}
    check(answers, "not_typical", ("pain_front", "pain_joint_line", "back_pain_radiating"))


def test_the_order_answers_arrive_in_does_not_change_the_reasons():
    answers = {"worse_sitting_bent": YES, "tender_bump": YES, "comes_on_at_distance": YES, **GATES_MET}
    check(
        answers,
        "itbs_likely",
        ("pain_outside", "repetitive_onset", "comes_on_at_distance", "tender_bump", "worse_sitting_bent"),
    )


# --- Unasked questions are ignored ----------------------------------------------------------


@pytest.mark.parametrize("onset", [NO, None])
@pytest.mark.parametrize("question_id", ["injury_recent", "blow_inside_knee"])
def test_injury_follow_ups_are_ignored_without_an_injury(question_id, onset):
    answers = {**TYPICAL, question_id: YES}
    if onset is not None:
        answers["injury_onset"] = onset
    check(answers, "itbs_likely", TYPICAL_REASONS)


@pytest.mark.parametrize("question_id", OTTAWA)
def test_ottawa_answers_are_ignored_when_the_injury_was_not_recent(question_id):
    check({**TYPICAL, **OLD_INJURY, question_id: YES}, "clinician_soon", ("injury_onset",))


@pytest.mark.parametrize("question_id", OTTAWA)
def test_ottawa_answers_are_ignored_when_there_was_no_injury_at_all(question_id):
    answers = {**TYPICAL, "injury_onset": NO, "injury_recent": YES, question_id: YES, "age": 80}
    check(answers, "itbs_likely", TYPICAL_REASONS)


# --- Age limits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "outcome", "reasons"),
    [
        (1, "clinician_soon", ("age_under_16",)),
        (15, "clinician_soon", ("age_under_16",)),
        (16, "itbs_likely", TYPICAL_REASONS),
        (54, "itbs_likely", TYPICAL_REASONS),
        (55, "itbs_likely", TYPICAL_REASONS),
        (120, "itbs_likely", TYPICAL_REASONS),
        (None, "itbs_likely", TYPICAL_REASONS),
    ],
)
def test_under_16_needs_a_clinician_and_age_alone_decides_nothing_else(age, outcome, reasons):
    answers = {**TYPICAL} if age is None else {**TYPICAL, "age": age}
    check(answers, outcome, reasons)


@pytest.mark.parametrize(
    ("age", "injury", "outcome", "reasons"),
    [
        (54, RECENT_INJURY, "clinician_soon", ("injury_onset",)),
        (55, RECENT_INJURY, "emergency", ("ottawa_age",)),
        (55, {"injury_onset": UNSURE, "injury_recent": UNSURE}, "emergency", ("ottawa_age",)),
        (90, RECENT_INJURY, "emergency", ("ottawa_age",)),
        (55, OLD_INJURY, "clinician_soon", ("injury_onset",)),
        (55, {"injury_onset": YES}, "clinician_soon", ("injury_onset",)),
        (55, {"injury_onset": NO, "injury_recent": YES}, "itbs_likely", TYPICAL_REASONS),
        (None, RECENT_INJURY, "clinician_soon", ("injury_onset",)),
    ],
)
def test_55_and_over_with_a_recent_injury_is_an_emergency_for_an_x_ray(age, injury, outcome, reasons):
    answers = {**TYPICAL, **injury} if age is None else {**TYPICAL, **injury, "age": age}
    check(answers, outcome, reasons)


def test_a_child_with_a_recent_injury_and_a_positive_ottawa_check_is_an_emergency():
    check({**RECENT_INJURY, "age": 10, "ottawa_bend": YES}, "emergency", ("ottawa_bend",))


# --- 2026.2: children, hot knees, blood thinners, thigh-bone stress fractures --------------


@pytest.mark.parametrize("value", [YES, UNSURE])
@pytest.mark.parametrize(
    ("age", "outcome", "reasons"),
    [
        (12, "emergency", ("child_cannot_bear_weight",)),
        (15, "emergency", ("child_cannot_bear_weight",)),
        (16, "urgent_today", ("cannot_bear_weight",)),
        (40, "urgent_today", ("cannot_bear_weight",)),
        (None, "urgent_today", ("cannot_bear_weight",)),
    ],
)
def test_a_child_who_cannot_bear_weight_is_an_emergency(value, age, outcome, reasons):
    answers = {**TYPICAL, "cannot_bear_weight": value}
    if age is not None:
        answers["age"] = age
    check(answers, outcome, reasons)


def test_child_cannot_bear_weight_comes_after_ottawa_age_in_the_reasons():
    # ottawa_age needs 55+, child_cannot_bear_weight under 16: never both; so check after Ottawa ids.
    check(
        {**RECENT_INJURY, "age": 10, "ottawa_kneecap": YES, "cannot_bear_weight": YES, "deformity": YES},
        "emergency",
        ("deformity", "ottawa_kneecap", "child_cannot_bear_weight"),
    )


@pytest.mark.parametrize("value", [YES, UNSURE])
@pytest.mark.parametrize("age", [1, 10, 15])
def test_a_limping_child_or_one_with_hip_or_thigh_pain_needs_advice_today(value, age):
    check({**TYPICAL, "age": age, "child_limp_hip": value}, "urgent_today", ("child_limp_hip",))


@pytest.mark.parametrize("age", [16, 40, None])
def test_the_child_hip_question_is_not_asked_from_16_or_without_an_age(age):
    answers = {**TYPICAL, "child_limp_hip": YES}
    if age is not None:
        answers["age"] = age
    assert not is_asked("child_limp_hip", answers)
    check(answers, "itbs_likely", TYPICAL_REASONS)


def test_the_child_hip_question_is_asked_under_16():
    assert is_asked("child_limp_hip", {"age": 15})
    assert not is_asked("child_limp_hip", {"age": 16})


@pytest.mark.parametrize("value", [YES, UNSURE])
@pytest.mark.parametrize("question_id", ["hot_swollen_knee", "blood_thinner_swelling"])
def test_a_hot_swollen_knee_or_swelling_on_a_blood_thinner_needs_advice_today(question_id, value):
    check({**TYPICAL, question_id: value}, "urgent_today", (question_id,))


def test_a_hot_swollen_knee_with_a_fever_is_still_an_emergency():
    check({**TYPICAL, "hot_swollen_fever": YES, "hot_swollen_knee": YES}, "emergency", ("hot_swollen_fever",))


def test_walking_or_groin_pain_is_retired_and_refused_as_a_2026_3_answer():
    # 2026.3: its walking half caught hikers with IT band pain; the groin half is now
    # groin_pain_with_load (urgent_today). Stored 2026.2 screens keep it (see test_versions.py).
    assert "walking_or_groin_pain" not in QUESTIONS_BY_ID
    with pytest.raises(ValueError):
        triage({**TYPICAL, "walking_or_groin_pain": YES})


def test_the_bone_spot_question_asks_either_sign_with_or():
    text = str(QUESTIONS_BY_ID["bone_spot_pain"].text)
    assert " or does hopping" in text
    assert " and does hopping" not in text


@pytest.mark.parametrize("reason_id", sorted({*SPEC_IDS[2:], "age_under_16", "ottawa_age", "too_few_supporting"}))
def test_every_reason_id_has_its_text(reason_id):
    assert str(reason_text(reason_id)).strip()


# --- Activity -----------------------------------------------------------------------------


@pytest.mark.parametrize("activity", ["running", "cycling", "hiking", "gym", "other"])
def test_every_activity_is_accepted_and_changes_no_outcome(activity):
    check({**TYPICAL, "activity": activity}, "itbs_likely", TYPICAL_REASONS)


# --- Invalid input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param({"shoe_size": YES}, id="unknown-id"),
        pytest.param({"ottawa_age": YES}, id="derived-id-is-not-an-answer"),
        pytest.param({"too_few_supporting": YES}, id="derived-reason-is-not-an-answer"),
        pytest.param({"deformity": "maybe"}, id="yes-no-other-word"),
        pytest.param({"deformity": "YES"}, id="yes-no-wrong-case"),
        pytest.param({"deformity": ""}, id="yes-no-empty"),
        pytest.param({"deformity": None}, id="yes-no-none"),
        pytest.param({"deformity": True}, id="yes-no-bool"),
        pytest.param({"deformity": 1}, id="yes-no-int"),
        pytest.param({"pain_outside": "running"}, id="pattern-activity-code"),
        pytest.param({"injury_recent": "maybe"}, id="bad-value-even-when-not-asked"),
        pytest.param({"age": 0}, id="age-0"),
        pytest.param({"age": 121}, id="age-121"),
        pytest.param({"age": -5}, id="age-negative"),
        pytest.param({"age": True}, id="age-bool"),
        pytest.param({"age": "34"}, id="age-digit-string"),
        pytest.param({"age": 34.0}, id="age-float"),
        pytest.param({"age": None}, id="age-none"),
        pytest.param({"age": UNSURE}, id="age-unsure"),
        pytest.param({"activity": "swimming"}, id="activity-unknown"),
        pytest.param({"activity": "Running"}, id="activity-wrong-case"),
        pytest.param({"activity": YES}, id="activity-yes"),
        pytest.param({"activity": 1}, id="activity-int"),
    ],
)
def test_unknown_ids_and_invalid_values_are_refused(answers):
    with pytest.raises(ValueError):
        triage({**TYPICAL, **answers})


@pytest.mark.parametrize("age", [1, 120])
def test_the_age_limits_1_and_120_are_accepted(age):
    assert triage({"age": age}).outcome in OUTCOMES


def test_any_mapping_is_accepted_and_left_unchanged():
    answers = {**TYPICAL, "age": 30}
    result = triage(MappingProxyType(answers))
    assert result == Triage("itbs_likely", TYPICAL_REASONS)
    assert answers == {**TYPICAL, "age": 30}


# --- 2026.3: five dangers caught, fewer false alarms -----------------------------------------
# The stories from screening.md's "What changed in 2026.3", each as answers a person would give.


def test_exertional_compartment_syndrome_after_a_march_without_injury_is_an_emergency():
    check({**TYPICAL, "injury_onset": NO, "compartment_signs": YES}, "emergency", ("compartment_signs",))
    assert "a long, hard effort" in str(QUESTIONS_BY_ID["compartment_signs"].text)
    assert str(QUESTIONS_BY_ID["compartment_signs"].text).startswith("After an injury or a long, hard effort")


def test_a_leg_that_gave_way_or_cracked_with_little_injury_is_an_emergency():
    check({**TYPICAL, "fracture_no_injury": YES}, "emergency", ("fracture_no_injury",))
    check({**TYPICAL, "fracture_no_injury": UNSURE}, "emergency", ("fracture_no_injury",))
    text = str(QUESTIONS_BY_ID["fracture_no_injury"].text)
    assert "little or no injury" in text and "can't put weight on it" in text


@pytest.mark.parametrize("question_id", ["hot_swollen_knee", "hot_swollen_fever"])
def test_a_warm_swollen_knee_counts_whether_or_not_it_is_red(question_id):
    text = str(QUESTIONS_BY_ID[question_id].text)
    assert "warm or hot and swollen" in text
    assert "red, and" not in text and "hot, red and swollen" not in text


def test_septic_arthritis_on_steroids_warm_and_swollen_but_not_red():
    # No fever, feels well: same day; feeling unwell as well: an emergency.
    check({**TYPICAL, "hot_swollen_knee": YES}, "urgent_today", ("hot_swollen_knee",))
    check({**TYPICAL, "hot_swollen_knee": YES, "hot_swollen_fever": YES}, "emergency", ("hot_swollen_fever",))
    assert "steroids" in str(QUESTIONS_BY_ID["hot_swollen_knee"].why)


def test_a_femoral_neck_stress_fracture_groin_ache_with_training_needs_advice_today():
    # 2026.2 sent this one level too low (walking_or_groin_pain was clinician_soon).
    check({**TYPICAL, "groin_pain_with_load": YES}, "urgent_today", ("groin_pain_with_load",))
    text = str(QUESTIONS_BY_ID["groin_pain_with_load"].text)
    assert "groin" in text and "hopping" in text
    assert "(Pain running up the outside of the thigh doesn't count.)" in text
    assert "run" in str(QUESTIONS_BY_ID["groin_pain_with_load"].reason)  # no running until checked


def test_a_13_year_old_whose_foot_turns_out_needs_a_same_day_hip_check():
    check({**TYPICAL, "age": 13, "child_limp_hip": YES}, "urgent_today", ("child_limp_hip",))
    assert "foot started to turn outwards" in str(QUESTIONS_BY_ID["child_limp_hip"].text)


def test_a_growing_lump_or_cancer_ever_needs_a_clinician():
    check({**TYPICAL, "weight_loss_cancer": YES}, "clinician_soon", ("weight_loss_cancer",))
    text = str(QUESTIONS_BY_ID["weight_loss_cancer"].text)
    assert "ever had cancer (even if it was treated or cured)" in text
    assert "lump near the knee that is growing or as big as a golf ball" in text


@pytest.mark.parametrize(
    ("question_id", "phrase"),
    [
        ("rapid_swelling", "badly swollen now"),
        ("rapid_swelling", "in the last 7 days"),
        ("cannot_bear_weight", "even when you keep still"),
        ("catching_giving_way", "snapping or flicking feeling over the bony bump"),
        ("catching_giving_way", "doesn't count"),
        ("night_or_rest_pain", "whichever way you lie"),
        ("night_or_rest_pain", "An ache in the evening after exercise, or only when lying on that side, doesn't count"),
        ("bone_spot_pain", "a sore spot on the shin bone below the knee does count"),
        ("bone_spot_pain", "Pain only at the bony bump just above the outside of the knee doesn't count"),
        ("numbness_shin_foot", "whatever you think causes it"),
    ],
)
def test_the_2026_3_wording_reads_the_way_people_read_it(question_id, phrase):
    assert phrase in str(QUESTIONS_BY_ID[question_id].text)


def test_the_knee_replacement_is_asked_first():
    text = str(QUESTIONS_BY_ID["recent_knee_surgery"].text)
    assert text.startswith("Do you have a knee replacement or metalwork in this knee")
    assert text.index("replacement") < text.index("last 6 months")


def test_the_it_band_snap_and_an_evening_ache_no_longer_deny_a_typical_runner_the_plan():
    # A runner who answers no to these now that their own snap and evening ache don't count,
    # with the triad of the right spot, a recent increase and no injury: the plan.
    answers = {
        **GATES_MET,
        "injury_onset": NO,
        "catching_giving_way": NO,
        "night_or_rest_pain": NO,
        "tender_bump": YES,
        "recent_increase": YES,
    }
    check(answers, "itbs_likely", ("pain_outside", "repetitive_onset", "recent_increase", "tender_bump"))


@pytest.mark.parametrize(
    "question_id",
    [
        "fracture_no_injury",
        "groin_pain_with_load",
        "compartment_signs",
        "hot_swollen_fever",
        "hot_swollen_knee",
        "rapid_swelling",
        "cannot_bear_weight",
        "child_limp_hip",
        "catching_giving_way",
        "night_or_rest_pain",
        "weight_loss_cancer",
        "bone_spot_pain",
        "numbness_shin_foot",
        "recent_knee_surgery",
    ],
)
def test_every_new_and_reworded_question_has_a_why_and_sources(question_id):
    from screening.sources import SOURCES

    question = QUESTIONS_BY_ID[question_id]
    assert str(question.why).strip() and len(str(question.why).split()) <= 30
    sources = SOURCES[question_id]
    assert sources and all(source.citation and source.app_may_say for source in sources)


def test_the_child_who_cannot_bear_weight_reason_says_even_when_keeping_still():
    assert "even when you keep still" in str(reason_text("child_cannot_bear_weight"))
    assert (
        str(reason_text("too_few_supporting"))
        == "Only one or none of your answers matched the usual pattern of IT band pain."
    )


# --- Why we ask never says which answer gets the plan (2026.3: a scan of every hint) --------

import re  # noqa: E402

ANSWER_WORDS = re.compile(r"\b(yes|no|not sure|unsure|answer\w*)\b", re.I)
PLAN_WORDS = re.compile(r"\b(plan|30-day|self-guided|programme|program|IT band|ITB|iliotibial|typical)\b", re.I)


@pytest.mark.parametrize("question_id", SPEC_IDS)
def test_no_why_we_ask_puts_answer_words_next_to_plan_words(question_id):
    why = str(QUESTIONS_BY_ID[question_id].why)
    words = why.split()
    for i in range(len(words)):
        window = " ".join(words[max(0, i - 8) : i + 9])
        assert not (ANSWER_WORDS.search(words[i]) and PLAN_WORDS.search(window)), why


@pytest.mark.parametrize("question_id", SPEC_IDS)
def test_no_why_we_ask_names_the_plan_or_the_it_band_at_all(question_id):
    # Stricter than the scan: a hint that names the IT band ("IT band pain is felt on the outside")
    # tells which answer leads to the plan without any answer word.
    assert not PLAN_WORDS.search(str(QUESTIONS_BY_ID[question_id].why)), question_id
