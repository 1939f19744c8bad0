"""What the files call an activity → our activity kinds (load.md §1), shown to the person.

Run, trail run, treadmill → running; ride, virtual ride → cycling; hike → hiking. Two readings
safer than "everything else is other": a walk is `walking` and a swim is `swimming`, our own
kinds, which load.md does not count as knee-bending (calling a walk a hike would add it to the
usual week and to the load windows). Anything else is `other` (a knee kind: counted, to be safe).
"""

from __future__ import annotations

import re

RUNNING, CYCLING, HIKING, WALKING, SWIMMING, OTHER = "running", "cycling", "hiking", "walking", "swimming", "other"

_NAMES = {
    RUNNING: (
        "run",
        "running",
        "trail run",
        "trail running",
        "trail",
        "treadmill",
        "treadmill running",
        "virtual run",
        "indoor running",
        "street running",
        "track running",
        "road running",
        # Strava in other languages (activities.csv is written in the account's language)
        "lauf",
        "laufen",
        "traillauf",
        "virtueller lauf",
        "course à pied",
        "course a pied",
        "course",
        "course en sentier",
        "carrera",
        "correr",
        "carrera por montaña",
        "corsa",
        "corsa su sentiero",
        "hardlopen",
        "corrida",
    ),
    CYCLING: (
        "ride",
        "cycling",
        "biking",
        "bike",
        "virtual ride",
        "e-bike ride",
        "ebike ride",
        "e biking",
        "mountain bike ride",
        "gravel ride",
        "road biking",
        "mountain biking",
        "indoor cycling",
        "velomobile",
        "handcycle",
        "radfahrt",
        "radfahren",
        "virtuelle radfahrt",
        "sortie à vélo",
        "vélo",
        "velo",
        "ciclismo",
        "bicicleta",
        "giro in bici",
        "fietsrit",
        "fietsen",
        "pedalada",
    ),
    HIKING: ("hike", "hiking", "wanderung", "wandern", "randonnée", "excursionismo", "senderismo", "escursione"),
    WALKING: ("walk", "walking", "spaziergang", "gehen", "marche", "caminata", "camminata", "wandeling", "caminhada"),
    SWIMMING: (
        "swim",
        "swimming",
        "open water swimming",
        "lap swimming",
        "schwimmen",
        "natation",
        "natación",
        "nuoto",
        "zwemmen",
        "natação",
    ),
}
#: Strava's numeric activity types, as its older GPX files write them in <type>.
_STRAVA_CODES = {"1": CYCLING, "4": HIKING, "9": RUNNING, "10": WALKING, "16": SWIMMING, "17": CYCLING}

_LOOKUP = {re.sub(r"[\s_\-]+", " ", name).strip(): kind for kind, names in _NAMES.items() for name in names}


def _key(raw: str) -> str:
    # "TrailRun" → "trail run", "trail_running" → "trail running", "E-Bike Ride" → "e bike ride"
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", raw.strip())
    return re.sub(r"[\s_\-]+", " ", spaced).strip().lower()


def map_kind(raw: str | None) -> str:
    """Our kind for what a file calls its activity (blank or unknown → other)."""
    if not raw:
        return OTHER
    raw = raw.strip()
    if raw in _STRAVA_CODES:
        return _STRAVA_CODES[raw]
    key = _key(raw)
    return _LOOKUP.get(key) or _LOOKUP.get(key.replace("e bike", "ebike")) or OTHER
