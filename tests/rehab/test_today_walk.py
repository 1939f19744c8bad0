"""A walk through a plan, one day at a time, through the quick log on today's page: the check
passes, a session, a flare (E3), a red flag (E1) and a resume. Every day, today's page has exactly
one status line and no message that contradicts the engine's state for that day (issue 12)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.test.html import parse_html
from django.utils.formats import date_format

from rehab.progression import MAX_LEVEL, PAUSED, REST, RETURN
from rehab.selectors import plan_page
from tests.factories import make_plan, make_screening, make_user
from tests.rehab.support import elements, text

START = date(2026, 11, 1)


def day_of(n: int) -> date:
    return START + timedelta(days=n - 1)


def at(n: int):
    """The clock at 10:00 UTC on plan day `n`."""
    return time_machine.travel(datetime.combine(day_of(n), datetime.min.time(), tzinfo=UTC) + timedelta(hours=10))


def page_parts(response) -> tuple[list[str], list[dict]]:
    root = parse_html(response.content.decode())
    status = [html.unescape(text(e)) for e in elements(root) if dict(e.attributes).get("id") == "status-line"]
    messages = [
        {**dict(e.attributes), "text": " ".join(html.unescape(text(e)).split())}
        for e in elements(root)
        if "today-message" in (dict(e.attributes).get("class") or "").split()
    ]
    return status, messages


def assert_consistent(client: Client, user, n: int) -> tuple[str, list[dict]]:
    """Today's page against the engine's state of the same day; returns (status line, messages)."""
    response = client.get("/rehab/")
    assert response.status_code == 200
    status_lines, messages = page_parts(response)
    assert len(status_lines) == 1, f"day {n}: exactly one status line"
    (status,) = status_lines
    state = plan_page(user).state
    assert state.day == n
    assert status.startswith(f"Day {n} of 30")
    words = " ".join([status, *(m["text"] for m in messages)])

    # Every level the page names is the engine's level (the next session's), and only in return.
    levels = {int(found) for found in re.findall(r"level (\d+)", words)}
    assert levels <= ({state.level} if state.level else set()), f"day {n}: levels {levels} vs {state.level}"
    if state.phase == RETURN and state.status == "active":
        assert f"level {state.level} of {MAX_LEVEL}" in status
    # Every date the page names for the next session or check is the engine's.
    named = set(re.findall(r"on ((?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d+ \w+)", words))
    allowed = {date_format(d, "l j F") for d in (state.next_session_date, state.check_due_date) if d}
    allowed |= {date_format(e.date, "l j F") for e in state.events}  # "on <day> you reported …"
    assert named <= allowed, f"day {n}: dates {named} vs {allowed}"
    # A session day never says rest from sessions; a day without one never says it is a session day.
    if state.session_due:
        assert "Today is a session day" in status
        assert not any("no session" in m["text"].lower() for m in messages)
    else:
        assert "Today is a session day" not in status
    if state.status == PAUSED:
        assert "paused" in status
        assert not any("session" in m["text"].lower() for m in messages), f"day {n}: paused, no session talk"
    # Messages come only from what fired today (or advice current today), one per event at most.
    fired = {event.rule for event in state.events_on(state.today)} | set(state.advice) | {"rested_no"}
    rules = [m["data-rule"] for m in messages]
    assert set(rules) <= fired, f"day {n}: {rules} outlived their day (fired: {fired})"
    assert len(rules) == len(set(rules)), f"day {n}: one message per event"
    for message in messages:
        assert message["data-kind"] in ("good", "info", "caution", "stop")
        assert message["text"].split(":")[0] in ("✓ Good news", "i Note", "! Take care", "× Stop"), "a text label"
    return status, messages


def quick_log(client: Client, n: int, **answers) -> None:
    data = {"pain_worst": "1", "from": "today", **{k: str(v) for k, v in answers.items() if k != "new_symptoms"}}
    if "new_symptoms" in answers:
        data["new_symptoms"] = answers["new_symptoms"]
    response = client.post(f"/rehab/log/{day_of(n).isoformat()}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/rehab/#today-log"


@pytest.mark.django_db
def test_a_plan_walked_day_by_day_never_contradicts_its_own_state():
    with at(1):
        user = make_user("walker")
        make_plan(user, start_date=START)
    client = Client()
    client.force_login(user)
    seen: dict[int, tuple[str, list[dict]]] = {}

    def rules_on(n: int) -> list[str]:
        return [m["data-rule"] for m in seen[n][1]]

    for n in range(1, 14):  # rest: logged from today's page, pain settling
        with at(n):
            quick_log(client, n, pain_worst=max(0, 5 - n // 2), rested="yes")
            seen[n] = assert_consistent(client, user, n)
            assert "Resting." in seen[n][0]

    with at(14):  # the check passes: today is the first session, at level 1
        seen[14] = assert_consistent(client, user, 14)
        assert "Today is for your progress check." in seen[14][0]
        answers = {"date": day_of(14).isoformat(), "check_daily_pain": "0", "check_walk_30": "yes"}
        response = client.post("/rehab/check/", {**answers, "check_squat_pain": "1", "check_hop_pain": "1"})
        assert response.status_code == 302
        seen[14] = assert_consistent(client, user, 14)
        assert "level 1 of 8" in seen[14][0] and "Today is a session day" in seen[14][0]
        assert rules_on(14) == ["check_pass"]
        # The session: level 1 passes; the page then names level 2 only, for the next session.
        quick_log(client, 14, pain_worst=1, pain_morning=1, session_done="yes", pain_during=1, stopped_early="no")
        seen[14] = assert_consistent(client, user, 14)
        assert "level 2 of 8" in seen[14][0]
        assert rules_on(14) == ["check_pass", "pass"]

    with at(15):  # between sessions: yesterday's messages are gone
        seen[15] = assert_consistent(client, user, 15)
        assert rules_on(15) == []
        assert "between sessions" in seen[15][0]
        quick_log(client, 15, pain_morning=1)
        seen[15] = assert_consistent(client, user, 15)

    with at(16):  # session day, level 2 passes
        quick_log(client, 16, pain_morning=1, session_done="yes", pain_during=2, stopped_early="no")
        seen[16] = assert_consistent(client, user, 16)
        assert rules_on(16) == ["pass"]

    with at(17):  # a flare: morning pain up by 2 → E3, no session tomorrow, the next on day 19
        quick_log(client, 17, pain_morning=3)
        status, messages = seen[17] = assert_consistent(client, user, 17)
        assert rules_on(17) == ["E3"]
        state = plan_page(user).state
        assert state.next_session_date == day_of(19)
        (flare,) = messages
        assert flare["data-kind"] == "caution"
        assert "No session tomorrow" in flare["text"]
        assert f"is on {date_format(day_of(19), 'l j F')}, at level {state.level}" in flare["text"]
        assert "2 days without a session" not in flare["text"]

    with at(18):
        seen[18] = assert_consistent(client, user, 18)
        assert rules_on(18) == []

    with at(19):  # a red flag on a session day: E1 pauses the plan, named, with the way on
        seen[19] = assert_consistent(client, user, 19)
        assert "Today is a session day" in seen[19][0]
        quick_log(client, 19, pain_morning=1, session_done="no", new_symptoms=["locked_knee"])
        status, messages = seen[19] = assert_consistent(client, user, 19)
        assert "paused" in status
        page = client.get("/rehab/").content.decode()
        assert "The knee is locked: I can't fully straighten it" in html.unescape(page)
        assert f'href="/rehab/log/{day_of(19).isoformat()}/"' in page, "I ticked this by mistake → that log"
        assert 'href="/screening/"' in page

    with at(20):
        seen[20] = assert_consistent(client, user, 20)
        assert "paused" in seen[20][0]

    with at(21):  # a new itbs_likely screen resumes the plan in rest
        make_screening(user)
        status, messages = seen[21] = assert_consistent(client, user, 21)
        assert rules_on(21) == ["resume"]
        assert plan_page(user).state.phase == REST
        assert "Resting." in status

    with at(22):
        seen[22] = assert_consistent(client, user, 22)
        assert rules_on(22) == []
