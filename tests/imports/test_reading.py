"""Each format reads with the right start, kind, moving minutes and km; hostile and broken files
each get their own message and never stop the others (no database here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fit_tool.profile.profile_type import Sport, SubSport

from imports import limits
from imports.kinds import map_kind
from imports.pipeline import read_uploads
from imports.strava import parse_date
from tests.imports.builders import (
    BILLION_LAUGHS,
    STRAVA_HEADER_DE,
    fit_bytes,
    gpx_bytes,
    gz,
    strava_row,
    strava_zip,
    tcx_bytes,
    zip_bomb,
    zip_of,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
START = datetime(2026, 10, 3, 6, 15, tzinfo=UTC)


def read(*uploads, now=NOW):
    return read_uploads(list(uploads), now=now)


def only(outcome) -> dict:
    assert not outcome.problems, outcome.problems
    (activity,) = outcome.activities
    return activity


def minutes(activity) -> int:
    return (2 * activity["moving_s"] + 60) // 120


def test_a_gpx_written_by_gpxpy_reads_its_start_kind_moving_time_and_distance():
    activity = only(read(("run.gpx", gpx_bytes(START, 42, 7.5, kind="running"))))
    assert activity["start"] == START.isoformat()
    assert (activity["kind"], activity["sport"], activity["source"]) == ("running", "running", "gpx")
    assert minutes(activity) == 42
    assert round(activity["distance_m"] / 1000, 1) == 7.5
    assert activity["device"] == "Builder watch"
    assert activity["id"].startswith("gpx:") and activity["id"].endswith(":0")


def test_a_tcx_counts_its_laps_timer_time_not_the_stops_between_them():
    data = tcx_bytes(START, [(1200, 4000.0), (900.4, 3000.0)], sport="Biking", pause_s=600)
    activity = only(read(("ride.tcx", data)))
    assert activity["start"] == START.isoformat()
    assert activity["kind"] == "cycling" and activity["sport"] == "Biking"
    assert minutes(activity) == 35  # 2100.4 s of timer; the 10-minute stop is left out
    assert activity["distance_m"] == 7000.0
    assert activity["device"] == "Forerunner 255"


def test_a_fit_written_by_fit_tool_reads_its_session():
    data = fit_bytes(START, 3000.0, 10_020.0, sport=Sport.RUNNING, sub_sport=SubSport.TREADMILL)
    activity = only(read(("treadmill.fit", data)))
    assert activity["start"] == START.isoformat()
    assert activity["kind"] == "running" and activity["sport"] == "running"
    assert minutes(activity) == 50 and activity["distance_m"] == 10_020.0
    assert activity["source"] == "fit"


def test_a_fit_without_a_session_falls_back_to_its_records():
    activity = only(read(("hike.fit", fit_bytes(START, 3600.0, 6000.0, session=False))))
    assert activity["start"] == START.isoformat()
    assert minutes(activity) == 60 and activity["distance_m"] == pytest.approx(6000.0)
    assert activity["kind"] == "other"  # the records name no sport


@pytest.mark.parametrize(
    "name, data",
    [
        ("run.gpx.gz", gz(gpx_bytes(START, 30, 5.0))),
        ("run.tcx.gz", gz(tcx_bytes(START, [(1800, 5000.0)]))),
        ("run.fit.gz", gz(fit_bytes(START, 1800.0, 5000.0))),
    ],
)
def test_gz_of_each_format_reads_the_same(name, data):
    activity = only(read((name, data)))
    assert activity["start"] == START.isoformat() and minutes(activity) == 30
    assert round(activity["distance_m"] / 1000, 1) == 5.0


def test_the_same_file_packed_or_not_has_the_same_external_id():
    data = gpx_bytes(START, 30, 5.0)
    assert only(read(("a.gpx", data)))["id"] == only(read(("a.gpx.gz", gz(data))))["id"]


@pytest.mark.parametrize(
    "raw, kind",
    [
        ("Run", "running"),
        ("TrailRun", "running"),
        ("Treadmill", "running"),
        ("Ride", "cycling"),
        ("VirtualRide", "cycling"),
        ("Hike", "hiking"),
        ("Walk", "walking"),
        ("Swim", "swimming"),
        ("Yoga", "other"),
        ("", "other"),
        ("Lauf", "running"),
        ("9", "running"),
    ],
)
def test_kinds_map_to_ours(raw, kind):
    assert map_kind(raw) == kind


# --- Strava ------------------------------------------------------------------------------------


def _export(header=None):
    late = datetime(2026, 10, 4, 23, 30, tzinfo=UTC)  # late evening UTC: the next day further east
    rows = [
        strava_row(101, START, "Run", 2520, 7512.3, "activities/101.gpx"),
        strava_row(102, late, "Ride", 3600, 25_000.0, "activities/102.fit.gz"),
        strava_row(103, START + timedelta(days=2), "Walk", 1800, 2500.0, ""),  # typed on Strava: no file
    ]
    files = {
        "activities/101.gpx": gpx_bytes(START, 40, 7.0),  # the CSV's moving time and distance win
        "activities/102.fit.gz": gz(fit_bytes(late, 3500.0, 24_000.0, sport=Sport.CYCLING)),
    }
    kwargs = {"header": header} if header else {}
    return strava_zip(rows, files, extra={"media/photo.jpg": b"\xff\xd8\xff"}, **kwargs)


@pytest.mark.parametrize("header", [None, STRAVA_HEADER_DE], ids=["english", "german header"])
def test_a_strava_export_reads_activities_csv_and_its_files(header):
    outcome = read(("export_12345.zip", _export(header)))
    assert not outcome.problems
    found = {a["id"]: a for a in outcome.activities}
    assert set(found) == {"strava:101", "strava:102", "strava:103"}
    run = found["strava:101"]
    assert run["start"] == START.isoformat()  # "Oct 3, 2026, 6:15:00 AM" UTC
    assert (run["kind"], run["source"], run["sport"]) == ("running", "strava", "Run")
    assert minutes(run) == 42 and run["distance_m"] == 7512.3  # metres, the second Distance column
    assert found["strava:102"]["kind"] == "cycling" and found["strava:102"]["distance_m"] == 25_000.0
    assert found["strava:103"]["kind"] == "walking" and minutes(found["strava:103"]) == 30
    assert outcome.ignored == 2  # profile.csv and the photo


def test_strava_dates_are_utc_in_us_format():
    assert parse_date("Oct 4, 2026, 11:30:00 PM") == datetime(2026, 10, 4, 23, 30, tzinfo=UTC)
    assert parse_date("Jan 5, 2026, 12:05:09 AM") == datetime(2026, 1, 5, 0, 5, 9, tzinfo=UTC)
    assert parse_date("5 janv. 2026, 07:00:00") is None


def test_an_export_over_the_activity_limit_reads_the_newest(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ACTIVITIES", 2)
    rows = [strava_row(200 + i, START + timedelta(days=i), "Run", 1800, 5000.0, "") for i in range(4)]
    outcome = read(("export.zip", strava_zip(rows, {})))
    assert sorted(a["id"] for a in outcome.activities) == ["strava:202", "strava:203"]
    assert [p["code"] for p in outcome.problems] == ["too_many_rows"]


# --- Hostile and broken files: one message each, nothing read from them, the rest still read ---

GOOD = ("good.gpx", gpx_bytes(START, 30, 5.0))


@pytest.mark.parametrize(
    "upload, code",
    [
        (("empty.gpx", b""), "empty"),
        (("laughs.gpx", BILLION_LAUGHS), "xml_entities"),
        (("bomb.zip", zip_bomb()), ("activities/bomb.gpx", "bomb")),
        (("ratio.zip", zip_of({"a.gpx": b"\0" * (3 * 1024 * 1024)})), ("a.gpx", "bomb")),
        (("bomb.gpx.gz", gz(b"\0" * (40 * 1024 * 1024))), "bomb"),
        (("notes.gpx", b"%PDF-1.7 not an activity"), "not_activity"),
        (("page.gpx", b"<html><body>hi</body></html>"), "not_activity"),
        (("broken.fit", fit_bytes(START, 600.0, 100.0)[:30]), "unreadable"),
        (("cut.gpx", gpx_bytes(START, 30, 5.0)[:400]), "unreadable"),
        (
            (
                "nothing.gpx",
                b'<gpx version="1.1" creator="x"><trk><trkseg><trkpt lat="1" lon="1"/></trkseg></trk></gpx>',
            ),
            "no_times",
        ),
        (("later.gpx", gpx_bytes(NOW + timedelta(days=30), 30, 5.0)), "future"),
        (("clock.gpx", gpx_bytes(datetime(1985, 1, 1, tzinfo=UTC), 30, 5.0)), "too_old"),
        (("ultra.gpx", gpx_bytes(START, 700, 90.0, step_s=60)), "too_long"),
        (("short.gpx", gpx_bytes(START, 1, 0.2, step_s=20)), None),
    ],
)
def test_each_bad_file_gets_its_own_message_and_the_good_one_still_reads(upload, code):
    outcome = read(upload, GOOD)
    assert [a["file"] for a in outcome.activities][-1] == "good.gpx"
    if code is None:
        assert not outcome.problems and len(outcome.activities) == 2
        return
    expected = code if isinstance(code, tuple) else (upload[0], code)
    assert [(p["file"], p["code"]) for p in outcome.problems] == [expected]
    assert len(outcome.activities) == 1


def test_zip_paths_that_point_outside_the_export_are_refused():
    data = zip_of(
        {
            "../evil.gpx": gpx_bytes(START, 30, 5.0),
            "/etc/cron.gpx": gpx_bytes(START, 31, 5.0),
            "ok/run.gpx": gpx_bytes(START + timedelta(days=1), 32, 5.0),
        }
    )
    outcome = read(("files.zip", data))
    assert sorted((p["file"], p["code"]) for p in outcome.problems) == [
        ("../evil.gpx", "unsafe_path"),
        ("/etc/cron.gpx", "unsafe_path"),
    ]
    assert [a["file"] for a in outcome.activities] == ["ok/run.gpx"]


def test_a_strava_row_naming_a_path_outside_the_export_is_refused():
    rows = [
        strava_row(1, START, "Run", 1800, 5000.0, "../../etc/passwd"),
        strava_row(2, START + timedelta(days=1), "Run", 1800, 5000.0, "activities/2.gpx"),
    ]
    outcome = read(("export.zip", strava_zip(rows, {"activities/2.gpx": gpx_bytes(START + timedelta(days=1), 30, 5)})))
    assert [(p["file"], p["code"]) for p in outcome.problems] == [("../../etc/passwd", "unsafe_path")]
    assert [a["id"] for a in outcome.activities] == ["strava:2"]


def test_a_bomb_inside_a_strava_export_is_refused_and_the_rest_reads():
    rows = [
        strava_row(1, START, "Run", 1800, 5000.0, "activities/1.gpx"),
        strava_row(2, START + timedelta(days=1), "Run", 1800, 5000.0, "activities/2.gpx.gz"),
    ]
    files = {"activities/1.gpx": b"\0" * (40 * 1024 * 1024), "activities/2.gpx.gz": gz(gpx_bytes(START, 30, 5))}
    outcome = read(("export.zip", strava_zip(rows, files)))
    assert [(p["file"], p["code"]) for p in outcome.problems] == [("activities/1.gpx", "bomb")]
    assert [a["id"] for a in outcome.activities] == ["strava:2"]


def test_everything_unpacked_from_one_upload_is_limited_too(monkeypatch):
    monkeypatch.setattr(limits, "MAX_TOTAL_UNPACKED", 200_000)
    big = gpx_bytes(START, 60, 10.0, step_s=5)  # ~100 kB each
    outcome = read(*[(f"{i}.gpx.gz", gz(gpx_bytes(START + timedelta(days=i), 60, 10.0, step_s=5))) for i in range(4)])
    assert len(big) > 70_000
    assert [p["code"] for p in outcome.problems] == ["total_too_big", "total_too_big"]
    assert len(outcome.activities) == 2
