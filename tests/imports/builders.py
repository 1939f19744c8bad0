"""Activity files built in code: GPX written by gpxpy, TCX from a template, FIT written by
fit-tool, and a Strava-style export zip with activities.csv's traps."""

from __future__ import annotations

import csv
import gzip
import io
import math
import zipfile
from datetime import UTC, datetime, timedelta

import gpxpy
import gpxpy.gpx
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport

EARTH_RADIUS_M = 6378137.0  # gpxpy.geo's


def gpx_bytes(start: datetime, minutes: int, km: float, *, kind: str | None = "running", step_s: int = 10) -> bytes:
    """A straight track north at an even pace: `minutes` moving, `km` long, written by gpxpy."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Builder watch"
    track = gpxpy.gpx.GPXTrack()
    if kind:
        track.type = kind
    gpx.tracks.append(track)
    segment = gpxpy.gpx.GPXTrackSegment()
    track.segments.append(segment)
    steps = minutes * 60 // step_s
    per_step = km * 1000 / steps
    dlat = math.degrees(per_step / EARTH_RADIUS_M)
    for i in range(steps + 1):
        segment.points.append(
            gpxpy.gpx.GPXTrackPoint(45.0 + dlat * i, 6.0, elevation=500, time=start + timedelta(seconds=step_s * i))
        )
    return gpx.to_xml().encode()


TCX_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">
  <Activities>
    <Activity Sport="{sport}">
      <Id>{start}</Id>
{laps}
      <Creator xsi:type="Device_t" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Name>Forerunner 255</Name></Creator>
    </Activity>
  </Activities>
</TrainingCenterDatabase>
"""
LAP_TEMPLATE = """      <Lap StartTime="{start}">
        <TotalTimeSeconds>{seconds}</TotalTimeSeconds>
        <DistanceMeters>{metres}</DistanceMeters>
        <Track>
          <Trackpoint><Time>{start}</Time><DistanceMeters>0</DistanceMeters></Trackpoint>
          <Trackpoint><Time>{end}</Time><DistanceMeters>{metres}</DistanceMeters></Trackpoint>
        </Track>
      </Lap>"""


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tcx_bytes(start: datetime, laps: list[tuple[float, float]], *, sport: str = "Running", pause_s: int = 0) -> bytes:
    """Laps of (timer seconds, metres); `pause_s` of stopped time between laps (not counted)."""
    parts, at = [], start
    for seconds, metres in laps:
        end = at + timedelta(seconds=seconds)
        parts.append(LAP_TEMPLATE.format(start=_z(at), end=_z(end), seconds=seconds, metres=metres))
        at = end + timedelta(seconds=pause_s)
    return TCX_TEMPLATE.format(sport=sport, start=_z(start), laps="\n".join(parts)).encode()


def fit_bytes(
    start: datetime, timer_s: float, metres: float, *, sport=Sport.RUNNING, sub_sport=SubSport.GENERIC, session=True
) -> bytes:
    """A FIT activity written by fit-tool: a record every 10 s and (unless told) a session."""
    ms = int(start.timestamp() * 1000)
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 0
    file_id.time_created = ms
    file_id.serial_number = 1234
    builder.add(file_id)
    steps = int(timer_s // 10)
    for i in range(steps + 1):
        record = RecordMessage()
        record.timestamp = ms + i * 10_000
        record.distance = metres * i / steps
        builder.add(record)
    if session:
        message = SessionMessage()
        message.timestamp = ms + int(timer_s * 1000) + 300_000
        message.start_time = ms
        message.total_timer_time = timer_s
        message.total_elapsed_time = timer_s + 300
        message.total_distance = metres
        message.sport = sport
        message.sub_sport = sub_sport
        builder.add(message)
    return builder.build().to_bytes()


# --- Strava ------------------------------------------------------------------------------------

STRAVA_HEADER = [
    "Activity ID",
    "Activity Date",
    "Activity Name",
    "Activity Type",
    "Activity Description",
    "Elapsed Time",
    "Distance",
    "Max Heart Rate",
    "Relative Effort",
    "Commute",
    "Activity Private Note",
    "Activity Gear",
    "Filename",
    "Athlete Weight",
    "Bike Weight",
    "Elapsed Time",
    "Moving Time",
    "Distance",
    "Max Speed",
]
#: The same header as a German account writes it (Strava translates the header row).
STRAVA_HEADER_DE = [
    "Aktivitäts-ID",
    "Aktivitätsdatum",
    "Aktivitätsname",
    "Aktivitätsart",
    "Aktivitätsbeschreibung",
    "Verstrichene Zeit",
    "Distanz",
    "Maximale Herzfrequenz",
    "Relative Effort",
    "Pendeln",
    "Private Notiz zur Aktivität",
    "Aktivitätsausrüstung",
    "Dateiname",
    "Athletengewicht",
    "Fahrradgewicht",
    "Verstrichene Zeit",
    "Bewegungszeit",
    "Distanz",
    "Max. Geschwindigkeit",
]


def us_date(moment: datetime) -> str:
    """Strava's "Jan 5, 2026, 7:12:33 AM" (UTC)."""
    moment = moment.astimezone(UTC)
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment.year}, {hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


def strava_row(activity_id: int, start: datetime, kind: str, moving_s: int, metres: float, filename: str) -> list:
    """A row with both Distance columns: km (display units, first) and metres (second)."""
    return [
        str(activity_id),
        us_date(start),
        "Morning Run",
        kind,
        "",
        str(moving_s + 120),
        f"{metres / 1000:.2f}",
        "",
        "",
        "false",
        "",
        "",
        filename,
        "",
        "",
        f"{moving_s + 120}.0",
        f"{moving_s}.0",
        f"{metres:.1f}",
        "",
    ]


def strava_zip(rows: list[list], files: dict[str, bytes], *, header=STRAVA_HEADER, extra: dict | None = None) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", text.getvalue().encode())
        archive.writestr("profile.csv", b"Athlete ID\n1\n")
        for name, data in files.items():
            archive.writestr(name, data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# --- Hostile files -------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" creator="x"><trk><name>&lol9;</name></trk></gpx>
"""


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def zip_bomb(size: int = 40 * 1024 * 1024) -> bytes:
    """A zip whose one member unpacks to `size` bytes of zeros (about a thousandth as packed)."""
    return zip_of({"activities/bomb.gpx": b"\0" * size})
