"""GPX (gpxpy), TCX (defusedxml) and FIT (fitdecode) files → the activities they hold.

Every XML document has passed `readers.xml_root` first: defusedxml's parser reads its prolog with
DTDs, entities and external references forbidden, so a document that passes has no DTD at all.
Only then is it parsed, by gpxpy or by the standard library's C parser (defusedxml's own parser
is its pure-Python twin, 5–10 times slower, and has nothing left to refuse in such a document).
`start_only`: read just far enough for the start time and the sport (a Strava export's own
activities.csv has the moving time and distance, the file is read to confirm its start).

Moving time is what the file's device counted where it says so (a FIT session's or a TCX lap's
timer time, which leaves out auto-paused stops), else gpxpy's moving time (points faster than
1 km/h), else the time from the first to the last point.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import iterparse

import fitdecode
import gpxpy
import gpxpy.gpx
from defusedxml import DefusedXmlException

from .readers import FIT, GPX, TCX, Refused, xml_root


@dataclass
class Summary:
    """One activity as its file tells it (times in UTC; seconds and metres)."""

    started_at: datetime
    moving_s: int | None
    distance_m: float | None
    sport: str
    device: str = ""


def parse(kind: str, data: bytes, *, start_only: bool = False) -> list[Summary]:
    """The activities of one GPX, TCX or FIT file (at least one, or `Refused`)."""
    reader = {GPX: _gpx, TCX: _tcx, FIT: _fit}[kind]
    try:
        found = reader(data, start_only)
    except Refused:
        raise
    except DefusedXmlException as error:
        raise Refused("xml_entities") from error
    except Exception as error:  # a broken file raises anything from deep inside a parser
        raise Refused("unreadable", kind=kind.upper()) from error
    if not found:
        raise Refused("no_times")
    return found


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # GPX and TCX times are UTC when they don't say otherwise
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# --- GPX -----------------------------------------------------------------------------------------


def _gpx(data: bytes, start_only: bool) -> list[Summary]:
    if xml_root(data).lower() != "gpx":
        raise Refused("not_activity")
    if start_only:
        return _gpx_start(data)
    gpx = gpxpy.parse(data.decode("utf-8-sig"))
    bounds = gpx.get_time_bounds()
    start = _utc(bounds.start_time)
    if start is None:
        return []
    moving = gpx.get_moving_data()
    elapsed = (bounds.end_time - bounds.start_time).total_seconds() if bounds.end_time else 0
    seconds = moving.moving_time if moving and moving.moving_time else elapsed
    distance = gpx.length_2d() or None
    sport = next((track.type for track in gpx.tracks if track.type), "")
    return [Summary(start, round(seconds), distance, sport, (gpx.creator or "")[:100])]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _gpx_start(data: bytes) -> list[Summary]:
    """The first track point's time (else the file's metadata time) and the track's type."""
    path: list[str] = []
    sport, first, meta = "", None, None
    for event, element in iterparse(io.BytesIO(data), events=("start", "end")):  # no DTD: see xml_root
        name = _local(element.tag)
        if event == "start":
            path.append(name)
            continue
        path.pop()
        if name == "type" and path[-1:] == ["trk"]:
            sport = (element.text or "").strip()
        elif name == "time" and element.text:
            if path[-1:] == ["trkpt"]:
                first = element.text.strip()
                break
            if path[-1:] == ["metadata"]:
                meta = element.text.strip()
        element.clear()
    text = first or meta
    if not text:
        return []
    return [Summary(_utc(gpxpy.gpxfield.parse_time(text)), None, None, sport)]


# --- TCX -----------------------------------------------------------------------------------------


