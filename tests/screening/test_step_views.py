"""The knee check's step pages, through the test client (screening.md, "Steps" and "Browser contract").

The routing itself (which outcome, which reasons) is unit-tested in test_rules*.py; here the
pages are: what each step shows, what it accepts, where it sends you next, and what it refuses.
`take_screen` and the answer sets below are shared with test_result_views.py and test_storage.py.
"""

from __future__ import annotations

import re

import pytest

from screening import flow, rules
from screening.models import Screening
from tests.factories import ITBS_ANSWERS
from tests.screening.support import (
    AGE_RANGE,
    PAGE_IDS,
    PLEASE_ANSWER,
    RECENT_INJURY_ANSWERS,
    RESULT_PREFIX,
    START,
    STEP_IDS,
    URGENT_IDS,
    URGENT_PAGES,
    answers_for,
    elements,
    errors_in,
    fieldset_of,
    html_of,
    radios,
    step_url,
    stored,
    take_screen,
)

# --- the first page ---------------------------------------------------------------------------

#: Pages of a screen without answers: about, 3 urgent, injury, 2 warning, 3 pattern = 10, and
#: the Ottawa page is counted while it is still possible, so the total never grows.
FIRST_TOTAL = 11


def test_the_screen_starts_at_step_1_of_11_with_age_as_a_number_and_activity_as_radios(client, db):
    response = client.get(START)
    assert response.status_code == 200
    html = html_of(response)
    assert f"Step 1 of {FIRST_TOTAL}" in html
    assert re.search(r'<h1 id="step-heading"[^>]*>About you</h1>', html)
    forms = elements(html, "form")
    assert any(f.get("method") == "post" and f.get("action") == START for f in forms)
    (age,) = [attrs for attrs in elements(html, "input") if attrs.get("name") == "age"]
    assert age["type"] == "number"
    assert list(radios(html, "activity")) == ["running", "cycling", "hiking", "gym", "other"]
    assert html.count("<summary>Why we ask</summary>") == 2


