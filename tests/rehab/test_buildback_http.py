"""load.md §6's worked scenarios B01–B14 over HTTP: every log goes through the daily log form
and its activity formset (`/rehab/log/<day>/`), the goal through `/rehab/target/` or the target
service the start page uses, and the result is read back from the export (`itbcare.export/2`).

Each scenario is the engine scenario of tests/rehab/test_buildback.py (same Base P data, from
tests/rehab/buildback_helpers.py): the export must say exactly what `compute` says for it, and
the key numbers of load.md's "expected" column are asserted again by hand.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.test import Client

from rehab import services
from rehab.exports import build_today_export, week_export
from rehab.models import ActivityEntry, DailyLog, Plan
from tests.factories import make_check, make_plan, make_screening, warm
from tests.rehab.support import (
    BUILD_DAYS,
    START,
    W1,
    W2,
    W3,
    W4,
    W5,
    d,
    p_logs,
    p_run,
    post_logs,
    run_,
    screen,
    weeks,
)

CYCLING = {n: [run_(45, "cycling")] for n in (52, 54, 56)}


def at(day: int):
    """The clock at 10:00 UTC on plan day `day` (the personas live in UTC)."""
    return time_machine.travel(datetime.combine(d(day), time(10), tzinfo=UTC), tick=False)


def export(client: Client) -> dict:
    return json.loads(client.get("/rehab/export.json").content)


def assert_same_as_engine(data: dict, state) -> None:
    """The export says what the engine says: status, today, the build, the weeks and events."""
    plan = data["plan"]
    assert plan["status"] == state.status
    today = plan["today"]
    assert (today["phase"], today["session_due"], today["check_due"]) == (
        state.phase,
        state.session_due,
        state.check_due,
    )
    assert today["advice"] == list(state.advice)
    assert today["build"] == build_today_export(state.build)
    assert plan["weeks"] == [week_export(w) for w in state.weeks]
    assert plan["events"] == [{"date": e.date.isoformat(), "rule": e.rule} for e in state.events]


def scenario(
    alice,
    today: int,
    sessions=(),
    *,
    goal: int | None = 240,
    changes=None,
    no_logs=(),
    extra=None,
    screens=(),
):
    """Base P over HTTP up to `today`; returns (export, the engine's state for the same inputs)."""
    with at(today):
        plan = make_plan(alice, start_date=START)
        make_check(plan, d(14))
        if goal is not None:  # sent with /rehab/start/: dated the plan's start date
            services.target_save(
                plan=plan, rows={"running": (goal, None)}, build_days=BUILD_DAYS, today=d(1), set_on=d(1)
            )
        for n in screens:
            make_screening(alice, taken_at=datetime.combine(d(n), time(10), tzinfo=UTC))
        client = Client()
        client.force_login(alice)
        post_logs(client, p_logs(today, sessions, changes, no_logs, extra))
        data = export(client)
    state = p_run(
        today,
        sessions,
        goal=goal,
        changes=changes,
        no_logs=no_logs,
        extra=extra,
        screens=[screen(n) for n in screens],
    )
    assert_same_as_engine(data, state)
    return data, state


def weeks_of(data) -> list[tuple[int, str | None]]:
    return [(w["target_minutes"], w["outcome"]) for w in data["plan"]["weeks"]]


# --- B01: the goal through /rehab/target/ -------------------------------------------------------


def test_b01_a_goal_posted_on_day_31_reopens_the_plan(alice):
    data, _state = scenario(alice, 31, goal=None)
    assert (data["plan"]["status"], data["plan"]["today"]["phase"]) == ("complete", "complete")
    assert data["plan"]["target"] is None
    client = Client()
    client.force_login(alice)
    with at(31):
        response = client.post("/rehab/target/", {"target_running_minutes": 240, "build_days": list(BUILD_DAYS)})
        assert response.status_code == 302
        data = export(client)
    assert_same_as_engine(data, p_run(31, goal=240, set_on=31))
    assert data["plan"]["target"] == {
        "activities": [{"activity": "running", "minutes": 240, "km": None, "set_on": d(31).isoformat()}],
        "build_days": ["mon", "wed", "fri"],
    }
    build = data["plan"]["today"]["build"]
    assert (build["week_index"], build["week_start"], build["week_target_minutes"]) == (1, d(31).isoformat(), 60)
    assert (build["week_done_minutes"], build["longest_allowed_minutes"]) == (0, 33)
    assert data["plan"]["today"]["session_due"] is False
    events = [(e["date"], e["rule"]) for e in data["plan"]["events"]]
    assert events[-3:] == [
        (d(28).isoformat(), "pass"),
        (d(28).isoformat(), "complete"),
        (d(31).isoformat(), "build_start"),
    ]


# --- B02–B12 ------------------------------------------------------------------------------------


def test_b02_five_weeks_climb_to_the_goal_and_complete(alice):
    data, _ = scenario(alice, 65, weeks(W1, W2, W3, W4, W5), goal=80)
    assert data["plan"]["status"] == "complete"
    assert [o for _t, o in weeks_of(data)] == ["up", "up", "up", "at_goal", "at_goal"]
    assert data["plan"]["events"][-1] == {"date": d(65).isoformat(), "rule": "complete"}


def test_b02m_the_middle_of_week_three_matches_the_today_line(alice):
    data, _ = scenario(alice, 46, weeks(W1, W2, {44: 25}), goal=80)
    build = data["plan"]["today"]["build"]
    assert (build["week_index"], build["week_target_minutes"], build["week_done_minutes"]) == (3, 73, 25)
    assert (build["week_left_minutes"], build["session_minutes"], build["longest_allowed_minutes"]) == (48, 24, 33)
    assert build["load_ratio"] == 0.73
    client = Client()
    client.force_login(alice)
    with at(46):
        page = client.get("/rehab/").content.decode()
    assert (
        "Build-back · week 3 · 73 min this week (25 done, 48 to go) · today: about 24 min easy, no longer than 33 min"
        in page
    )


def test_b03_a_small_goal_is_reached_from_week_one(alice):
    data, _ = scenario(alice, 44, {n: 15 for n in (30, 32, 34, 37, 39, 41)}, goal=45)
    assert data["plan"]["status"] == "complete"
    assert weeks_of(data) == [(45, "at_goal"), (45, "at_goal")]


def test_b04_pain_above_3_steps_back(alice):
    data, _ = scenario(alice, 42, weeks(W1, {37: 22, 39: 15, 41: 18}), changes={39: {"pain_during": 4}})
    build = data["plan"]["today"]["build"]
    assert (build["week_index"], build["week_target_minutes"], build["week_done_minutes"]) == (3, 53, 18)
    assert {"date": d(39).isoformat(), "rule": "E2"} in data["plan"]["events"]


def test_b05_morning_pain_then_pain_during(alice):
    changes = {
        39: {"pain_during": 2, "pain_morning": 3},
        40: {"pain_morning": 3},
        41: {"pain_during": 4, "pain_morning": 3},
    }
    data, _ = scenario(alice, 43, weeks(W1, {37: 22, 39: 22, 41: 18}), changes=changes)
    build = data["plan"]["today"]["build"]
    assert (build["week_index"], build["week_target_minutes"], build["load_ratio"]) == (4, 42, 1.03)
    assert data["plan"]["today"]["advice"] == []


def test_b06_two_failed_sessions_go_back_to_rest(alice):
    data, _ = scenario(
        alice, 53, weeks(W1, W2, {44: 20, 46: 10}), changes={44: {"pain_during": 4}, 46: {"stopped_early": True}}
    )
    today = data["plan"]["today"]
    assert (today["phase"], today["check_due"], today["advice"]) == ("rest", True, ["E4"])


def test_b07_cross_training_spike_holds_the_week(alice):
    data, _ = scenario(alice, 58, weeks(W1, W2, W3, W4), extra=CYCLING)
    build = data["plan"]["today"]["build"]
    assert (build["week_target_minutes"], build["session_minutes"], build["longest_allowed_minutes"]) == (80, 27, 29)
    assert build["load_ratio"] == 2.74
    assert data["plan"]["today"]["advice"] == ["L1"]
    assert data["plan"]["weeks"][3]["outcome"] == "hold"


def test_b08_spike_and_rising_pain_go_down(alice):
    changes = {53: {"pain_during": 2}, 55: {"pain_during": 3}}
    data, _ = scenario(alice, 58, weeks(W1, W2, W3, W4), extra=CYCLING, changes=changes)
    assert data["plan"]["weeks"][3]["outcome"] == "down"
    assert data["plan"]["today"]["build"]["week_target_minutes"] == 64


def test_b09_a_long_run_is_a_single_session_spike(alice):
    data, _ = scenario(alice, 45, weeks(W1, W2, {44: 34}))
    assert data["plan"]["today"]["advice"] == ["L2"]
    assert data["plan"]["today"]["build"]["longest_allowed_minutes"] == 37


def test_b10_four_weeks_without_logs(alice):
    data, _ = scenario(alice, 79, weeks(W1, W2, W3), no_logs=range(51, 79))
    assert [t for t, _o in weeks_of(data)] == [60, 66, 73, 80, 80, 64, 51, 41]
    assert data["plan"]["today"]["advice"] == ["L3"]


def test_b11_a_red_flag_pauses_build_back(alice):
    red = {39: {"new_symptoms": ("locked_knee",)}}
    data, _ = scenario(alice, 44, weeks(W1, {37: 22, 39: 22}), changes=red, no_logs=range(40, 46), screens=[45])
    assert (data["plan"]["status"], data["plan"]["today"]["phase"]) == ("paused", "build")
    assert data["plan"]["today"]["build"] is None


def test_b12_completion_needs_two_pain_free_weeks_at_the_goal(alice):
    sessions = weeks(W1, {n: 22 for n in (37, 39, 41, 44, 46, 48, 51, 53, 55)})
    data, _ = scenario(alice, 57, sessions, goal=66, changes={40: {"pain_worst": 2}})
    build = data["plan"]["today"]["build"]
    assert (build["week_target_minutes"], build["week_done_minutes"], build["week_left_minutes"]) == (66, 66, 0)
    assert build["goal_weeks"] == 1


# --- B13 / B14: the two precise readings -------------------------------------------------------


def test_b13_a_run_logged_before_the_goal_counts_in_week_one_without_a_step_back(alice):
    """On d31 the completed plan's log form asks no session questions; a 20-min run is logged,
    then the goal is saved the same day: week 1 starts with it done, no E2, no step-back."""
    changes = {31: {"activities": (run_(20),)}}
    data, _state = scenario(alice, 31, goal=None, changes=changes)
    assert data["plan"]["status"] == "complete"
    (log,) = [entry for entry in data["logs"] if entry["date"] == d(31).isoformat()]
    assert (log["pain_during"], log["stopped_early"]) == (None, None)
    client = Client()
    client.force_login(alice)
    with at(31):
        response = client.post("/rehab/target/", {"target_running_minutes": 240, "build_days": list(BUILD_DAYS)})
        assert response.status_code == 302
        data = export(client)
    assert_same_as_engine(data, p_run(31, goal=240, set_on=31, changes=changes))
    assert (data["plan"]["status"], data["plan"]["today"]["phase"]) == ("active", "build")
    build = data["plan"]["today"]["build"]
    assert (build["week_index"], build["week_start"]) == (1, d(31).isoformat())
    assert (build["week_target_minutes"], build["week_done_minutes"], build["week_left_minutes"]) == (60, 20, 40)
    assert [w["outcome"] for w in data["plan"]["weeks"]] == [None]
    assert not [e for e in data["plan"]["events"] if e["rule"] == "E2"]


def test_b14_nsaid_days_logged_while_paused_count_toward_e6(alice):
    changes = {n: {"nsaid": True} for n in range(28, 43)}
    changes[33] = {"nsaid": True, "new_symptoms": ("calf_swelling",)}
    data, _ = scenario(alice, 38, W1, changes=changes, screens=[39])
    assert (data["plan"]["status"], data["plan"]["today"]["phase"]) == ("paused", "build")
    assert data["plan"]["today"]["advice"] == []
    assert not [e for e in data["plan"]["events"] if e["rule"] == "E6"]


def test_b14_the_advice_and_its_event_come_on_the_first_active_day(alice):
    changes = {n: {"nsaid": True} for n in range(28, 43)}
    changes[33] = {"nsaid": True, "new_symptoms": ("calf_swelling",)}
    data, _ = scenario(alice, 40, W1, changes=changes, screens=[39])
    assert (data["plan"]["status"], data["plan"]["today"]["phase"]) == ("active", "rest")
    assert data["plan"]["today"]["advice"] == ["E6"]
    events = [(e["date"], e["rule"]) for e in data["plan"]["events"] if e["rule"] in ("E1", "resume", "E6")]
    assert events == [(d(33).isoformat(), "E1"), (d(39).isoformat(), "resume"), (d(40).isoformat(), "E6")]


# --- The entries themselves ---------------------------------------------------------------------


def test_the_export_and_csv_carry_the_entries_as_posted(alice):
    with at(31):
        plan = make_plan(alice, start_date=START)
        client = Client()
        client.force_login(alice)
        data = {
            "pain_worst": 1,
            "rested": "yes",
            "activities-TOTAL_FORMS": 3,
            "activities-INITIAL_FORMS": 0,
            "activities-0-kind": "running",
            "activities-0-duration_min": 20,
            "activities-0-distance_km": "3.2",
            "activities-0-rpe": 3,
            "activities-2-kind": "cycling",
            "activities-2-duration_min": 45,
        }
        assert client.post(f"/rehab/log/{d(5).isoformat()}/", data).status_code == 302
        logs = export(client)["logs"]
        csv_text = client.get("/rehab/export.csv").content.decode()
    assert logs[0]["activities"] == [
        {"kind": "running", "duration_min": 20, "distance_km": 3.2, "rpe": 3, "load_au": 60, "source": None},
        {"kind": "cycling", "duration_min": 45, "distance_km": None, "rpe": None, "load_au": None, "source": None},
    ]
    assert "running 20 min 3.2 km rpe 3; cycling 45 min" in csv_text
    assert list(ActivityEntry.objects.filter(log__plan=plan).values_list("position", "kind")) == [
        (0, "running"),
        (1, "cycling"),
    ]
    assert DailyLog.objects.count() == 1 and Plan.objects.count() == 1


@pytest.mark.parametrize("days", [7, 365])
def test_history_length_does_not_change_the_entries_read(alice, days, django_assert_num_queries):
    """The entries ride on the logs' query: the export's count is the same with or without them."""
    from datetime import timedelta

    with at(days):
        plan = make_plan(alice, start_date=START)
        for n in range(days):
            log = DailyLog.objects.create(plan=plan, date=START + timedelta(days=n), pain_worst=1)
            ActivityEntry.objects.create(log=log, position=0, kind="walking", duration_min=30)
        warm(plan)  # rows written behind the services' back: the state as the day's first page stores it
        client = Client()
        client.force_login(alice)
        with django_assert_num_queries(6):  # as tests/rehab/test_export.py's EXPORT_QUERIES
            data = export(client)
    assert len(data["logs"]) == days and all(log["activities"] for log in data["logs"])


# --- The quick log on today's page, in build-back -----------------------------------------------


def test_the_quick_log_in_build_back_carries_the_days_activities(alice):
    """Today's form holds the activity rows in build-back; a run logged from /rehab/ counts toward
    the week, with "session done" left to the entries (load.md §1) and the page back at the log."""
    data, _state = scenario(alice, 29)
    assert data["plan"]["today"]["phase"] == "build"
    client = Client()
    client.force_login(alice)
    with at(30):
        page = client.get("/rehab/").content.decode()
        assert 'name="activities-TOTAL_FORMS"' in page and 'name="from" value="today"' in page
        response = client.post(
            f"/rehab/log/{d(30).isoformat()}/",
            {
                "from": "today",
                "pain_worst": 1,
                "pain_during": 2,
                "stopped_early": "no",
                "activities-TOTAL_FORMS": 2,
                "activities-INITIAL_FORMS": 0,
                "activities-0-kind": "running",
                "activities-0-duration_min": 20,
                "activities-0-distance_km": "3.2",
                "activities-0-rpe": 3,
            },
        )
        assert (response.status_code, response["Location"]) == (302, "/rehab/#today-log")
        data = export(client)
    (log,) = [entry for entry in data["logs"] if entry["date"] == d(30).isoformat()]
    assert log["session_done"] == "yes"
    assert log["activities"] == [
        {"kind": "running", "duration_min": 20, "distance_km": 3.2, "rpe": 3, "load_au": 60, "source": None}
    ]
    assert data["plan"]["today"]["build"]["week_done_minutes"] == 20


def test_a_bad_activity_row_in_the_quick_log_is_flagged_at_the_top_and_by_its_field(alice):
    scenario(alice, 29)
    client = Client()
    client.force_login(alice)
    with at(30):
        response = client.post(
            f"/rehab/log/{d(30).isoformat()}/",
            {
                "from": "today",
                "pain_worst": 1,
                "notes": "kept",
                "activities-TOTAL_FORMS": 1,
                "activities-INITIAL_FORMS": 0,
                "activities-0-kind": "gym",
                "activities-0-duration_min": 30,
                "activities-0-distance_km": "2.0",
            },
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please check the answers marked below" in page  # the alert, though the log form itself is valid
    assert 'aria-invalid="true"' in page and "kept</textarea>" in page
    assert not DailyLog.objects.filter(plan__user=alice, date=d(30)).exists()