def _tcx(data: bytes, start_only: bool) -> list[Summary]:
    """Garmin's Training Center XML: each <Activity Sport="…"> with its laps' timer time and
    distance (read with defusedxml; tcxreader parses with the standard library from a path and
    leaves the laps' timer time out, see the README)."""
    if xml_root(data).lower() != "trainingcenterdatabase":
        raise Refused("not_activity")
    found: list[Summary] = []
    path: list[str] = []
    device = ""
    current: dict | None = None
    for event, element in iterparse(io.BytesIO(data), events=("start", "end")):  # no DTD: see xml_root
        name = _local(element.tag)
        if event == "start":
            path.append(name)
            if name == "Activity" and path[-2:-1] == ["Activities"]:
                current = {"sport": element.get("Sport", ""), "id": None, "laps": 0.0, "dist": 0.0, "first": None}
                current.update(last=None, lap_start=None, has_timer=False, has_dist=False)
            elif name == "Lap" and current is not None and current["lap_start"] is None:
                current["lap_start"] = element.get("StartTime")
            continue
        path.pop()
        text = (element.text or "").strip()
        if current is not None:
            if name == "Id" and path[-1:] == ["Activity"]:
                current["id"] = text
                if start_only and text:  # the start and the sport are known: enough
                    return [Summary(_utc(gpxpy.gpxfield.parse_time(text)), None, None, current["sport"])]
            elif name == "TotalTimeSeconds" and path[-1:] == ["Lap"] and text:
                current["laps"] += float(text)
                current["has_timer"] = True
            elif name == "DistanceMeters" and path[-1:] == ["Lap"] and text:
                current["dist"] += float(text)
                current["has_dist"] = True
            elif name == "Time" and path[-1:] == ["Trackpoint"] and text:
                current["first"] = current["first"] or text
                current["last"] = text
            elif name == "Name" and path[-2:] == ["Activity", "Creator"] and text:
                device = text
            elif name == "Activity":
                summary = _tcx_summary(current, device)
                if summary is not None:
                    found.append(summary)
                    if start_only:
                        return found
                current, device = None, ""
        if name in ("Trackpoint", "Lap", "Activity"):
            element.clear()
    return found


def _tcx_summary(activity: dict, device: str) -> Summary | None:
    text = activity["id"] or activity["lap_start"] or activity["first"]
    if not text:
        return None
    start = _utc(gpxpy.gpxfield.parse_time(text))
    seconds = activity["laps"] if activity["has_timer"] else None
    if seconds is None and activity["first"] and activity["last"]:
        first, last = (gpxpy.gpxfield.parse_time(t) for t in (activity["first"], activity["last"]))
        seconds = (last - first).total_seconds()
    distance = activity["dist"] if activity["has_dist"] else None
    return Summary(start, None if seconds is None else round(seconds), distance, activity["sport"], device[:100])


# --- FIT -----------------------------------------------------------------------------------------


def _fit(data: bytes, start_only: bool) -> list[Summary]:
    """Each session of the file (a triathlon has several): start, timer time, distance, sport;
    without a session message, the records' first and last time and distance."""
    found: list[Summary] = []
    device, first, last, distance, sport = "", None, None, None, ""
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED) as fit:
        for frame in fit:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "file_id":
                device = " ".join(str(v) for v in (_value(frame, "manufacturer"), _product(frame)) if v)
            elif frame.name == "sport":
                sport = str(_value(frame, "sport") or sport)
            elif frame.name == "record":
                moment = _value(frame, "timestamp")
                if isinstance(moment, datetime):
                    first = first or moment
                    last = moment
                    if start_only and not found:
                        return [Summary(_utc(moment), None, None, sport, device[:100])]
                value = _value(frame, "distance")
                distance = value if isinstance(value, int | float) else distance
            elif frame.name == "session":
                start = _value(frame, "start_time") or first
                if not isinstance(start, datetime):
                    continue
                timer = _value(frame, "total_timer_time")
                total = _value(frame, "total_distance")
                kind = _value(frame, "sport") or sport
                found.append(
                    Summary(
                        _utc(start),
                        round(timer) if isinstance(timer, int | float) else None,
                        float(total) if isinstance(total, int | float) else None,
                        str(kind or ""),
                        device[:100],
                    )
                )
                if start_only:
                    return found
    if not found and first is not None:
        found.append(Summary(_utc(first), round((last - first).total_seconds()), distance, sport, device[:100]))
    return found


def _value(frame, name: str):
    return frame.get_value(name, fallback=None)


def _product(frame) -> str:
    product = _value(frame, "garmin_product") or _value(frame, "product_name") or _value(frame, "product")
    return "" if product in (None, 0, "0") else str(product)
