"""The knee check's step pages, through the test client (screening.md, "Steps" and "Browser contract").

The routing itself (which outcome, which reasons) is unit-tested in test_rules*.py; here the
pages are: what each step shows, what it accepts, where it sends you next, and what it refuses.
`take_screen` and the answer sets below are shared with test_result_views.py and test_storage.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from screening import rules
from screening.models import Screening
from tests.factories import ITBS_ANSWERS

START = "/screening/"
RESULT_PREFIX = "/screening/result/"
PLEASE_ANSWER = "Please answer this question."
AGE_RANGE = "Please enter your age in whole years, from 1 to 120."

#: Ids per step, copied from screening.md so a renamed control fails here.
URGENT_IDS = [
    "deformity",
    "foot_cold_or_numb",
    "compartment_signs",
    "hot_swollen_fever",
    "open_wound",
    "chest_or_breathing",
    "saddle_numbness",
    "calf_swelling",
    "locked_knee",
    "rapid_swelling",
    "cannot_bear_weight",
    "hot_swollen_knee",
    "blood_thinner_swelling",
]  # child_limp_hip is asked only under 16
STEP_IDS = {
    "urgent": URGENT_IDS,
    "injury": ["injury_onset", "injury_recent", "blow_inside_knee"],
    "ottawa": ["ottawa_walk", "ottawa_bend", "ottawa_fibula", "ottawa_kneecap"],
    "warning": [
        "catching_giving_way",
        "night_or_rest_pain",
        "weight_loss_cancer",
        "pain_not_activity_related",
        "bone_spot_pain",
        "walking_or_groin_pain",
        "numbness_shin_foot",
        "several_joints",
        "recent_knee_surgery",
        "no_improvement",
    ],
    "pattern": [
        "pain_outside",
        "repetitive_onset",
        "pain_front",
        "pain_below_kneecap",
        "pain_inside",
        "pain_joint_line",
        "pain_back_outside",
        "whole_knee_swelling",
        "back_pain_radiating",
        "comes_on_at_distance",
        "worse_downhill",
        "recent_increase",
        "sharp_burning",
        "tender_bump",
        "straight_knee_eases",
        "worse_sitting_bent",
    ],
}

#: A recent injury with every Ottawa check negative: six steps, ends in clinician_soon.
RECENT_INJURY_ANSWERS: dict[str, object] = {
    **ITBS_ANSWERS,
    "injury_onset": "yes",
    "injury_recent": "yes",
    "blow_inside_knee": "no",
    "ottawa_walk": "no",
    "ottawa_bend": "no",
    "ottawa_fibula": "no",
    "ottawa_kneecap": "no",
}

#: One answer set per outcome, each a small change to the itbs_likely answers.
OUTCOME_ANSWERS: dict[str, dict[str, object]] = {
    "emergency": {**ITBS_ANSWERS, "deformity": "yes"},
    "urgent_today": {**ITBS_ANSWERS, "calf_swelling": "yes"},
    "clinician_soon": {**ITBS_ANSWERS, "night_or_rest_pain": "yes"},
    "not_typical": {**ITBS_ANSWERS, "pain_front": "yes"},
    "itbs_likely": dict(ITBS_ANSWERS),
}


# --- helpers (shared) -------------------------------------------------------------------------


def step_url(step_id: str) -> str:
    return START if step_id == "about" else f"/screening/{step_id}/"


def step_of(url: str) -> str:
    return "about" if url == START else url.removeprefix("/screening/").strip("/")


def answers_for(step_id: str, answers: dict) -> dict[str, str]:
    """The POST data for one step: the given answers to that step's questions, as strings."""
    return {q.id: str(answers[q.id]) for q in rules.questions_for_step(step_id) if q.id in answers}


def take_screen(client, answers: dict, *, until: str | None = None) -> tuple[str, list[str]]:
    """Post `answers` step by step wherever the pages send us; stop at the result or at `until`.

    Returns the last Location (the result URL, or the URL of step `until`) and the steps posted.
    """
    url, posted = START, []
    for _ in range(len(rules.STEPS) + 1):
        step_id = step_of(url)
        if step_id == until:
            return url, posted
        response = client.post(url, answers_for(step_id, answers))
        assert response.status_code == 302, f"step {step_id!r} refused the answers: {errors_in(response)}"
        posted.append(step_id)
        url = response["Location"]
        if url.startswith(RESULT_PREFIX):
            return url, posted
    raise AssertionError(f"the screen never ended; last URL {url}")


def stored(result_url: str) -> Screening:
    return Screening.objects.get(pk=result_url.removeprefix(RESULT_PREFIX).strip("/"))


def errors_in(response) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    parser = _Elements()
    parser.feed(html)
    return [attrs for name, attrs in parser.found if name == tag]


