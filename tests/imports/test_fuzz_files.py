"""Hostile bytes never break the reader: whatever arrives, each upload ends as activities or as
its own message (hypothesis: random bytes behind every magic number we sniff, and damaged
copies of real files)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.pipeline import read_uploads
from tests.imports.builders import fit_bytes, gpx_bytes, gz, strava_row, strava_zip, tcx_bytes

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
START = datetime(2026, 10, 3, 6, 15, tzinfo=UTC)
REAL = [
    gpx_bytes(START, 30, 5.0, step_s=60),
    tcx_bytes(START, [(1800, 5000.0)]),
    fit_bytes(START, 1800.0, 5000.0),
    strava_zip(
        [strava_row(1, START, "Run", 1800, 5000.0, "activities/1.gpx")],
        {"activities/1.gpx": gpx_bytes(START, 30, 5.0, step_s=60)},
    ),
    gz(gpx_bytes(START, 30, 5.0, step_s=60)),
]
PREFIXES = [
    b"",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT",
    b"<gpx>",
    b"<?xml version='1.0'?>",
]


@st.composite
def damaged(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(data)))
    return bytes(data[: cut or len(data)])


UPLOAD = st.one_of(
    st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), st.binary(max_size=2000)),
    damaged(),
)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uploads=st.lists(UPLOAD, min_size=1, max_size=3))
def test_any_bytes_end_as_activities_or_a_message_each(uploads):
    outcome = read_uploads(
        [(f"f{i}.gpx", data) for i, data in enumerate(uploads)], now=datetime(2026, 11, 1, tzinfo=UTC)
    )
    for activity in outcome.activities:
        assert 1 <= (2 * activity["moving_s"] + 60) // 120 <= 600
        assert activity["kind"] in ("running", "cycling", "hiking", "walking", "swimming", "other")
    for problem in outcome.problems:
        assert problem["code"] and problem["file"]
    named = {p["file"] for p in outcome.problems} | {a["file"] for a in outcome.activities}
    assert named, "every upload is accounted for"
