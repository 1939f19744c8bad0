"""Hostile-input limits of an import. Read as `limits.NAME` at call time (tests lower them)."""

from __future__ import annotations

MiB = 1024 * 1024

#: One upload (every file of it together), before anything is unpacked.
MAX_UPLOAD_BYTES = 100 * MiB
#: Files in one upload (Django's own DATA_UPLOAD_MAX_NUMBER_FILES default is the same).
MAX_FILES = 100
#: Activities read from one upload; a Strava export with more is read newest first.
MAX_ACTIVITIES = 5000
#: One activity file, or activities.csv, once unpacked (a 24-hour run recorded every second as
#: GPX is about 15 MB).
MAX_FILE_BYTES = 32 * MiB
#: Unpacked size ÷ packed size of a zip member or a .gz file: real GPX, TCX and FIT files pack
#: 2–20 times; a zip bomb packs a thousand times and more.
MAX_RATIO = 100
#: Entries of a zip (folders included), and everything unpacked from one upload.
MAX_ZIP_MEMBERS = 20_000
MAX_TOTAL_UNPACKED = 2048 * MiB
#: How far in the future a start may be (a watch's clock a little ahead) before it is refused.
FUTURE_SLACK_MINUTES = 15
