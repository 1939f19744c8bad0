"""Build-back as the plan's next chapter, walked from day 1: a person who skipped the usual week
finishes level 8, today's page offers "Build back to your usual week" as its main action, a run
is logged before the goal is saved the same day (load.md B13), then build-back runs on four
consecutive build days. Every day the build card says what the engine's state says (load.md §3–5):
the suggested length when a session is due, "done" once a run is logged, the person's own build
days (no "every other day"), and why a session is shorter than level 8."""

from __future__ import annotations

import pytest
from django.test import Client

from rehab.selectors import plan_page
from tests.factories import make_plan, make_user
from tests.rehab.walk_support import START, at, by_id, day_of, log, page_text, rest_and_return, today_consistent

BUILD_DAYS = ["mon", "tue", "wed", "thu"]


def build_card(response) -> str:
    (card,) = by_id(response, "build-today")
    return card


def assert_card_follows_the_state(client: Client, user, n: int):
    response, state = today_consistent(client, user, n)
    words = page_text(response)
    assert "every other day" not in words.lower(), f"day {n}: build days are the person's own"
    if state.phase != "build" or state.status != "active":
        return response, state
    build = state.build
    card = build_card(response)
    assert (
        f"Build-back · week {build.week_index} · {build.week_target_minutes} min this week "
        f"({build.week_done_minutes} done, {build.week_left_minutes} to go)"
    ) in card
    info = state.day_of(state.today)
    if state.session_due:
        assert f"today: about {state.session_minutes} min easy" in card
        assert f"Today's session: about {state.session_minutes} minutes, easy." in words
        assert "On your build days: Monday, Tuesday, Wednesday and Thursday." in words
        shorter = "we start a little below your last level while your weekly total builds up" in card
        assert shorter is (state.session_minutes < 20), f"day {n}: the shorter-than-level-8 note"
        if shorter:
            assert f"Why {state.session_minutes} minutes when level 8 was 20" in card
    elif info.session is not None:
        assert "today: done" in card and "no session" not in card
        assert "Today's session is logged" in words
    elif build.week_left_minutes == 0:
        assert "this week's minutes are done" in card
    else:
        assert "today: no session" in card
    return response, state


@pytest.mark.django_db
def test_build_back_is_the_next_chapter_and_its_card_follows_the_engine():
    with at(1):
        user = make_user("skipper")
        make_plan(user, start_date=START)  # no usual week at the start
    client = Client()
    client.force_login(user)
    rest_and_return(client, user, 30)
    with at(30):  # level 8 passed on day 28 and no goal: build-back is the main action
        response, state = today_consistent(client, user, 30)
        assert (state.status, state.phase) == ("complete", "complete")
        (offer,) = by_id(response, "build-offer")
        assert "Build back to your usual week" in offer and "Level 8 is done." in offer
        assert "Next: build back to your usual week." in by_id(response, "status-line")[0]
        assert "Build-back: set your usual week to begin" in page_text(client.get("/rehab/timeline/"))
        assert "Build-back: set your usual week to begin" in page_text(client.get("/rehab/plan/"))
    with at(31):
        log(client, 31, runs=[20])  # the completed plan's form asks no session questions
        response = client.post("/rehab/target/", {"target_running_minutes": "240", "build_days": BUILD_DAYS})
        assert response.status_code == 302
        response, state = assert_card_follows_the_state(client, user, 31)
        assert (state.status, state.phase) == ("active", "build")
        # B13: the run is a counted session in week 1, not a failure: 20 of 60 done.
        assert (state.build.week_start, state.build.week_done_minutes, state.build.week_left_minutes) == (
            day_of(31),
            20,
            40,
        )
        assert "today: done" in build_card(response)
        # load.md's build_start words, with S = 20 × min(3, 4 days) = 60.
        assert (
            "Level 8 done. Now we build back toward your usual 240 minutes a week, starting with 60 minutes."
            in page_text(response)
        )
        timeline = page_text(client.get("/rehab/timeline/"))
        assert "Rest: days 1–13 Return: days 14–28 Build-back: day 31" in timeline
        assert "Build-back, week 1: 60 minutes this week, on the way to your usual 240." in page_text(
            client.get("/rehab/plan/")
        )
    suggested = {}
    for n in range(32, 40):
        with at(n):
            response, state = assert_card_follows_the_state(client, user, n)
            if state.session_due:
                suggested[n] = state.session_minutes
                log(client, n, session_done="yes", pain_during="1", stopped_early="no", runs=[state.session_minutes])
                assert_card_follows_the_state(client, user, n)
            else:
                log(client, n)
            if n == 38:  # week 2: load.md's week_up words, the engine's numbers
                assert "Last week went well (60 of 60 min, knee settled). This week: 66 minutes." in page_text(response)
                assert state.build.week_index == 2
    # Thursday d32: 40 left over 3 build days → 14; Mon d36 and Tue d37: 13 each; Wed d38: ⌈66/4⌉.
    assert suggested == {32: 14, 36: 13, 37: 13, 38: 17, 39: 17}
    with at(39):
        assert plan_page(user).state.weeks[0].outcome == "up"
