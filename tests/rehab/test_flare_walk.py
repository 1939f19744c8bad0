"""Two plans walked from day 1, one day at a time, through the log form: one to a flare in the
graded return (a 6/10 session), one to a flare in build-back (load.md). On every day today's
page has exactly one status line; on the flare day today's page, the log's confirmation and the
timeline each hold one flare message (what happened, what changes, what to do for the pain)
with the same words, and the next session's date exactly once, the engine's own."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.test.html import parse_html
from django.utils.formats import date_format

from rehab import services
from rehab.buildback import WEEKDAYS
from rehab.selectors import plan_page
from tests.factories import make_plan, make_user
from tests.rehab.support import elements, text

START = date(2026, 11, 2)  # a Monday: build days Mon/Wed/Fri fall on days 29, 31, 33 …
BUILD_DAYS = ("mon", "wed", "fri")
WEEKDAY_DATE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d+ \w+"


def day_of(n: int) -> date:
    return START + timedelta(days=n - 1)


def at(n: int):
    return time_machine.travel(datetime.combine(day_of(n), time(10), tzinfo=UTC), tick=False)


def long_date(day: date) -> str:
    return date_format(day, "l j F")


def page_text(response) -> str:
    return " ".join(html.unescape(text(parse_html(response.content.decode()))).split())


def by_class(response, name: str) -> list[str]:
    root = parse_html(response.content.decode())
    return [
        " ".join(html.unescape(text(e)).split())
        for e in elements(root)
        if name in (dict(e.attributes).get("class") or "").split()
    ]


def by_id(response, name: str) -> list[str]:
    root = parse_html(response.content.decode())
    return [" ".join(html.unescape(text(e)).split()) for e in elements(root) if dict(e.attributes).get("id") == name]


def log(client: Client, n: int, *, quick: bool = True, runs=(), **answers):
    """Day n's log through the log form (today's quick log, or the log page with `quick=False`)."""
    data = {"pain_worst": "1", "pain_morning": "1", **{k: str(v) for k, v in answers.items()}}
    if quick:
        data["from"] = "today"
    data["activities-TOTAL_FORMS"] = str(len(runs) + 1)
    data["activities-INITIAL_FORMS"] = "0"
    for i, minutes in enumerate(runs):
        data[f"activities-{i}-kind"] = "running"
        data[f"activities-{i}-duration_min"] = str(minutes)
    response = client.post(f"/rehab/log/{day_of(n).isoformat()}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def today_consistent(client: Client, user, n: int):
    """Today's page on day n: one status line, at most one flare message, and every weekday date
    it names is the engine's (the next session, the check, or an event's own date)."""
    response = client.get("/rehab/")
    assert response.status_code == 200
    assert len(by_id(response, "status-line")) == 1, f"day {n}: one status line"
    state = plan_page(user).state
    assert state.day == n
    flares = by_class(response, "flare-message")
    assert len(flares) <= 1, f"day {n}: one flare message at most"
    words = page_text(response)
    named = set(re.findall(WEEKDAY_DATE, words))
    allowed = {long_date(d) for d in (state.next_session_date, state.check_due_date) if d}
    allowed |= {long_date(e.date) for e in state.events}
    if flares:
        allowed.add(re.search(WEEKDAY_DATE, flares[0]).group(0))
    assert named <= allowed, f"day {n}: dates {named} vs {allowed}"
    if state.session_due:
        assert "no session" not in " ".join(flares).lower()
    return response, state


def rest_and_return(client: Client, user, last: int, *, flare_on: int | None = None) -> None:
    """Days 1..last: rest (pain settling), the check on day 14, a passing session every other
    day (levels 1–8 on days 14–28), runs of the level-8 minutes from there."""
    for n in range(1, last + 1):
        with at(n):
            if n == flare_on:
                return
            if n <= 13:
                log(client, n, pain_worst=max(1, 5 - n // 3), rested="yes")
            elif n == 14:
                answers = {"date": day_of(14).isoformat(), "check_daily_pain": "0", "check_walk_30": "yes"}
                assert client.post("/rehab/check/", {**answers, "check_squat_pain": "1", "check_hop_pain": "1"})
                log(client, n, session_done="yes", pain_during="1", stopped_early="no", runs=[20])
            elif n <= 28 and n % 2 == 0:
                log(client, n, session_done="yes", pain_during="1", stopped_early="no", runs=[20])
            else:
                state = plan_page(user).state
                if state.session_due and state.phase == "build":
                    log(client, n, session_done="yes", pain_during="1", stopped_early="no", runs=[20])
                else:
                    log(client, n, **({"session_done": "no"} if state.session_due else {}))
            today_consistent(client, user, n)


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
