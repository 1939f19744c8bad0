"""The person's data export: `/rehab/export.json` in the `itbcare.export/3` shape (plan.md's /1
"Export" contract, plus load.md §5's additions (/2), plus the function score (/3): each a strict
superset of the one before) and the CSV of daily logs."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from rehab import buildback as bb
from rehab import exports
from rehab.progression import Activity
from tests.factories import (
    ITBS_ANSWERS,
    make_check,
    make_completion,
    make_history,
    make_log,
    make_plan,
    make_screening,
    make_user,
    warm,
)
from tests.rehab.support import NOW, TODAY, W1, W2, d, p_run, weeks

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/export.json"
CSV_URL = "/rehab/export.csv"

#: /2's keys, every one kept by /3, which adds `psfs` (the function score).
TOP_KEYS_2 = {"schema", "exported_at", "screenings", "plan", "logs", "checks", "exercises_done"}
TOP_KEYS = TOP_KEYS_2 | {"psfs"}
SCREENING_KEYS = {"taken_at", "version", "outcome", "reasons", "answers"}
#: /1's keys plus export/2's `target` and `weeks` (load.md §5).
PLAN_KEYS = {"start_date", "activity", "status", "today", "events", "target", "weeks"}
TODAY_KEYS = {"date", "day", "phase", "level", "session_due", "check_due", "advice", "build"}
#: The contract's log fields, in the order the export example and the CSV give them.
LOG_COLUMNS = [
    "date",
    "pain_worst",
    "pain_morning",
    "rested",
    "session_done",
    "pain_during",
    "stopped_early",
    "swelling",
    "nsaid",
    "new_symptoms",
    "cross_training_minutes",
    "notes",
]
#: export/2 nests the day's activity entries in each log (load.md §1); the CSV gains one column.
LOG_KEYS = set(LOG_COLUMNS) | {"activities"}
CSV_COLUMNS = [*LOG_COLUMNS, "activities"]
CHECK_ANSWER_KEYS = {"check_new_symptoms", "check_daily_pain", "check_walk_30", "check_squat_pain", "check_hop_pain"}
EVENT_RULES = {
    "pass",
    "E1",
    "E2",
    "E3",
    "E4",
    "E5",
    "E6",
    "check_pass",
    "check_extend",
    "check_refer",
    "complete",
    "resume",
}


def export(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


@pytest.fixture
def plan(alice):
    """Day 16: a rest day logged on day 1, the check passed on day 14 with a session (level 1
    passed), and a session on day 16 that hurt and came with new local swelling (E2, then E3)."""
    plan = make_plan(alice, start_date=TODAY - timedelta(days=15))
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 17)}
    make_log(plan, day[1], pain_worst=5, rested=True, cross_training_minutes=30)
    make_check(plan, day[14], daily_pain=0, squat_pain=1, hop_pain=2)
    make_log(
        plan,
        day[14],
        pain_worst=2,
        pain_morning=1,
        session_done=True,
        pain_during=2,
        stopped_early=False,
        swelling="none",
        nsaid=False,
        notes="Felt fine",
    )
    make_log(
        plan, day[16], pain_worst=4, session_done=True, pain_during=6, stopped_early=True, nsaid=True, swelling="local"
    )
    make_completion(plan, day[3], "clamshell")
    make_completion(plan, day[3], "calf-stretch")
    make_completion(plan, day[16], "hip-hike")
    return plan


# --- The shape ----------------------------------------------------------------------------------


def test_the_export_has_exactly_the_contract_keys_and_schema(plan, alice_client):
    data = export(alice_client)
    assert set(data) == TOP_KEYS
    assert data["schema"] == "itbcare.export/3"
    assert data["exported_at"] == "2026-11-27T10:00:00Z"


def test_each_screening_has_its_time_version_outcome_reasons_and_answers(plan, alice_client):
    make_screening(plan.user, {**ITBS_ANSWERS, "pain_front": "yes"}, taken_at=NOW - timedelta(hours=2))
    screenings = export(alice_client)["screenings"]
    assert [set(s) for s in screenings] == [SCREENING_KEYS, SCREENING_KEYS]
    first, second = screenings
    assert first["taken_at"] == "2026-08-29T10:00:00Z"  # make_plan's screen, 90 days back, oldest first
    assert second["taken_at"] == "2026-11-27T08:00:00Z"
    assert (first["version"], first["outcome"], second["outcome"]) == ("2026.3", "itbs_likely", "not_typical")
    assert isinstance(first["reasons"], list) and "pain_outside" in first["reasons"]
    assert first["answers"]["age"] == 34
    assert first["answers"]["activity"] == "running"


def test_the_plan_holds_its_settings_todays_state_and_every_event(plan, alice_client):
    exported = export(alice_client)["plan"]
    assert set(exported) == PLAN_KEYS
    assert (exported["start_date"], exported["activity"], exported["status"]) == ("2026-11-12", "running", "active")
    assert set(exported["today"]) == TODAY_KEYS
    assert exported["today"] == {
        "date": "2026-11-27",
        "day": 16,
        "phase": "return",
        "level": 1,
        "session_due": False,
        "check_due": False,
        "advice": [],
        "build": None,
    }
    assert exported["events"] == [
        {"date": "2026-11-25", "rule": "check_pass"},
        {"date": "2026-11-25", "rule": "pass"},
        {"date": "2026-11-27", "rule": "E2"},
        {"date": "2026-11-27", "rule": "E3"},
    ]


def test_every_event_is_a_date_and_a_contract_rule(plan, alice_client):
    for event in export(alice_client)["plan"]["events"]:
        assert set(event) == {"date", "rule"}
        assert event["rule"] in EVENT_RULES
        date.fromisoformat(event["date"])


def test_logs_use_yes_no_strings_and_nulls_for_what_was_not_asked(plan, alice_client):
    logs = export(alice_client)["logs"]
    assert [set(log) for log in logs] == [LOG_KEYS] * 3
    assert logs[0] == {
        "date": "2026-11-12",
        "pain_worst": 5,
        "pain_morning": None,
        "rested": "yes",
        "session_done": None,
        "pain_during": None,
        "stopped_early": None,
        "swelling": None,  # not answered: unknown, not "none" (plan.md 2026.2)
        "nsaid": None,
        "new_symptoms": [],
        "cross_training_minutes": 30,
        "notes": "",
        "activities": [],
    }
    assert logs[1] == {
        "date": "2026-11-25",
        "pain_worst": 2,
        "pain_morning": 1,
        "rested": None,
        "session_done": "yes",
        "pain_during": 2,
        "stopped_early": "no",
        "swelling": "none",
        "nsaid": "no",
        "new_symptoms": [],
        "cross_training_minutes": None,
        "notes": "Felt fine",
        "activities": [],
    }
    assert (logs[2]["stopped_early"], logs[2]["nsaid"], logs[2]["swelling"]) == ("yes", "yes", "local")


def test_checks_carry_their_result_and_answers_under_the_contract_ids(plan, alice_client):
    checks = export(alice_client)["checks"]
    assert checks == [
        {
            "date": "2026-11-25",
            "result": "pass",
            "answers": {
                "check_new_symptoms": [],
                "check_daily_pain": 0,
                "check_walk_30": "yes",
                "check_squat_pain": 1,
                "check_hop_pain": 2,
            },
        }
    ]
    assert set(checks[0]["answers"]) == CHECK_ANSWER_KEYS


def test_exercises_done_list_each_date_and_slug(plan, alice_client):
    assert export(alice_client)["exercises_done"] == [
        {"date": "2026-11-14", "exercise": "calf-stretch"},
        {"date": "2026-11-14", "exercise": "clamshell"},
        {"date": "2026-11-27", "exercise": "hip-hike"},
    ]


def test_level_is_null_outside_the_return_phase(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    today = export(alice_client)["plan"]["today"]
    assert (today["phase"], today["level"], today["day"]) == ("rest", None, 4)


@pytest.mark.parametrize(
    "check, logs, result, rule, status",
    [
        ({"daily_pain": 3}, [(1, 6), (2, 6), (3, 6), (12, 2), (13, 2), (14, 2)], "extend", "check_extend", "active"),
        ({"walk_30": False}, [(1, 4), (14, 4)], "refer", "check_refer", "referred"),
        ({"new_symptoms": ["locked_knee"]}, [], "paused", "E1", "paused"),
    ],
    ids=["extend", "refer", "red-flag"],
)
def test_a_checks_result_follows_what_it_decided(alice, alice_client, check, logs, result, rule, status):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    for day, pain in logs:
        make_log(plan, plan.start_date + timedelta(days=day - 1), pain_worst=pain, rested=True)
    make_check(plan, TODAY, **check)
    data = export(alice_client)
    assert data["checks"][0]["result"] == result
    assert {"date": "2026-11-27", "rule": rule} in data["plan"]["events"]
    assert data["plan"]["status"] == status


def test_painkiller_advice_shows_in_todays_advice(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=11))
    for offset in range(11):
        make_log(plan, TODAY - timedelta(days=offset), rested=True, nsaid=True)
    assert export(alice_client)["plan"]["today"]["advice"] == ["E6"]


def test_the_plan_is_null_without_a_plan(alice, alice_client):
    make_screening(alice)
    data = export(alice_client)
    assert set(data) == TOP_KEYS
    assert data["plan"] is None
    assert (data["logs"], data["checks"], data["exercises_done"]) == ([], [], [])
    assert len(data["screenings"]) == 1


def test_the_export_downloads_as_an_attachment(plan, alice_client):
    disposition = alice_client.get(URL)["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="itbcare-export.json"' in disposition


def test_the_export_uses_the_persons_own_today(db):
    with time_machine.travel(datetime(2026, 11, 27, 12, 30, tzinfo=UTC), tick=False):  # 28 Nov in Auckland
        kiri = make_user("kiri", time_zone="Pacific/Auckland")
        make_plan(kiri, start_date=date(2026, 11, 19))
        client = Client()
        client.force_login(kiri)
        today = export(client)["plan"]["today"]
    assert (today["date"], today["day"]) == ("2026-11-28", 10)


# --- Privacy ------------------------------------------------------------------------------------


def test_bobs_export_contains_none_of_alices_data(plan, bob, bob_client):
    make_screening(bob, {**ITBS_ANSWERS, "age": 51})
    data = export(bob_client)
    assert data["plan"] is None
    assert (data["logs"], data["checks"], data["exercises_done"]) == ([], [], [])
    assert [s["answers"]["age"] for s in data["screenings"]] == [51]
    raw = bob_client.get(URL).content.decode()
    assert "Felt fine" not in raw
    assert "2026-11-12" not in raw


@pytest.mark.parametrize("path", [URL, CSV_URL])
def test_an_anonymous_visitor_is_sent_to_log_in(client, db, path):
    response = client.get(path)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={path}")


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_a_header_and_one_row_per_log(plan, alice_client):
    response = alice_client.get(CSV_URL)
    assert response["Content-Disposition"].startswith("attachment;")
    rows = read_csv(response)
    assert rows[0] == CSV_COLUMNS
    assert len(rows) == 1 + 3
    assert rows[1] == ["2026-11-12", "5", "", "yes", "", "", "", "", "", "", "30", "", ""]
    assert [row[0] for row in rows[1:]] == ["2026-11-12", "2026-11-25", "2026-11-27"]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY)
    make_log(plan, TODAY, rested=True, notes='=HYPERLINK("http://evil.example")')
    assert read_csv(alice_client.get(CSV_URL))[1][-2] == '\'=HYPERLINK("http://evil.example")'


def test_bobs_csv_has_only_the_header(plan, bob_client):
    assert len(read_csv(bob_client.get(CSV_URL))) == 1


# --- Query counts --------------------------------------------------------------------------------

#: Measured. JSON: session + user, screenings, the plan with its stored state and goal (one row),
#: every log (activity entries joined), check and completion in one UNION ALL, and (export/2)
#: every target row of the usual week. CSV: session + user, the plan, its logs and checks (one
#: query). (Issue 13: the state comes with the plan, so the screens are no longer read.)
EXPORT_QUERIES = 6
CSV_QUERIES = 4


@pytest.mark.parametrize("days", [7, 365])
def test_the_export_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(EXPORT_QUERIES):
        response = alice_client.get(URL)
    assert len(json.loads(response.content)["logs"]) == days
    with django_assert_num_queries(CSV_QUERIES):
        alice_client.get(CSV_URL)


@pytest.mark.parametrize("days", [7, 365])
def test_the_export_stays_within_9_queries(alice, alice_client, django_assert_max_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_max_num_queries(9):  # export/2: + the target rows (see EXPORT_QUERIES)
        alice_client.get(URL)


def test_log_rows_keep_their_values_in_the_right_fields():
    from dataclasses import fields

    from rehab.models import LOG_COLUMNS
    from rehab.rows import LogRow

    assert tuple(f.name for f in fields(LogRow)) == (*LOG_COLUMNS, "activities", "sources")


def test_the_export_is_compact_by_default(plan, alice_client):
    body = alice_client.get(URL).content.decode()
    assert "\n" not in body
    assert '": ' not in body and '", "' not in body  # no spaces after the separators either
    assert set(json.loads(body)) == TOP_KEYS


@pytest.mark.parametrize(("query", "pretty"), [("?pretty=1", True), ("?pretty=0", False), ("?pretty=yes", False)])
def test_pretty_output_on_request(plan, alice_client, query, pretty):
    body = alice_client.get(URL + query).content.decode()
    assert ("\n  " in body) is pretty
    assert json.loads(body) == json.loads(alice_client.get(URL).content)


# --- Build-back's records in their export/2 form (moved from test_buildback_rules.py) --------------


def test_build_export_shapes_export_2():
    s = p_run(46, weeks(W1, W2, {44: 25}), goal=80, extra={44: [Activity("cycling", 30, rpe=4)]})
    out = exports.build_export(s)
    assert out["build"]["week_index"] == 3
    assert out["build"]["load_ratio"] == float(Decimal("1.20"))  # 77 / 64 = 1.203
    assert out["build"]["build_days"] == ["mon", "wed", "fri"]
    assert out["build"]["goal_km"] is None and out["build"]["goal_weeks_needed"] == 2
    assert out["weeks"][0] == {
        "build": 1,
        "index": 1,
        "start": "2026-11-30",
        "end": "2026-12-06",
        "target_minutes": 60,
        "done_minutes": 60,
        "knee_minutes": 60,
        "load_au": 0,
        "max_pain_during": 1,
        "outcome": "up",
    }
    assert out["weeks"][2]["outcome"] is None and out["weeks"][2]["load_au"] == 120
    assert out["weeks"][2]["knee_minutes"] == 55
    assert exports.build_export(p_run(40, goal=None)) == {"build": None, "weeks": []}


def test_target_and_activity_export():
    target = bb.Target(minutes=240, set_on=d(1), km=Decimal("40.0"), build_days=("sat", "tue", "thu"))
    assert exports.target_export({"running": target}) == {
        "activities": [{"activity": "running", "minutes": 240, "km": 40.0, "set_on": "2026-11-01"}],
        "build_days": ["tue", "thu", "sat"],
    }
    assert exports.target_export(None) is None
    assert exports.activity_export(Activity("running", 20, Decimal("3.2"), 3)) == {
        "kind": "running",
        "duration_min": 20,
        "distance_km": 3.2,
        "rpe": 3,
        "load_au": 60,
        "source": None,
    }
