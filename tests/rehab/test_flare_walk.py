"""Two plans walked from day 1, one day at a time, through the log form: one to a flare in the
graded return (a 6/10 session), one to a flare in build-back (load.md). On every day today's
page has exactly one status line; on the flare day today's page, the log's confirmation and the
timeline each hold one flare message (what happened, what changes, what to do for the pain)
with the same words, and the next session's date exactly once, the engine's own."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from rehab import services
from rehab.buildback import WEEKDAYS
from rehab.selectors import plan_page
from tests.factories import make_plan, make_user
from tests.rehab.walk_support import (
    START,
    WEEKDAY_DATE,
    at,
    by_class,
    day_of,
    log,
    long_date,
    page_text,
    rest_and_return,
    today_consistent,
)

BUILD_DAYS = ("mon", "wed", "fri")


def assert_one_flare(client: Client, user, n: int, confirmation) -> tuple[str, date]:
    """The flare day's pages: the log's confirmation (today's page after the save), today's page
    and the timeline each say the flare once, in the same words, with the next date once."""
    followed = client.get(confirmation["Location"])
    response, state = today_consistent(client, user, n)
    (flare,) = by_class(response, "flare-message")
    (confirmed,) = by_class(followed, "flare-message")
    assert confirmed == flare
    message = flare.split(": ", 1)[1]  # after the "! Take care:" label
    (next_date,) = re.findall(WEEKDAY_DATE, message)
    for page in (response, followed):
        assert page_text(page).count(next_date) == 1, "the next session's date is said once"
    timeline = client.get("/rehab/timeline/")
    assert page_text(timeline).count(message) == 1, "the timeline says the flare in the same words, once"
    assert page_text(timeline).count(next_date) == 1
    assert "2 days off" not in page_text(timeline)
    # What happened, what changes, what to do for the pain today (plan.md's pain model).
    assert "No session tomorrow" in message or "No running tomorrow" in message
    assert "For the pain today:" in message and "within 24 hours" in message
    assert "painkillers" in message
    return message, state


@pytest.mark.django_db
def test_a_flare_in_the_graded_return_is_one_message_with_the_engines_next_session():
    with at(1):
        user = make_user("returner")
        make_plan(user, start_date=START)
    client = Client()
    client.force_login(user)
    rest_and_return(client, user, 18, flare_on=18)
    with at(18):  # level 3: a 6/10 session, through the log page
        confirmation = log(client, 18, quick=False, session_done="yes", pain_during="6", stopped_early="no")
        assert confirmation["Location"] == "/rehab/"
        message, state = assert_one_flare(client, user, 18, confirmation)
    assert [e.rule for e in state.events_on(day_of(18))] == ["E2"]
    assert message.startswith("Your pain went above 3 during the run.")
    # The engine's next session, said once: two days on, one level down.
    assert state.next_session_date == day_of(20) and state.level == 2
    assert f"your next run is on {long_date(day_of(20))}, at level 2." in message
    with at(19):  # the next day: no flare message, no session
        response, state = today_consistent(client, user, 19)
        assert by_class(response, "flare-message") == []
        assert state.session_due is False
    with at(20):
        response, state = today_consistent(client, user, 20)
        assert state.session_due is True and state.level == 2


@pytest.mark.django_db
def test_a_flare_in_build_back_is_one_message_with_the_next_weeks_first_run():
    with at(1):
        user = make_user("builder")
        plan = make_plan(user, start_date=START)
        services.target_save(plan=plan, rows={"running": (240, None)}, build_days=BUILD_DAYS, today=day_of(1))
    client = Client()
    client.force_login(user)
    rest_and_return(client, user, 36, flare_on=36)
    with at(36):  # a build session (a Monday) that hurt: E2, a step-back
        state = plan_page(user).state
        assert state.phase == "build" and state.session_due
        confirmation = log(client, 36, quick=False, session_done="yes", pain_during="5", stopped_early="no", runs=[22])
        message, state = assert_one_flare(client, user, 36, confirmation)
    assert [e.rule for e in state.events_on(day_of(36)) if e.rule in ("E2", "E3", "E4")] == ["E2"]
    following = state.weeks[-1]
    assert following.start == day_of(38) and following.outcome is None
    # The next run is the first build day of the next week (D + 2), at that week's minutes.
    first_run = next(
        following.start + timedelta(days=i)
        for i in range(7)
        if WEEKDAYS[(following.start + timedelta(days=i)).weekday()] in BUILD_DAYS
    )
    assert f"then {following.target_minutes} minutes a week: your next run is on {long_date(first_run)}." in message
    assert "Setbacks are common" in message
    for n in range(37, (first_run - START).days + 2):
        with at(n):
            response, state = today_consistent(client, user, n)
            assert state.session_due is (day_of(n) == first_run), f"day {n}"
            if not state.session_due:
                log(client, n)
