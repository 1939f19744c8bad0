"""A Strava bulk export's activities.csv: one row per activity, in the account's language.

Its traps: two columns are called "Distance" (the first in the account's units, km or miles,
the second in metres), "Elapsed Time" appears twice too, "Activity Date" is UTC in US English
("Jan 5, 2026, 7:12:33 AM"), and the header row is translated ("Aktivitäts-ID", …). Columns are
found by name in several languages, else by Strava's fixed layout; the metres column is used
for distance, and the first Distance column (assumed km) only when there is no other.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from .readers import Refused

ID, DATE, TYPE, FILENAME, MOVING, ELAPSED, DISTANCE = "id", "date", "type", "filename", "moving", "elapsed", "distance"

#: Header names (lower case) → column, in the languages Strava writes; "distance" and "elapsed"
#: take every column of that name, in order.
HEADERS = {
    ID: (
        "activity id",
        "aktivitäts-id",
        "id de l'activité",
        "id de actividad",
        "id attività",
        "activiteit-id",
        "id da atividade",
    ),
    DATE: (
        "activity date",
        "aktivitätsdatum",
        "datum der aktivität",
        "date de l'activité",
        "fecha de la actividad",
        "data dell'attività",
        "activiteitsdatum",
        "data da atividade",
    ),
    TYPE: (
        "activity type",
        "aktivitätsart",
        "sportart",
        "type d'activité",
        "tipo de actividad",
        "tipo di attività",
        "activiteitstype",
        "tipo de atividade",
    ),
    FILENAME: (
        "filename",
        "dateiname",
        "nom du fichier",
        "nombre de archivo",
        "nome file",
        "bestandsnaam",
        "nome do arquivo",
    ),
    MOVING: (
        "moving time",
        "bewegungszeit",
        "zeit in bewegung",
        "temps de déplacement",
        "tiempo en movimiento",
        "tempo in movimento",
        "beweegtijd",
        "tempo em movimento",
    ),
    ELAPSED: (
        "elapsed time",
        "verstrichene zeit",
        "gesamtzeit",
        "temps écoulé",
        "tiempo transcurrido",
        "tempo trascorso",
        "verstreken tijd",
        "tempo decorrido",
    ),
    DISTANCE: ("distance", "distanz", "strecke", "distancia", "distanza", "afstand", "distância"),
}
_BY_NAME = {name: column for column, names in HEADERS.items() for name in names}
#: Strava's layout when the header is in a language we don't know (0-based positions).
LAYOUT = {ID: 0, DATE: 1, TYPE: 3, FILENAME: 12}
LAYOUT_LISTS = {ELAPSED: [5, 15], DISTANCE: [6, 17], MOVING: [16]}

_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_US_DATE = re.compile(
    r"^\s*([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?\s*$"
)


@dataclass
class Row:
    """One row of activities.csv, as plain values (None where a cell is empty or unreadable)."""

    line: int
    activity_id: str
    started_at: datetime | None
    type: str
    filename: str
    moving_s: int | None
    distance_m: float | None


def _columns(header: list[str]) -> dict[str, list[int]] | None:
    found: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        column = _BY_NAME.get(name.strip().lower())
        if column:
            found.setdefault(column, []).append(i)
    if {ID, DATE, TYPE} <= found.keys() or {ID, FILENAME} <= found.keys():
        return found
    if len(header) > max(LAYOUT_LISTS[DISTANCE]):
        return {**{k: [v] for k, v in LAYOUT.items()}, **LAYOUT_LISTS}
    return None


def parse_date(text: str) -> datetime | None:
    """Strava's "Jan 5, 2026, 7:12:33 AM" (UTC), or an ISO date and time; else None."""
    text = (text or "").strip()
    match = _US_DATE.match(text)
    if match:
        month = _MONTHS.get(match[1].lower())
        if month is None:
            return None
        hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
        if match[7]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if match[7].lower() == "pm" else 0)
        try:
            return datetime(int(match[3]), month, int(match[2]), hour, minute, second, tzinfo=UTC)
        except ValueError:
            return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _number(text: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):  # 10,020.5
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d+", text):  # 10,02 in languages with a decimal comma
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


def read(data: bytes) -> list[Row]:
    """Every row of activities.csv (`Refused` when it isn't one)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused("csv_unreadable") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        columns = _columns(header or [])
        if columns is None:
            raise Refused("csv_unreadable")
        rows = []
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_row(line, cells, columns))
    except csv.Error as error:
        raise Refused("csv_unreadable") from error
    return rows


def _row(line: int, cells: list[str], columns: dict[str, list[int]]) -> Row:
    def cell(column: str, which: int = 0) -> str:
        places = columns.get(column, [])
        if not places:
            return ""
        at = places[which] if which < len(places) else places[-1]
        return cells[at] if at < len(cells) else ""

    distances = columns.get(DISTANCE, [])
    metres = _number(cell(DISTANCE, 1)) if len(distances) > 1 else None
    if metres is None and len(distances) == 1:
        km = _number(cell(DISTANCE, 0))
        metres = None if km is None else km * 1000
    moving = _number(cell(MOVING))
    activity_id = cell(ID).strip()
    return Row(
        line=line,
        activity_id=activity_id if re.fullmatch(r"\d{1,30}", activity_id) else "",
        started_at=parse_date(cell(DATE)),
        type=cell(TYPE).strip()[:60],
        filename=cell(FILENAME).strip(),
        moving_s=None if moving is None else round(moving),
        distance_m=metres,
    )
