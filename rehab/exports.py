"""The person's data, whole: `itbcare.export/2` JSON (a contract; a strict superset of /1, load.md
§5) and a CSV of daily logs with their activity entries."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from screening.models import Screening

from . import selectors
from .buildback import activity_export, build_export, target_export
from .models import LOG_COLUMNS, log_values
from .selectors import PlanPage

SCHEMA = "itbcare.export/2"
#: The CSV's columns: /1's log columns, then the day's activity entries in one cell (load.md §1).
CSV_COLUMNS = (*LOG_COLUMNS, "activities")
CHECK_RESULTS = {"check_pass": "pass", "check_extend": "extend", "check_refer": "refer"}


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _log_row(log) -> dict:
    return {
        **log_values(log),
        "date": log.date.isoformat(),
        "activities": [activity_export(entry) for entry in getattr(log, "activities", ())],
    }


def _csv_activities(entries) -> str:
    """The day's entries in one cell: "running 20 min 3.2 km rpe 3; cycling 45 min"."""
    parts = []
    for entry in entries:
        words = [entry["kind"], f"{entry['duration_min']} min"]
        if entry["distance_km"] is not None:
            words.append(f"{entry['distance_km']} km")
        if entry["rpe"] is not None:
            words.append(f"rpe {entry['rpe']}")
        parts.append(" ".join(words))
    return "; ".join(parts)


def _check_result(page: PlanPage, check) -> str:
    for event in page.state.events_on(check.date):
        if event.rule in CHECK_RESULTS:
            return CHECK_RESULTS[event.rule]
        if event.rule == "E1" and check.new_symptoms and event.detail == tuple(check.new_symptoms):
            return "paused"
    return "not_counted"  # taken when no check was due (e.g. a later edit paused the plan first)


def _plan(page: PlanPage) -> dict:
    state = page.state
    build = build_export(state)
    return {
        "start_date": page.plan.start_date.isoformat(),
        "activity": page.plan.activity,
        "status": state.status,
        "today": {
            "date": state.today.isoformat(),
            "day": state.day,
            "phase": state.phase,
            "level": state.level,
            "session_due": state.session_due,
            "check_due": state.check_due,
            "advice": list(state.advice),
            "build": build["build"],
        },
        "events": [{"date": e.date.isoformat(), "rule": e.rule} for e in state.events],
        "target": target_export(selectors.plan_targets(page), page.plan.build_days),
        "weeks": build["weeks"],
    }


def export_data(user) -> dict:
    screenings = Screening.objects.filter(user=user).order_by("taken_at")
    page = selectors.export_data(user)
    return {
        "schema": SCHEMA,
        "exported_at": _utc(timezone.now()),
        "screenings": [
            {
                "taken_at": _utc(s.taken_at),
                "version": s.version,
                "outcome": s.outcome,
                "reasons": list(s.reasons),
                "answers": dict(s.answers),
            }
            for s in screenings
        ],
        "plan": _plan(page) if page else None,
        "logs": [_log_row(log) for log in page.logs.values()] if page else [],
        "checks": (
            [
                {"date": c.date.isoformat(), "result": _check_result(page, c), "answers": c.answers()}
                for c in page.checks.values()
            ]
            if page
            else []
        ),
        "exercises_done": (
            [
                {"date": day.isoformat(), "exercise": slug}
                for day in sorted(page.done)
                for slug in sorted(page.done[day])
            ]
            if page
            else []
        ),
    }


def json_response(user, *, pretty: bool = False) -> JsonResponse:
    # Compact by default (json's C encoder is skipped when `indent` is set); indented on request.
    params = {"indent": 2} if pretty else {"separators": (",", ":")}
    return JsonResponse(export_data(user), json_dumps_params={**params, "ensure_ascii": False})


def csv_response(user) -> HttpResponse:
    page = selectors.history_page(user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="itbcare-daily-logs.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for log in page.logs.values() if page else ():
        row = _log_row(log)
        row["new_symptoms"] = " ".join(row["new_symptoms"])
        row["activities"] = _csv_activities(row["activities"])
        writer.writerow(_spreadsheet_safe(row[column]) for column in CSV_COLUMNS)
    return response


def _spreadsheet_safe(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value