def radios(html: str, name: str) -> dict[str, bool]:
    """value -> checked, for the radio inputs called `name`."""
    return {
        attrs["value"]: "checked" in attrs
        for attrs in elements(html, "input")
        if attrs.get("type") == "radio" and attrs.get("name") == name
    }


def fieldset_of(html: str, name: str) -> str:
    for block in re.findall(r"<fieldset\b.*?</fieldset>", html, re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no fieldset holds the control {name!r}")


def html_of(response) -> str:
    return response.content.decode()


# --- the first step ---------------------------------------------------------------------------


def test_the_screen_starts_at_step_1_of_6_with_age_as_a_number_and_activity_as_radios(client, db):
    response = client.get(START)
    assert response.status_code == 200
    html = html_of(response)
    # 2026.2: the total counts the Ottawa step while it is possible, so it never grows.
    assert "Step 1 of 6" in html
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
    assert "Step 2 of 6" in html_of(client.get("/screening/urgent/"))


def test_an_unknown_step_is_not_found(client, db):
    assert client.get("/screening/elbow/").status_code == 404


# --- every step's controls ------------------------------------------------------------------

# 2026.2: the Ottawa step is counted while it is possible, so the total only ever shrinks. After
# a recent injury (clinician_soon fixed) the warning and pattern steps cannot matter: the person
# reaches them only without an injury.
PROGRESS = {
    "urgent": "Step 2 of 6",
    "injury": "Step 3 of 6",
    "ottawa": "Step 4 of 4",
    "warning": "Step 4 of 5",
    "pattern": "Step 5 of 5",
}


@pytest.mark.parametrize("step_id", list(STEP_IDS))
def test_each_step_is_a_post_form_of_yes_no_not_sure_radios_named_by_question_id_with_why_we_ask(client, db, step_id):
    take_screen(client, RECENT_INJURY_ANSWERS if step_id == "ottawa" else ITBS_ANSWERS, until=step_id)
    response = client.get(step_url(step_id))
    assert response.status_code == 200
    html = html_of(response)
    assert PROGRESS[step_id] in html
    assert any(f.get("method") == "post" and f.get("action") == step_url(step_id) for f in elements(html, "form"))
    for question_id in STEP_IDS[step_id]:
        assert list(radios(html, question_id)) == ["yes", "no", "unsure"], question_id
        block = fieldset_of(html, question_id)
        assert '<details class="why"><summary>Why we ask</summary>' in block, question_id  # folded away
        assert f'id="id_{question_id}_helptext"' in block
    assert html.count("<summary>Why we ask</summary>") == len(STEP_IDS[step_id])


def test_only_the_urgent_step_offers_none_of_these(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    assert 'name="none_of_these"' in html_of(client.get("/screening/urgent/"))
    assert 'name="none_of_these"' not in html_of(client.get(START))
    take_screen(client, ITBS_ANSWERS, until="injury")
    assert 'name="none_of_these"' not in html_of(client.get("/screening/injury/"))


# --- conditional steps and questions ----------------------------------------------------------


@pytest.mark.parametrize(
    "injury_recent, next_url, total",
    [("yes", "/screening/ottawa/", 4), ("unsure", "/screening/ottawa/", 4), ("no", RESULT_PREFIX, None)],
)
def test_the_ottawa_step_follows_only_a_recent_or_maybe_recent_injury(client, db, injury_recent, next_url, total):
    # 2026.2: an old injury fixes clinician_soon, and nothing later can be more urgent: the result.
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.post(
        "/screening/injury/", {"injury_onset": "yes", "injury_recent": injury_recent, "blow_inside_knee": "no"}
    )
    assert response["Location"].startswith(next_url)
    if total:
        assert f"Step 4 of {total}" in html_of(client.get(next_url))
    else:
        assert stored(response["Location"]).outcome == "clinician_soon"


def test_without_an_injury_there_are_5_steps_and_the_warning_signs_are_step_4(client, db):
    take_screen(client, ITBS_ANSWERS, until="warning")
    assert "Step 4 of 5" in html_of(client.get("/screening/warning/"))


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
    # 2026.2: injury_onset already fixes clinician_soon, the level of blow_inside_knee.
    assert PLEASE_ANSWER not in fieldset_of(html, "blow_inside_knee")
    assert PLEASE_ANSWER not in fieldset_of(html, "injury_onset")
    assert radios(html, "injury_onset")["unsure"] is True
    assert client.get("/screening/warning/")["Location"] == "/screening/injury/"  # nothing was stored


def test_the_injury_follow_ups_are_not_required_without_an_injury(client, db):
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.post("/screening/injury/", {"injury_onset": "no"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/warning/"


def test_jumping_to_the_ottawa_step_without_a_recent_injury_redirects_to_the_first_open_step(client, db):
    assert client.get("/screening/ottawa/")["Location"] == START
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.get("/screening/ottawa/")
    assert response.status_code == 302
    assert response["Location"] == "/screening/injury/"
    response = client.post("/screening/ottawa/", {"ottawa_walk": "yes"})
    assert response["Location"] == "/screening/injury/"
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    "done_until, later_step, first_open",
    [
        ("about", "pattern", START),
        ("about", "urgent", START),
        ("urgent", "warning", "/screening/urgent/"),
        ("injury", "pattern", "/screening/injury/"),
        ("warning", "pattern", "/screening/warning/"),
    ],
)
def test_jumping_ahead_before_earlier_steps_are_done_redirects_to_the_first_open_step(
    client, db, done_until, later_step, first_open
):
    take_screen(client, ITBS_ANSWERS, until=done_until)
    response = client.get(step_url(later_step))
    assert response.status_code == 302
    assert response["Location"] == first_open
    response = client.post(step_url(later_step), answers_for(later_step, ITBS_ANSWERS))
    assert response["Location"] == first_open
    assert not Screening.objects.exists()


# --- stopping at once for an emergency --------------------------------------------------------


def test_a_deformity_on_the_urgent_step_goes_straight_to_a_stored_emergency_result(client, db):
    answers = {**ITBS_ANSWERS, "deformity": "yes"}
    take_screen(client, answers, until="urgent")
    response = client.post("/screening/urgent/", answers_for("urgent", answers))
    assert response.status_code == 302
    assert response["Location"].startswith(RESULT_PREFIX)
    screening = stored(response["Location"])
    assert screening.outcome == "emergency"
    html = html_of(client.get(response["Location"]))
    assert 'data-outcome="emergency"' in html


@pytest.mark.parametrize("injury_recent", ["yes", "unsure"])
def test_age_60_with_a_recent_injury_is_an_emergency_right_after_the_injury_step(client, db, injury_recent):
    answers = {
        **ITBS_ANSWERS,
        "age": 60,
        "injury_onset": "yes",
        "injury_recent": injury_recent,
        "blow_inside_knee": "no",
    }
    result_url, posted = take_screen(client, answers)
    assert posted == ["about", "urgent", "injury"]
    screening = stored(result_url)
    assert screening.outcome == "emergency"
    assert screening.reasons == ["ottawa_age"]


def test_an_ottawa_check_answered_not_sure_is_an_emergency_without_asking_the_warning_signs(client, db):
    result_url, posted = take_screen(client, {**RECENT_INJURY_ANSWERS, "ottawa_fibula": "unsure"})
    assert posted == ["about", "urgent", "injury", "ottawa"]
    assert stored(result_url).outcome == "emergency"


# --- back and edit ----------------------------------------------------------------------------


def test_an_earlier_step_shows_the_saved_answers_checked(client, db):
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
    html = html_of(client.get("/screening/urgent/"))
    assert radios(html, "locked_knee") == {"yes": False, "no": False, "unsure": True}
    assert radios(html, "deformity") == {"yes": False, "no": True, "unsure": False}
    assert 'href="/screening/"' in html  # the Back link


def test_re_posting_an_earlier_step_keeps_the_later_answers(client, db):
    answers = {**ITBS_ANSWERS, "locked_knee": "unsure"}
    take_screen(client, answers, until="injury")  # 2026.2: no warning step after urgent_today
    response = client.post(START, {"age": "42", "activity": "gym"})
    assert response["Location"] == "/screening/urgent/"
    assert radios(html_of(client.get("/screening/urgent/")), "locked_knee")["unsure"] is True
    # Later steps stay done: the injury step is still open, not the urgent one.
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
    data = {**answers_for("urgent", ITBS_ANSWERS), "calf_swelling": "unsure"}
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
    assert radios(html, "calf_swelling") == {"yes": False, "no": False, "unsure": True}
    assert radios(html, "deformity") == {"yes": False, "no": True, "unsure": False}
    assert not any(radios(html, "open_wound").values())
    assert client.get("/screening/injury/")["Location"] == "/screening/urgent/"  # nothing stored


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
    assert client.get("/screening/injury/")["Location"] == "/screening/urgent/"


# --- "None of these" ----------------------------------------------------------------------------


def test_none_of_these_answers_every_urgent_question_no(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"none_of_these": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/screening/injury/"
    html = html_of(client.get("/screening/urgent/"))
    for question_id in URGENT_IDS:
        assert radios(html, question_id) == {"yes": False, "no": True, "unsure": False}, question_id


def test_none_of_these_keeps_a_yes_already_chosen(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post(
        "/screening/urgent/", {"calf_swelling": "yes", "locked_knee": "unsure", "none_of_these": "1"}
    )
    assert response["Location"] == "/screening/injury/"
    html = html_of(client.get("/screening/urgent/"))
    assert radios(html, "calf_swelling")["yes"] is True
    assert radios(html, "locked_knee")["unsure"] is True
    assert radios(html, "deformity")["no"] is True


def test_none_of_these_with_a_deformity_chosen_is_still_an_emergency(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"deformity": "yes", "none_of_these": "1"})
    assert stored(response["Location"]).outcome == "emergency"


def test_none_of_these_is_ignored_on_other_steps(client, db):
    take_screen(client, ITBS_ANSWERS, until="warning")
    response = client.post("/screening/warning/", {"none_of_these": "1"})
    assert response.status_code == 200
    assert html_of(response).count(PLEASE_ANSWER) == len(STEP_IDS["warning"])


# --- htmx ---------------------------------------------------------------------------------------

HX = {"HX-Request": "true"}


def test_an_htmx_post_that_redirects_returns_only_the_next_steps_fragment_and_the_url_to_push(client, db):
    response = client.post(START, {"age": "34", "activity": "running"}, headers=HX, follow=True)
    assert response.redirect_chain == [("/screening/urgent/", 302)]
    html = html_of(response)
    assert "<html" not in html
    assert "<header" not in html
    assert html.strip().startswith('<div id="screen"')
    assert "Step 2 of 6" in html
    assert response["HX-Push-Url"] == "/screening/urgent/"


def test_an_htmx_post_with_a_missing_answer_returns_the_same_step_fragment_with_the_error(client, db):
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


def test_without_htmx_the_same_step_is_a_whole_page(client, db):
    response = client.post(START, {"age": "34", "activity": "running"}, follow=True)
    assert "<html" in html_of(response)
    assert "HX-Push-Url" not in response


def test_each_step_form_is_wired_for_htmx_to_swap_the_screen(client, db):
    html = html_of(client.get(START))
    (form,) = [f for f in elements(html, "form") if f.get("action") == START]
    assert form["data-hx-post"] == START
    assert form["data-hx-target"] == "#screen"


# --- restart ------------------------------------------------------------------------------------


def test_restart_clears_the_answers_in_progress(client, db):
    take_screen(client, {**ITBS_ANSWERS, "age": 41}, until="warning")
    assert 'action="/screening/restart/"' in html_of(client.get("/screening/injury/"))
    response = client.post("/screening/restart/")
    assert response.status_code == 302
    assert response["Location"] == START
    assert client.get("/screening/urgent/")["Location"] == START
    html = html_of(client.get(START))
    (age,) = [attrs for attrs in elements(html, "input") if attrs.get("name") == "age"]
    assert "value" not in age


def test_restart_is_post_only(client, db):
    assert client.get("/screening/restart/").status_code == 405


# --- query counts -------------------------------------------------------------------------------

STEP_ORDER = ["about", "urgent", "injury", "ottawa", "warning", "pattern"]

# Measured on SQLite and PostgreSQL (the same numbers). Anonymous: a GET reads the session (none yet
# on the very first page); a POST reads it and writes it (savepoint, UPDATE/INSERT, release; the
# first POST checks the new key is free instead of reading). The last POST also inserts the screen.
# Logged in: one more query each, for the user.
QUERIES = {
    "anonymous": {
        "about": (0, 4),
        "urgent": (1, 4),
        "injury": (1, 4),
        "ottawa": (1, 7),  # 2026.2: after a recent injury the Ottawa step is the last that matters
        "warning": (1, 4),
        "pattern": (1, 7),
    },
    "alice": {
        "about": (2, 5),
        "urgent": (2, 5),
        "injury": (2, 5),
        # The last POST also looks for her plan (a stored screen can pause or resume it; she has
        # none here, so nothing more: with a plan, its snapshot is refreshed in the same transaction).
        "ottawa": (2, 9),
        "warning": (2, 5),
        "pattern": (2, 9),
    },
}


@pytest.mark.parametrize("persona", ["anonymous", "alice"])
@pytest.mark.parametrize("step_id", STEP_ORDER)
def test_query_counts_of_each_step_are_pinned(request, django_assert_num_queries, db, persona, step_id):
    client = request.getfixturevalue("client" if persona == "anonymous" else "alice_client")
    answers = RECENT_INJURY_ANSWERS if step_id == "ottawa" else ITBS_ANSWERS
    take_screen(client, answers, until=step_id)
    get_queries, post_queries = QUERIES[persona][step_id]
    with django_assert_num_queries(get_queries):
        assert client.get(step_url(step_id)).status_code == 200
    with django_assert_num_queries(post_queries):
        response = client.post(step_url(step_id), answers_for(step_id, answers))
    assert response.status_code == 302
    if step_id in ("ottawa", "pattern"):
        assert response["Location"].startswith(RESULT_PREFIX)
