"""One upload (files and zips as bytes) → the activities found and a message per file that failed.

Pure reading: no database, no request. The worker runs it on a job's uploads and stores the
result; the preview and the confirmation turn it into activity entries. Everything stays in
memory; each file is read within the limits of `imports.limits`, and one bad file never stops
the others.
"""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO

from . import limits, strava
from .kinds import map_kind
from .parsers import Summary, parse
from .readers import ZIP, Budget, Refused, gunzip, is_gzip, safe_member_name, shown_name, sniff, unpack_cap

#: Activity files inside a zip without activities.csv (anything else there is not read).
ACTIVITY_SUFFIXES = (".gpx", ".tcx", ".fit", ".gpx.gz", ".tcx.gz", ".fit.gz")
#: The earliest start we believe (FIT's clock starts on 31 Dec 1989; a reset watch says so).
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
MAX_MINUTES, MAX_KM = 600, 300


@dataclass
class Outcome:
    """What one upload held: activities (plain dicts, stored as JSON on the job) and problems
    ({"file", "code", "params"}), in the order met."""

    activities: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    #: Files of a zip that were not activity files (photos, settings): not read, only counted.
    ignored: int = 0


class _Full(Exception):
    pass


class Reader:
    def __init__(self, *, now: datetime | None = None, progress: Callable[[int, int], None] | None = None) -> None:
        self.now = now or datetime.now(UTC)
        self.progress = progress or (lambda done, total: None)
        self.outcome = Outcome()
        self.budget = Budget()
        self.done = self.total = 0
        self.full_reported = False

    # --- entry point ------------------------------------------------------------------------

    def read(self, uploads: list[tuple[str, bytes]]) -> Outcome:
        self.total = len(uploads)
        self.progress(0, self.total)
        for name, data in uploads:
            label = shown_name(posixpath.basename(name.replace("\\", "/")) or name)
            try:
                self._upload(label, data)
            except Refused as refused:
                self._problem(label, refused)
            except _Full:
                break
            self._step()
        self.progress(self.total, self.total)
        return self.outcome

    def _step(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        self.progress(self.done, self.total)

    def _problem(self, label: str, refused: Refused) -> None:
        self.outcome.problems.append({"file": label, "code": refused.code, "params": refused.params})

    # --- files -----------------------------------------------------------------------------

    def _upload(self, label: str, data: bytes) -> None:
        if len(data) > limits.MAX_UPLOAD_BYTES:
            raise Refused("upload_too_big", mb=limits.MAX_UPLOAD_BYTES // limits.MiB)
        if is_gzip(data):
            data = gunzip(data, self.budget)
            if is_gzip(data):
                raise Refused("not_activity")
        elif len(data) > limits.MAX_FILE_BYTES and sniff(data) != ZIP:
            raise Refused("file_too_big", mb=limits.MAX_FILE_BYTES // limits.MiB)
        kind = sniff(data)
        if kind == ZIP:
            self._zip(label, data)
            return
        self._file(label, kind, data)

    def _file(self, label: str, kind: str, data: bytes) -> None:
        digest = hashlib.sha256(data).hexdigest()[:40]
        for index, summary in enumerate(parse(kind, data)):
            self._add(label, summary, external_id=f"{kind}:{digest}:{index}", source=kind)

    # --- zips ------------------------------------------------------------------------------

    def _zip(self, label: str, data: bytes) -> None:
        try:
            archive = zipfile.ZipFile(BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
            raise Refused("unreadable_zip") from error
        if len(infos) > limits.MAX_ZIP_MEMBERS:
            raise Refused("zip_too_many", count=len(infos), limit=limits.MAX_ZIP_MEMBERS)
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            safe = safe_member_name(info.filename)
            if safe is None:
                self._problem(shown_name(info.filename), Refused("unsafe_path"))
                continue
            members.setdefault(safe, info)
        tables = sorted((n for n in members if posixpath.basename(n).lower() == "activities.csv"), key=len)
        if tables:
            self._strava(archive, members, tables[0])
        else:
            self._bundle(archive, members)

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, refused past the size or ratio limit (declared or real)."""
        if info.flag_bits & 0x1:
            raise Refused("encrypted")
        cap = unpack_cap(info.compress_size)
        if info.file_size > cap:
            raise Refused("bomb", mb=limits.MAX_FILE_BYTES // limits.MiB, ratio=limits.MAX_RATIO)
        try:
            with archive.open(info) as member:
                data = member.read(cap + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError) as error:
            raise Refused("unreadable_member") from error
        except Exception as error:  # zlib.error and the like from a damaged member
            raise Refused("unreadable_member") from error
        if len(data) > cap:
            raise Refused("bomb", mb=limits.MAX_FILE_BYTES // limits.MiB, ratio=limits.MAX_RATIO)
        self.budget.spend(len(data))
        if is_gzip(data):
            data = gunzip(data, self.budget)
        if not data:
            raise Refused("empty")
        return data

    def _bundle(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> None:
        """A zip of activity files (a Garmin export, a folder zipped by hand)."""
        names = [n for n in members if n.lower().endswith(ACTIVITY_SUFFIXES)]
        self.outcome.ignored += len(members) - len(names)
        self.total += max(0, len(names) - 1)
        for name in names:
            label = shown_name(name)
            try:
                data = self._member(archive, members[name])
                kind = sniff(data)
                if kind == ZIP:
                    raise Refused("zip_in_zip")
                self._file(label, kind, data)
            except Refused as refused:
                self._problem(label, refused)
            self._step()
        self.done -= 1  # the zip itself is counted by `read`

    def _strava(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], table: str) -> None:
        """A Strava bulk export: activities.csv and the files its rows name."""
        try:
            rows = strava.read(self._member(archive, members[table]))
        except Refused as refused:
            self._problem(shown_name(table), refused)
            return
        if len(rows) > limits.MAX_ACTIVITIES:
            oldest = datetime.min.replace(tzinfo=UTC)
            rows.sort(key=lambda row: row.started_at or oldest, reverse=True)
            self._problem(
                shown_name(table),
                Refused("too_many_rows", count=len(rows), limit=limits.MAX_ACTIVITIES),
            )
            rows = rows[: limits.MAX_ACTIVITIES]
        base = posixpath.dirname(table)
        used = {table}
        self.total += max(0, len(rows) - 1)
        for row in rows:
            label = shown_name(row.filename or f"activities.csv, line {row.line}")
            try:
                self._strava_row(archive, members, base, row, label, used)
            except Refused as refused:
                self._problem(label, refused)
            self._step()
        self.done -= 1
        self.outcome.ignored += sum(1 for name in members if name not in used)

    def _strava_row(self, archive, members, base: str, row: strava.Row, label: str, used: set[str]) -> None:
        if not row.activity_id:
            raise Refused("no_id", line=row.line)
        summary: Summary | None = None
        if row.filename:
            safe = safe_member_name(row.filename)
            if safe is None:
                raise Refused("unsafe_path")
            path = posixpath.normpath(posixpath.join(base, safe)) if base else safe
            info = members.get(path)
            if info is not None:
                used.add(path)
                data = self._member(archive, info)
                kind = sniff(data)
                if kind == ZIP:
                    raise Refused("zip_in_zip")
                # activities.csv has Strava's own moving time and distance: the file is read only
                # as far as its start unless the row lacks them.
                complete = row.moving_s is not None and row.distance_m is not None
                summary = parse(kind, data, start_only=complete)[0]
            elif row.started_at is None or row.moving_s is None:
                raise Refused("missing_file")
        started = summary.started_at if summary else row.started_at
        if started is None:
            raise Refused("no_times")
        moving = row.moving_s if row.moving_s is not None else (summary.moving_s if summary else None)
        distance = row.distance_m if row.distance_m is not None else (summary.distance_m if summary else None)
        found = Summary(started, moving, distance, row.type or (summary.sport if summary else ""), "")
        if summary:
            found.device = summary.device
        self._add(label, found, external_id=f"strava:{row.activity_id}", source="strava")

    # --- one activity -----------------------------------------------------------------------

    def _add(self, label: str, summary: Summary, *, external_id: str, source: str) -> None:
        if len(self.outcome.activities) >= limits.MAX_ACTIVITIES:
            if not self.full_reported:
                self.full_reported = True
                self._problem(label, Refused("too_many_activities", limit=limits.MAX_ACTIVITIES))
            raise _Full
        start = summary.started_at
        if start > self.now + timedelta(minutes=limits.FUTURE_SLACK_MINUTES):
            raise Refused("future", when=start.isoformat())
        if start < EARLIEST:
            raise Refused("too_old", when=start.isoformat())
        if summary.moving_s is None:
            raise Refused("no_duration")
        minutes = (2 * summary.moving_s + 60) // 120  # half up
        if minutes < 1:
            raise Refused("too_short")
        if minutes > MAX_MINUTES:
            raise Refused("too_long", minutes=minutes, limit=MAX_MINUTES)
        if summary.distance_m is not None and summary.distance_m > MAX_KM * 1000:
            raise Refused("too_far", limit=MAX_KM)
        self.outcome.activities.append(
            {
                "id": external_id,
                "source": source,
                "start": start.astimezone(UTC).isoformat(),
                "moving_s": summary.moving_s,
                "distance_m": summary.distance_m,
                "sport": (summary.sport or "")[:60],
                "kind": map_kind(summary.sport),
                "file": label,
                "device": summary.device[:100],
            }
        )


def read_uploads(uploads: list[tuple[str, bytes]], **kwargs) -> Outcome:
    return Reader(**kwargs).read(uploads)
