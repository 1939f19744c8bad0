"""The person's data, whole: `itbcare.export/3` JSON (a contract; a strict superset of /2, which
was one of /1, load.md §5: /3 adds `psfs`, the function score), with build-back's records in their
export form, and a CSV of daily logs with their activity entries."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from screening.models import Screening

from . import outcomes, selectors
from .buildback import WEEKDAYS, Activity, Build, Target, Week, ratio_2dp
from .change import PSFS_MDC, average
from .models import LOG_COLUMNS, log_values
from .rows import Psfs
from .selectors import PlanPage

SCHEMA = "itbcare.export/3"
#: The CSV's columns: /1's log columns, then the day's activity entries in one cell (load.md §1).
CSV_COLUMNS = (*LOG_COLUMNS, "activities")
CHECK_RESULTS = {"check_pass": "pass", "check_extend": "extend", "check_refer": "refer"}


# --- The engine's records as export/2 writes them (load.md §5) -----------------------------------


def _number(value):
    return None if value is None else float(value)


def week_export(week: Week) -> dict:
    return {
        "build": week.build,
        "index": week.index,
        "start": week.start.isoformat(),
        "end": week.end.isoformat(),
        "target_minutes": week.target_minutes,
        "done_minutes": week.done_minutes,
        "knee_minutes": week.knee_minutes,
        "load_au": week.load_au,
        "max_pain_during": week.max_pain_during,
        "outcome": week.outcome,
    }


def build_today_export(build: Build | None) -> dict | None:
    if build is None:
        return None
    return {
        "week_index": build.week_index,
        "week_start": build.week_start.isoformat(),
        "week_end": build.week_end.isoformat(),
        "week_target_minutes": build.week_target_minutes,
        "week_done_minutes": build.week_done_minutes,
        "week_left_minutes": build.week_left_minutes,
        "session_minutes": build.session_minutes,
        "longest_allowed_minutes": build.longest_allowed_minutes,
        "load_ratio": _number(ratio_2dp(build.load_ratio)),
        "goal_minutes": build.goal_minutes,
        "goal_km": _number(build.goal_km),
        "start_minutes": build.start_minutes,
        "goal_weeks": build.goal_weeks,
        "goal_weeks_needed": build.goal_weeks_needed,
        "build_days": list(build.build_days),
    }


def target_export(targets: Mapping[str, Target] | None, build_days: Iterable[str] | None = None) -> dict | None:
    """The export/2 `plan.target` block from the target rows per activity (None without one)."""
    if not targets:
        return None
    days = tuple(build_days) if build_days is not None else next(iter(targets.values())).build_days
    return {
        "activities": [
            {"activity": activity, "minutes": t.minutes, "km": _number(t.km), "set_on": t.set_on.isoformat()}
            for activity, t in targets.items()
        ],
        "build_days": [code for code in WEEKDAYS if code in days],
    }


def activity_export(entry: Activity, source: tuple[str, str, str] = ("", "", "")) -> dict:
    """One activity entry; `source` is None when it was typed in, else where it was imported from:
    `{"type": "gpx" | "tcx" | "fit" | "strava", "file": name, "device": as the file says}`."""
    kind, file, device = source
    return {
        "kind": entry.kind,
        "duration_min": entry.duration_min,
        "distance_km": _number(entry.distance_km),
        "rpe": entry.rpe,
        "load_au": entry.load_au,
        "source": {"type": kind, "file": file, "device": device} if kind else None,
    }


def activity_sources(log) -> Iterable[tuple[Activity, tuple[str, str, str]]]:
    """The log's entries beside where each came from (typed in when the row does not say)."""
    sources = getattr(log, "sources", ())
    for index, entry in enumerate(getattr(log, "activities", ())):
        yield entry, sources[index] if index < len(sources) else ("", "", "")


def build_export(state) -> dict:
    """The export/2 additions read off a `PlanState`: `today.build` (None unless active in build)
    and `weeks` (every build week, old builds included; the current one with outcome None)."""
    return {
        "build": build_today_export(state.build),
        "weeks": [week_export(week) for week in state.weeks],
    }


# --- The function score (export/3) ----------------------------------------------------------------


def psfs_export(psfs: Psfs) -> dict:
    """export/3's `psfs`: every activity as named (retired ones with the date they stopped being
    rated), every date's ratings with their average (one decimal, as the pages show it), and the
    first rating against the latest on the activities rated both times, against 2 points."""
    score = outcomes.function_score(psfs)
    change = score.change
    return {
        "activities": [
            {
                "id": item.id,
                "position": item.position,
                "name": item.name,
                "retired_on": item.retired_on.isoformat() if item.retired_on else None,
            }
            for item in psfs.activities
        ],
        "ratings": [
            {
                "date": day.isoformat(),
                "scores": [{"activity": activity, "score": value} for activity, value in sorted(scores.items())],
                "average": _number(average(scores.values())),
            }
            for day, scores in psfs.scores.items()
        ],
        "change": {
            "first": score.first.isoformat() if score.first else None,
            "latest": score.last.isoformat() if score.last else None,
            "before": _number(change.before),
            "after": _number(change.after),
            "verdict": change.verdict,
            "threshold": _number(PSFS_MDC),
        },
    }


# --- The export -------------------------------------------------------------------------------------


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _log_row(log) -> dict:
    return {
        **log_values(log),
        "date": log.date.isoformat(),
        "activities": [activity_export(entry, source) for entry, source in activity_sources(log)],
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
        "psfs": psfs_export(page.psfs) if page else None,
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
