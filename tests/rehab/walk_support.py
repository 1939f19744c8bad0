"""Walking a plan day by day over HTTP, as a person would (tests/rehab/test_flare_walk.py,
tests/rehab/test_build_walk.py): the clock on a plan day, the log form posts, and today's page
checked against the engine's state of the same day."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time, timedelta

import time_machine
from django.test import Client
from django.test.html import parse_html
from django.utils.formats import date_format

from rehab.selectors import plan_page
from tests.rehab.support import elements, text

START = date(2026, 11, 2)  # a Monday: build days Mon/Wed/Fri fall on days 29, 31, 33 …
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
