"""`python -m bench imports` (`make bench-imports`, and the last step of `make bench`): how long
reading a synthetic 1,000-activity Strava export takes, and the peak memory of the process.

The export is built once (cached in artifacts/bench/): 1,000 activities over three years, as a
Strava archive holds them: half GPX recorded every second (a phone), 40% FIT packed as .gz and
10% TCX packed as .gz (watches), 30 to 75 minutes each, plus activities.csv. Two readings:

- `strava`: the export as Strava writes it. activities.csv has the moving time and distance, so
  each file is read (and checked) only as far as its start.
- `files`: the same files with those two columns left out of activities.csv, so every file is
  parsed whole (gpxpy, fitdecode, the TCX reader): what uploading 1,000 loose files costs.

Each reading runs in a fresh process (`python -m bench imports --one <kind>`), `strava` three
times and `files` once; the figures are the median time and the highest peak resident memory
(VmHWM), with the memory before reading (Django loaded, the zip in memory) for comparison. No database: the worker's own cost is this reading.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "artifacts" / "bench"
COUNT = 1000
#: Runs per reading: the whole-file reading takes minutes, so it runs once.
RUNS = {"strava": 3, "files": 1}


def _gpx(start: datetime, seconds: int) -> bytes:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx creator="StravaGPX Android" version="1.1" xmlns="http://www.topografix.com/GPX/1/1">',
        f" <metadata><time>{start:%Y-%m-%dT%H:%M:%SZ}</time></metadata>",
        " <trk><name>Morning Run</name><type>running</type><trkseg>",
    ]
    lat, lon = 45.0, 6.0
    for i in range(seconds + 1):
        moment = start + timedelta(seconds=i)
        lat += 0.000025
        lines.append(
            f'  <trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{500 + (i % 50) / 10:.1f}</ele>'
            f"<time>{moment:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>"
        )
    lines.append(" </trkseg></trk>\n</gpx>\n")
    return "\n".join(lines).encode()


def _tcx(start: datetime, seconds: int) -> bytes:
    points = "\n".join(
        f"<Trackpoint><Time>{start + timedelta(seconds=i):%Y-%m-%dT%H:%M:%SZ}</Time>"
        f"<DistanceMeters>{i * 2.8:.1f}</DistanceMeters><HeartRateBpm><Value>140</Value></HeartRateBpm></Trackpoint>"
        for i in range(seconds + 1)
    )
    return (
        '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{start:%Y-%m-%dT%H:%M:%SZ}</Id><Lap StartTime="{start:%Y-%m-%dT%H:%M:%SZ}">'
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds><DistanceMeters>{seconds * 2.8:.1f}</DistanceMeters><Track>{points}</Track>"
        "</Lap></Activity></Activities></TrainingCenterDatabase>"
    ).encode()


def _fit_every_second(seconds: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer, Sport

    start = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)
    ms = int(start.timestamp() * 1000)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type, file_id.manufacturer, file_id.product = FileType.ACTIVITY, Manufacturer.GARMIN.value, 0
    file_id.time_created, file_id.serial_number = ms, 1
    builder.add(file_id)
    for i in range(seconds + 1):
        record = RecordMessage()
        record.timestamp = ms + i * 1000
        record.distance = i * 2.8
        record.heart_rate = 140
        record.position_lat = 45.0 + i * 0.000025
        record.position_long = 6.0
        builder.add(record)
    session = SessionMessage()
    session.timestamp, session.start_time = ms + seconds * 1000, ms
    session.total_timer_time, session.total_elapsed_time, session.total_distance = seconds, seconds, seconds * 2.8
    session.sport = Sport.RUNNING
    builder.add(session)
    return builder.build().to_bytes()


def build_export(path: Path, *, with_numbers: bool) -> Path:
    if path.exists():
        return path
    rng = random.Random(29)
    fits = {minutes: gzip.compress(_fit_every_second(minutes * 60), mtime=0) for minutes in (30, 45, 60, 75)}
    header = ["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description"]
    header += ["Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute", "Activity Private Note"]
    header += ["Activity Gear", "Filename", "Athlete Weight", "Bike Weight", "Elapsed Time", "Moving Time", "Distance"]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    buffer = io.BytesIO()
    start = datetime(2023, 11, 1, 6, 30, tzinfo=UTC)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for n in range(COUNT):
            moment = start + timedelta(days=n * 1.09, minutes=rng.randint(0, 600))
            minutes = rng.choice((30, 45, 60, 75))
            seconds = minutes * 60
            roll = n % 10
            if roll < 5:
                name, data = f"activities/{n}.gpx", _gpx(moment, seconds)
            elif roll < 9:
                name, data = f"activities/{n}.fit.gz", fits[minutes]
            else:
                name, data = f"activities/{n}.tcx.gz", gzip.compress(_tcx(moment, seconds), mtime=0)
            archive.writestr(name, data)
            hour = moment.hour % 12 or 12
            date = (
                f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"
            )
            metres = seconds * 2.8
            moving, distance = (f"{seconds}.0", f"{metres:.1f}") if with_numbers else ("", "")
            writer.writerow(
                [str(10_000 + n), date, "Run", "Run", "", str(seconds), f"{metres / 1000:.2f}", "", "", "false", ""]
                + ["", name, "", "", str(seconds), moving, distance]
            )
        archive.writestr("activities.csv", text.getvalue().encode())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


def _status_kb(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB. VmHWM is the peak resident
    set of this program (ru_maxrss would carry the parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _one(kind: str, path: str) -> None:
    """In a fresh process: read the export once and print the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from imports.pipeline import read_uploads

    data = Path(path).read_bytes()
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    outcome = read_uploads([("export.zip", data)])
    seconds = time.perf_counter() - started
    peak = _status_kb("VmHWM")
    print(
        json.dumps(
            {
                "kind": kind,
                "seconds": seconds,
                "activities": len(outcome.activities),
                "problems": len(outcome.problems),
                "rss_before_mb": before / 1024,
                "rss_peak_mb": peak / 1024,
                "zip_mb": len(data) / 1024 / 1024,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    argv = argv if argv is not None else sys.argv
    if "--one" in argv:
        at = argv.index("--one")
        _one(argv[at + 1], argv[at + 2])
        return 0
    exports = {
        "strava": build_export(OUT / "imports-strava-1000.zip", with_numbers=True),
        "files": build_export(OUT / "imports-files-1000.zip", with_numbers=False),
    }
    load = os.getloadavg()
    results = {}
    for kind, path in exports.items():
        runs = []
        for _ in range(RUNS[kind]):
            done = subprocess.run(
                [sys.executable, "-m", "bench", "imports", "--one", kind, str(path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        assert all(run["activities"] == COUNT and run["problems"] == 0 for run in runs), runs
        results[kind] = {
            "seconds_per_1000": round(statistics.median(run["seconds"] for run in runs) * 1000 / COUNT, 2),
            "runs_s": [round(run["seconds"], 2) for run in runs],
            "rss_before_mb": round(min(run["rss_before_mb"] for run in runs), 1),
            "rss_peak_mb": round(max(run["rss_peak_mb"] for run in runs), 1),
            "zip_mb": round(runs[0]["zip_mb"], 1),
        }
    report = {"when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "load_at_start": load, "results": results}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    OUT.mkdir(parents=True, exist_ok=True)
    for name in (f"imports-{stamp}.json", "imports-latest.json"):
        (OUT / name).write_text(json.dumps(report, indent=2))
    print(f"imports: load {load[0]:.1f} at the start")
    for kind, figures in results.items():
        print(
            f"  {kind:7s} {figures['seconds_per_1000']:6.2f} s per 1,000 activities (runs {figures['runs_s']}), "
            f"peak RSS {figures['rss_peak_mb']} MB (before reading {figures['rss_before_mb']} MB), zip {figures['zip_mb']} MB"
        )
    return 0