def test_the_first_step_accepts_a_post_and_sends_you_to_the_urgent_signs(client, db):
    response = client.post(START, {"age": "34", "activity": "cycling"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/urgent/"
    assert f"Step 2 of {FIRST_TOTAL}" in html_of(client.get("/screening/urgent/"))


@pytest.mark.parametrize("path", ["/screening/elbow/", "/screening/check-3/", "/screening/urgent-2/"])
def test_an_unknown_page_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


# --- every page's controls ------------------------------------------------------------------

# The typical path without an injury: the Ottawa page stops being counted once the injury page
# says no injury. After a recent injury (clinician_soon fixed) the warning and pattern pages
# cannot matter: the person reaches them only without an injury.
PROGRESS = {
    "urgent": "Step 2 of 11",
    "urgent-body": "Step 3 of 11",
    "urgent-joint": "Step 4 of 11",
    "injury": "Step 5 of 11",
    "ottawa": "Step 6 of 6",
    "warning": "Step 6 of 10",
    "warning-health": "Step 7 of 10",
    "pattern": "Step 8 of 10",
    "pattern-activity": "Step 9 of 10",
    "pattern-feel": "Step 10 of 10",
}


@pytest.mark.parametrize("page_id", list(PAGE_IDS))
def test_each_page_is_a_post_form_of_yes_no_not_sure_radios_named_by_question_id_with_why_we_ask(client, db, page_id):
    take_screen(client, RECENT_INJURY_ANSWERS if page_id == "ottawa" else ITBS_ANSWERS, until=page_id)
    response = client.get(step_url(page_id))
    assert response.status_code == 200
    html = html_of(response)
    assert PROGRESS[page_id] in html
    assert any(f.get("method") == "post" and f.get("action") == step_url(page_id) for f in elements(html, "form"))
    for question_id in PAGE_IDS[page_id]:
        assert list(radios(html, question_id)) == ["yes", "no", "unsure"], question_id
        block = fieldset_of(html, question_id)
        assert '<details class="why"><summary>Why we ask</summary>' in block, question_id  # folded away
        assert f'id="id_{question_id}_helptext"' in block
    assert html.count("<summary>Why we ask</summary>") == len(PAGE_IDS[page_id]) <= 6


def test_every_question_of_every_step_is_on_exactly_one_page():
    for step_id, ids in STEP_IDS.items():
        assert sorted(ids) == sorted(q.id for q in rules.questions_for_step(step_id) if q.under_age is None), step_id
    assert flow.PAGE_OF["child_limp_hip"] == "urgent-joint"
    assert sorted(flow.PAGE_OF) == sorted(q.id for q in rules.QUESTIONS)


def test_a_child_sees_the_hip_question_on_the_last_urgent_page(client, db):
    answers = {**ITBS_ANSWERS, "age": 12, "child_limp_hip": "no"}
    take_screen(client, answers, until="urgent-joint")
    html = html_of(client.get("/screening/urgent-joint/"))
    assert list(radios(html, "child_limp_hip")) == ["yes", "no", "unsure"]
    assert html.count("<summary>Why we ask</summary>") == 4


def test_only_the_urgent_pages_offer_none_of_these(client, db):
    for page_id in URGENT_PAGES:
        take_screen(client, ITBS_ANSWERS, until=page_id)
        assert 'name="none_of_these"' in html_of(client.get(step_url(page_id))), page_id
    assert 'name="none_of_these"' not in html_of(client.get(START))
    take_screen(client, ITBS_ANSWERS, until="injury")
    assert 'name="none_of_these"' not in html_of(client.get("/screening/injury/"))


# --- conditional pages and questions ----------------------------------------------------------


@pytest.mark.parametrize(
    "injury_recent, next_url, total",
    [("yes", "/screening/ottawa/", 6), ("unsure", "/screening/ottawa/", 6), ("no", RESULT_PREFIX, None)],
)
def test_the_ottawa_page_follows_only_a_recent_or_maybe_recent_injury(client, db, injury_recent, next_url, total):
    # An old injury fixes clinician_soon, and nothing later can be more urgent: the result.
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.post(
        "/screening/injury/", {"injury_onset": "yes", "injury_recent": injury_recent, "blow_inside_knee": "no"}
    )
    assert response["Location"].startswith(next_url)
    if total:
        assert f"Step 6 of {total}" in html_of(client.get(next_url))
    else:
        assert stored(response["Location"]).outcome == "clinician_soon"


def test_without_an_injury_there_are_10_pages_and_the_warning_signs_are_page_6(client, db):
    take_screen(client, ITBS_ANSWERS, until="warning")
    assert "Step 6 of 10" in html_of(client.get("/screening/warning/"))


def test_the_injury_follow_ups_must_be_answered_when_the_pain_started_with_an_injury(client, db):
    take_screen(client, ITBS_ANSWERS, until="injury")
    html = html_of(client.get("/screening/injury/"))
    assert "followups" in fieldset_of(html, "injury_recent").split(">", 1)[0]
    assert "followups" in fieldset_of(html, "blow_inside_knee").split(">", 1)[0]
    assert "followups" not in fieldset_of(html, "injury_onset").split(">", 1)[0]

    response = client.post("/screening/injury/", {"injury_onset": "unsure"})
    assert response.status_code == 200
    html = html_of(response)
    assert PLEASE_ANSWER in fieldset_of(html, "injury_recent")  # it can lead to the Ottawa checks
    # injury_onset already fixes clinician_soon, the level of blow_inside_knee.
    assert PLEASE_ANSWER not in fieldset_of(html, "blow_inside_knee")
    assert PLEASE_ANSWER not in fieldset_of(html, "injury_onset")
    assert radios(html, "injury_onset")["unsure"] is True
    assert client.get("/screening/warning/")["Location"] == "/screening/injury/"  # nothing was stored


def test_the_injury_follow_ups_are_not_required_without_an_injury(client, db):
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.post("/screening/injury/", {"injury_onset": "no"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/warning/"


def test_jumping_to_the_ottawa_page_without_a_recent_injury_redirects_to_the_first_open_page(client, db):
    assert client.get("/screening/ottawa/")["Location"] == START
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.get("/screening/ottawa/")
    assert response.status_code == 302
    assert response["Location"] == "/screening/injury/"
    response = client.post("/screening/ottawa/", {"ottawa_walk": "yes"})
    assert response["Location"] == "/screening/injury/"
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    "done_until, later_page, first_open",
    [
        ("about", "pattern", START),
        ("about", "urgent", START),
        ("urgent", "warning", "/screening/urgent/"),
        ("urgent-body", "urgent-joint", "/screening/urgent-body/"),
        ("injury", "pattern", "/screening/injury/"),
        ("warning", "pattern", "/screening/warning/"),
        ("pattern", "pattern-feel", "/screening/pattern/"),
        ("urgent", "check", "/screening/urgent/"),  # no check page without urgent_today
    ],
)
def test_jumping_ahead_before_earlier_pages_are_done_redirects_to_the_first_open_page(
    client, db, done_until, later_page, first_open
):
    take_screen(client, ITBS_ANSWERS, until=done_until)
    response = client.get(step_url(later_page))
    assert response.status_code == 302
    assert response["Location"] == first_open
    response = client.post(step_url(later_page), answers_for(later_page, ITBS_ANSWERS))
    assert response["Location"] == first_open
    assert not Screening.objects.exists()


# --- stopping at once for an emergency --------------------------------------------------------


@pytest.mark.parametrize("flag", ["deformity", "fracture_no_injury", "chest_or_breathing"])
def test_an_emergency_answer_on_an_urgent_page_goes_straight_to_a_stored_emergency_result(client, db, flag):
    answers = {**ITBS_ANSWERS, flag: "yes"}
    page_id = flow.PAGE_OF[flag]
    take_screen(client, answers, until=page_id)
    response = client.post(step_url(page_id), {flag: "yes"})  # the rest of the page left blank
    assert response.status_code == 302
    assert response["Location"].startswith(RESULT_PREFIX)
    screening = stored(response["Location"])
    assert screening.outcome == "emergency"
    assert screening.reasons == [flag]
    html = html_of(client.get(response["Location"]))
    assert 'data-outcome="emergency"' in html


@pytest.mark.parametrize("injury_recent", ["yes", "unsure"])
def test_age_60_with_a_recent_injury_is_an_emergency_right_after_the_injury_page(client, db, injury_recent):
    answers = {
        **ITBS_ANSWERS,
        "age": 60,
        "injury_onset": "yes",
        "injury_recent": injury_recent,
        "blow_inside_knee": "no",
    }
    result_url, posted = take_screen(client, answers)
    assert posted == ["about", *URGENT_PAGES, "injury"]
    screening = stored(result_url)
    assert screening.outcome == "emergency"
    assert screening.reasons == ["ottawa_age"]


def test_an_ottawa_check_answered_not_sure_is_an_emergency_without_asking_the_warning_signs(client, db):
    result_url, posted = take_screen(client, {**RECENT_INJURY_ANSWERS, "ottawa_fibula": "unsure"})
    assert posted == ["about", *URGENT_PAGES, "injury", "ottawa"]
    assert stored(result_url).outcome == "emergency"


# --- 2026.3: a short step instead of errors --------------------------------------------------


def test_cannot_bear_weight_alone_gives_a_short_step_of_the_unanswered_emergency_questions(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"cannot_bear_weight": "yes"})
    assert response.status_code == 302, errors_in(response)
    assert response["Location"] == "/screening/check/"
    html = html_of(client.get("/screening/check/"))
    # The five blank emergency questions of this page and the three of the next urgent page; the
    # urgent_today questions cannot change the outcome any more, so they are not asked.
    assert re.search(r'<h1 id="step-heading"[^>]*>Eight more questions to rule out an emergency</h1>', html)
    expected = [qid for qid in URGENT_IDS if rules.QUESTIONS_BY_ID[qid].level == "emergency"]
    assert [q for q in expected if radios(html, q)] == expected[:6]
    assert PLEASE_ANSWER not in html
    assert "Step 3 of 6" in html  # about, urgent, check, check-2, injury (+ Ottawa still possible)
    assert 'name="none_of_these"' in html
    response = client.post("/screening/check/", dict.fromkeys(expected[:6], "no"))
    assert response["Location"] == "/screening/check-2/"
    html = html_of(client.get("/screening/check-2/"))
    assert re.search(r">Two more questions to rule out an emergency</h1>", html)
    assert [q for q in expected if radios(html, q)] == expected[6:]
    assert "Step 4 of 6" in html
    response = client.post("/screening/check-2/", {"none_of_these": "1"})
    assert response["Location"] == "/screening/injury/"  # it can still lead to the Ottawa checks
    response = client.post("/screening/injury/", {"injury_onset": "no"})
    screening = stored(response["Location"])
    assert screening.outcome == "urgent_today"
    assert screening.reasons == ["cannot_bear_weight"]
    for qid in expected:
        assert screening.answers[qid] == "no"
    assert "calf_swelling" not in screening.answers  # could not matter: stored as not asked


def test_a_full_urgent_page_with_an_urgent_today_answer_asks_only_the_later_emergency_questions(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    data = {**answers_for("urgent", ITBS_ANSWERS), "cannot_bear_weight": "unsure"}
    response = client.post("/screening/urgent/", data)
    assert response["Location"] == "/screening/check/"
    html = html_of(client.get("/screening/check/"))
    assert ">Three more questions to rule out an emergency</h1>" in html
    assert [q for q in URGENT_IDS if radios(html, q)] == ["hot_swollen_fever", "chest_or_breathing", "saddle_numbness"]


def test_a_check_page_question_left_blank_must_be_answered_and_a_yes_is_an_emergency(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent-body")
    response = client.post("/screening/urgent-body/", {"calf_swelling": "yes"})
    assert response["Location"] == "/screening/check/"
    response = client.post("/screening/check/", {"hot_swollen_fever": "no"})
    assert response.status_code == 200
    html = html_of(response)
    assert PLEASE_ANSWER in fieldset_of(html, "chest_or_breathing")
    assert PLEASE_ANSWER in fieldset_of(html, "saddle_numbness")
    assert html.count(PLEASE_ANSWER) == 2
    response = client.post("/screening/check/", {"hot_swollen_fever": "no", "chest_or_breathing": "unsure"})
    screening = stored(response["Location"])
    assert screening.outcome == "emergency"
    assert screening.reasons == ["chest_or_breathing"]


def test_after_the_last_urgent_page_no_check_page_is_needed(client, db):
    answers = {**ITBS_ANSWERS, "locked_knee": "yes"}
    take_screen(client, answers, until="urgent-joint")
    response = client.post("/screening/urgent-joint/", {"locked_knee": "yes"})
    assert response["Location"] == "/screening/injury/"


def test_a_screen_in_progress_from_before_2026_3_loses_only_what_2026_3_no_longer_knows(client, db):
    # A 2026.2 session: its "urgent" step done (all 13 questions), a retired answer, a bad value.
    session = client.session
    session["screening_answers"] = {
        **{k: v for k, v in ITBS_ANSWERS.items() if k not in ("fracture_no_injury", "groin_pain_with_load")},
        "walking_or_groin_pain": "no",  # retired in 2026.3: dropped
        "deformity": "maybe",  # never valid: dropped, so asked again
    }
    session["screening_done"] = ["about", "urgent", "injury", "warning"]
    session.save()
    # The first urgent page counts as done only once its new and dropped questions are answered.
    response = client.get("/screening/pattern/")
    assert response["Location"] == "/screening/urgent/"
    html = html_of(client.get("/screening/urgent/"))
    assert radios(html, "fracture_no_injury") == {"yes": False, "no": False, "unsure": False}
    assert radios(html, "deformity") == {"yes": False, "no": False, "unsure": False}
    assert radios(html, "open_wound")["no"] is True  # what it knows is kept
    response = client.post("/screening/urgent/", {"none_of_these": "1"})
    assert response["Location"] == "/screening/urgent-body/"
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    screening = stored(result_url)
    assert "walking_or_groin_pain" not in screening.answers
    assert screening.answers["fracture_no_injury"] == "no"
    assert screening.answers["groin_pain_with_load"] == "no"
    assert screening.outcome == "itbs_likely"


# --- back and edit ----------------------------------------------------------------------------


def test_an_earlier_page_shows_the_saved_answers_checked(client, db):
    answers = {**ITBS_ANSWERS, "age": 41, "activity": "cycling", "locked_knee": "unsure"}
    take_screen(client, answers, until="injury")
    html = html_of(client.get(START))
    (age,) = [attrs for attrs in elements(html, "input") if attrs.get("name") == "age"]
    assert age.get("value") == "41"
    assert radios(html, "activity") == {
        "running": False,
        "cycling": True,
        "hiking": False,
        "gym": False,
        "other": False,
    }
    html = html_of(client.get("/screening/urgent-joint/"))
    assert radios(html, "locked_knee") == {"yes": False, "no": False, "unsure": True}
    assert 'href="/screening/urgent-body/"' in html  # the Back link
    html = html_of(client.get("/screening/urgent/"))
    assert radios(html, "deformity") == {"yes": False, "no": True, "unsure": False}
    assert 'href="/screening/"' in html


def test_re_posting_an_earlier_page_keeps_the_later_answers(client, db):
    answers = {**ITBS_ANSWERS, "locked_knee": "unsure"}
    take_screen(client, answers, until="injury")  # no warning page after urgent_today
    response = client.post(START, {"age": "42", "activity": "gym"})
    assert response["Location"] == "/screening/urgent/"
    assert radios(html_of(client.get("/screening/urgent-joint/")), "locked_knee")["unsure"] is True
    # Later pages stay done: the injury page is still open, not the urgent ones.
    assert client.get("/screening/injury/").status_code == 200
    response = client.post("/screening/injury/", answers_for("injury", answers))
    screening = stored(response["Location"])
    assert screening.answers["age"] == 42
    assert screening.answers["activity"] == "gym"
    assert screening.answers["locked_knee"] == "unsure"
    assert screening.outcome == "urgent_today"


# --- unanswered and invalid answers -----------------------------------------------------------


def test_an_unanswered_question_says_please_answer_inside_its_fieldset_and_keeps_the_other_answers(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    data = answers_for("urgent", ITBS_ANSWERS)
    del data["open_wound"]
    response = client.post("/screening/urgent/", data)
    assert response.status_code == 200
    html = html_of(response)
    block = fieldset_of(html, "open_wound")
    assert PLEASE_ANSWER in block
    assert 'id="id_open_wound_error"' in block
    describedby = re.search(r'<fieldset[^>]*aria-describedby="([^"]*)"', block).group(1).split()
    assert "id_open_wound_error" in describedby
    assert html.count(PLEASE_ANSWER) == 1
    assert radios(html, "deformity") == {"yes": False, "no": True, "unsure": False}
    assert not any(radios(html, "open_wound").values())
    assert client.get("/screening/urgent-body/")["Location"] == "/screening/urgent/"  # nothing stored


def test_a_blank_age_says_please_answer_next_to_the_age_and_keeps_the_activity(client, db):
    response = client.post(START, {"activity": "hiking"})
    assert response.status_code == 200
    html = html_of(response)
    age_block = re.search(r'<div class="question[^"]*">(?:(?!</div>).)*name="age"(?:(?!</div>).)*', html, re.S)
    assert age_block is not None
    assert PLEASE_ANSWER in age_block.group(0)
    (age,) = [attrs for attrs in elements(html, "input") if attrs.get("name") == "age"]
    assert "id_age_error" in age["aria-describedby"].split()
    assert radios(html, "activity")["hiking"] is True
    assert client.get("/screening/urgent/")["Location"] == START


@pytest.mark.parametrize("age", ["0", "121", "abc", "-3", "12.5"])
def test_an_age_outside_1_to_120_or_not_a_number_gets_a_clear_message(client, db, age):
    response = client.post(START, {"age": age, "activity": "running"})
    assert response.status_code == 200
    html = html_of(response)
    assert AGE_RANGE in html
    assert radios(html, "activity")["running"] is True
    assert client.get("/screening/urgent/")["Location"] == START


def test_an_activity_outside_the_list_is_refused_next_to_the_activity(client, db):
    response = client.post(START, {"age": "30", "activity": "skiing"})
    assert response.status_code == 200
    html = html_of(response)
    assert PLEASE_ANSWER in fieldset_of(html, "activity")
    assert not any(radios(html, "activity").values())
    assert client.get("/screening/urgent/")["Location"] == START


def test_a_radio_answer_other_than_yes_no_or_not_sure_is_refused(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {**answers_for("urgent", ITBS_ANSWERS), "deformity": "maybe"})
    assert response.status_code == 200
    html = html_of(response)
    assert PLEASE_ANSWER in fieldset_of(html, "deformity")
    assert html.count(PLEASE_ANSWER) == 1
    assert client.get("/screening/urgent-body/")["Location"] == "/screening/urgent/"


# --- "None of these" ----------------------------------------------------------------------------


def test_none_of_these_answers_every_question_of_its_page_no(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    following = [*list(URGENT_PAGES)[1:], "injury"]
    for page_id, next_page in zip(URGENT_PAGES, following, strict=True):
        response = client.post(step_url(page_id), {"none_of_these": "1"})
        assert response.status_code == 302
        assert response["Location"] == step_url(next_page)
    for page_id, ids in URGENT_PAGES.items():
        html = html_of(client.get(step_url(page_id)))
        for question_id in ids:
            assert radios(html, question_id) == {"yes": False, "no": True, "unsure": False}, question_id


def test_none_of_these_keeps_a_yes_already_chosen(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent-body")
    response = client.post(
        "/screening/urgent-body/", {"calf_swelling": "yes", "hot_swollen_knee": "unsure", "none_of_these": "1"}
    )
    # Every emergency question is answered (the first page, then "no" for the blanks here), and the
    # last urgent page holds only urgent_today questions: on to the injury page.
    assert response["Location"] == "/screening/injury/"
    html = html_of(client.get("/screening/urgent-body/"))
    assert radios(html, "calf_swelling")["yes"] is True
    assert radios(html, "hot_swollen_knee")["unsure"] is True
    assert radios(html, "chest_or_breathing")["no"] is True


def test_none_of_these_with_a_deformity_chosen_is_still_an_emergency(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"deformity": "yes", "none_of_these": "1"})
    assert stored(response["Location"]).outcome == "emergency"


def test_none_of_these_is_ignored_on_other_pages(client, db):
    take_screen(client, ITBS_ANSWERS, until="warning")
    response = client.post("/screening/warning/", {"none_of_these": "1"})
    assert response.status_code == 200
    assert html_of(response).count(PLEASE_ANSWER) == len(PAGE_IDS["warning"])


# --- htmx ---------------------------------------------------------------------------------------

HX = {"HX-Request": "true"}


def test_an_htmx_post_that_redirects_returns_only_the_next_pages_fragment_and_the_url_to_push(client, db):
    response = client.post(START, {"age": "34", "activity": "running"}, headers=HX, follow=True)
    assert response.redirect_chain == [("/screening/urgent/", 302)]
    html = html_of(response)
    assert "<html" not in html
    assert "<header" not in html
    assert html.strip().startswith('<div id="screen"')
    assert f"Step 2 of {FIRST_TOTAL}" in html
    assert response["HX-Push-Url"] == "/screening/urgent/"


def test_an_htmx_post_with_a_missing_answer_returns_the_same_page_fragment_with_the_error(client, db):
    response = client.post(START, {"age": "34"}, headers=HX)
    assert response.status_code == 200
    html = html_of(response)
    assert "<html" not in html
    assert PLEASE_ANSWER in fieldset_of(html, "activity")
    assert response["HX-Push-Url"] == START


def test_an_htmx_emergency_stop_returns_the_result_fragment(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"deformity": "yes", "none_of_these": "1"}, headers=HX, follow=True)
    result_url = response.redirect_chain[-1][0]
    assert result_url.startswith(RESULT_PREFIX)
    html = html_of(response)
    assert "<html" not in html
    assert 'id="screening-result"' in html and 'data-outcome="emergency"' in html
    assert response["HX-Push-Url"] == result_url


def test_without_htmx_the_same_page_is_a_whole_page(client, db):
    response = client.post(START, {"age": "34", "activity": "running"}, follow=True)
    assert "<html" in html_of(response)
    assert "HX-Push-Url" not in response


def test_each_page_form_is_wired_for_htmx_to_swap_the_screen(client, db):
    html = html_of(client.get(START))
    (form,) = [f for f in elements(html, "form") if f.get("action") == START]
    assert form["data-hx-post"] == START
    assert form["data-hx-target"] == "#screen"


# --- restart ------------------------------------------------------------------------------------


def test_restart_clears_the_answers_in_progress(client, db):
    take_screen(client, {**ITBS_ANSWERS, "age": 41, "cannot_bear_weight": "yes"}, until="injury")
    assert 'action="/screening/restart/"' in html_of(client.get("/screening/injury/"))
    response = client.post("/screening/restart/")
    assert response.status_code == 302
    assert response["Location"] == START
    assert client.get("/screening/urgent/")["Location"] == START
    assert client.get("/screening/check/")["Location"] == START
    html = html_of(client.get(START))
    (age,) = [attrs for attrs in elements(html, "input") if attrs.get("name") == "age"]
    assert "value" not in age
    assert not {"screening_answers", "screening_done", "screening_deferred"} & set(client.session.keys())


def test_restart_is_post_only(client, db):
    assert client.get("/screening/restart/").status_code == 405


# --- query counts -------------------------------------------------------------------------------

PAGE_ORDER = list(PAGE_IDS)
LAST_PAGES = ("ottawa", "pattern-feel")

# Measured on SQLite and PostgreSQL (the same numbers). Anonymous: a GET reads the session (none yet
# on the very first page); a POST reads it and writes it (savepoint, UPDATE/INSERT, release; the
# first POST checks the new key is free instead of reading). The last POST also inserts the screen.
# Logged in: one more query each, for the user; the last POST also looks for her plan (a stored
# screen can pause or resume it; she has none here, so nothing more: with a plan, its snapshot is
# refreshed in the same transaction).
QUERIES = {
    "anonymous": {page: (0, 4) if page == "about" else (1, 7 if page in LAST_PAGES else 4) for page in PAGE_ORDER},
    "alice": {page: (2, 9 if page in LAST_PAGES else 5) for page in PAGE_ORDER},
}


@pytest.mark.parametrize("persona", ["anonymous", "alice"])
@pytest.mark.parametrize("page_id", PAGE_ORDER)
def test_query_counts_of_each_page_are_pinned(request, django_assert_num_queries, db, persona, page_id):
    client = request.getfixturevalue("client" if persona == "anonymous" else "alice_client")
    answers = RECENT_INJURY_ANSWERS if page_id == "ottawa" else ITBS_ANSWERS
    take_screen(client, answers, until=page_id)
    get_queries, post_queries = QUERIES[persona][page_id]
    with django_assert_num_queries(get_queries):
        assert client.get(step_url(page_id)).status_code == 200
    with django_assert_num_queries(post_queries):
        response = client.post(step_url(page_id), answers_for(page_id, answers))
    assert response.status_code == 302
    if page_id in LAST_PAGES:
        assert response["Location"].startswith(RESULT_PREFIX)
