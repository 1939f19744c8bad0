"""A job's activities as the preview shows them and the confirmation writes them: the date in
the person's time zone, our kind with what the file called it, moving minutes, km, and what
`rehab.services.decide_import` would do with each (written, or why not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from rehab import snapshots
from rehab.models import ActivityKind, ActivitySource, Plan
from rehab.services import ImportDecision, ImportRow, Skip, build_days, decide_import, existing_entries

from .messages import SKIPS

KM_MIN = Decimal("0.1")


def to_row(found: dict) -> ImportRow:
    started = datetime.fromisoformat(found["start"])
    distance = found.get("distance_m")
    km = None
    if distance:
        km = (Decimal(str(distance)) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if km < KM_MIN:
            km = None
    return ImportRow(
        external_id=found["id"],
        source=found["source"],
        started_at=started,
        day=timezone.localtime(started).date(),
        kind=found["kind"],
        duration_min=(2 * int(found["moving_s"]) + 60) // 120,
        distance_km=km,
        source_file=found.get("file", ""),
        source_device=found.get("device", ""),
    )


def rows_of(result: dict | None) -> list[ImportRow]:
    """The job's activities in time order (so that, of two copies, the first is kept)."""
    rows = [to_row(found) for found in (result or {}).get("activities", ())]
    return sorted(rows, key=lambda row: (row.started_at, row.external_id))


@dataclass
class Line:
    row: ImportRow
    sport: str
    kind_label: str
    source_label: str
    skip: str | None
    skip_text: str
    in_plan: bool
    local_start: datetime

    @property
    def written(self) -> bool:
        return self.skip is None

    @property
    def optional(self) -> bool:
        """Importable if the person says so (a typed-in entry of the kind that day)."""
        return self.skip == Skip.SAME_DAY


@dataclass
class Preview:
    lines: list[Line]
    decision: ImportDecision
    rows: list[ImportRow]

    @property
    def to_write(self) -> int:
        return sum(1 for line in self.lines if line.written)

    @property
    def history(self) -> int:
        return sum(1 for line in self.lines if line.written and not line.in_plan)

    @property
    def in_plan(self) -> int:
        return sum(1 for line in self.lines if line.written and line.in_plan)

    @property
    def optional(self) -> int:
        return sum(1 for line in self.lines if line.optional)

    def mappings(self) -> list[tuple[str, str, int]]:
        """(what the files called it, our kind, how many): the mapping, shown once."""
        counts: dict[tuple[str, str], int] = {}
        for line in self.lines:
            key = (line.sport or "—", line.kind_label)
            counts[key] = counts.get(key, 0) + 1
        return sorted(((sport, kind, n) for (sport, kind), n in counts.items()), key=lambda item: (-item[2], item[0]))


def build(plan: Plan, result: dict | None, *, today: date, same_day_ok=()) -> Preview:
    """The preview of a job for `plan` on `today`, newest activity first: 2 queries, and for
    days inside the plan their logs and the plan's state (its stored row, or a replay)."""
    rows = rows_of(result)
    sports = {found["id"]: found.get("sport", "") for found in (result or {}).get("activities", ())}
    days = {row.day for row in rows if plan.start_date <= row.day <= today}
    existing = existing_entries(plan, days)
    building = build_days(snapshots.state_of(plan, today)) if days else set()
    decision = decide_import(
        rows,
        existing,
        start_date=plan.start_date,
        today=today,
        activity=plan.activity,
        build_days=building,
        same_day_ok=same_day_ok,
    )
    kinds = dict(ActivityKind.choices)
    sources = dict(ActivitySource.choices)
    lines, seen = [], set()
    for row in rows:
        skip = decision.skips.get(row.external_id) if row.external_id not in seen else Skip.IN_UPLOAD
        seen.add(row.external_id)
        lines.append(
            Line(
                row=row,
                sport=sports.get(row.external_id, ""),
                kind_label=str(kinds.get(row.kind, row.kind)),
                source_label=str(sources.get(row.source, row.source)),
                skip=skip,
                skip_text=str(SKIPS[skip]) if skip else "",
                in_plan=row.external_id in decision.in_plan,
                local_start=timezone.localtime(row.started_at),
            )
        )
    lines.reverse()
    return Preview(lines=lines, decision=decision, rows=rows)
