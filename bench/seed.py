"""Seed the benchmark database fast: psycopg COPY straight into the tables, then VACUUM ANALYZE.

2,000 people (by default), each with an `itbs_likely` screen, a plan that started 364 days ago,
a passed day-14 check, a log for every one of the 365 days up to today and three exercises ticked
a day (their plans are complete: no goal, so the level-8 pass ends them); 500 more with the same
year and a usual week of 240 minutes' running, whose level-8 pass on day 28 hands them to
build-back, where they still are a year on (running 80 minutes on each build day, session pain 2,
so never the two pain-free weeks at the goal that would end it); plus `bench-week`, whose plan is
7 days old. Every person gets a database session (the app's own session encoding) and a CSRF
secret for the wrk scripts.
"""

from __future__ import annotations

import json
import random
import secrets
import string
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.privacy import PRIVACY_VERSION
from accounts.sessions import SessionStore
from rehab.buildback import DEFAULT_BUILD_DAYS, WEEKDAYS
from rehab.schedule import STRETCHES
from screening import rules

from .env import say
from .sim import ITBS_ANSWERS

PASSWORD = "bench-password-not-a-secret"  # every seeded person's; handy for a look in a browser
BACKEND = "django.contrib.auth.backends.ModelBackend"
WEEK_USER = "bench-week"
#: The build-back people's usual week (minutes of running) and what they run on each build day.
ACTIVE_GOAL = 240
ACTIVE_RUN = 80
#: Build-back's week 1 starts two days after the level-8 pass on day 28 (0-based 27).
ACTIVE_BUILD_FROM = 29


@dataclass(frozen=True)
class Person:
    username: str
    user_id: int
    days: int
    sessionid: str
    csrftoken: str


@dataclass
class Seeded:
    today: date
    people: list[Person]  # the `users` people with a year of history, their plans complete
    active: list[Person]  # a year of history, in build-back for most of it
    week: Person  # 7 days of history
    seconds: float
    rows: dict[str, int]


def _csrf_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


#: The plan's build days (a JSON column since migration 0006), as the model's default writes them.
BUILD_DAYS = json.dumps(list(DEFAULT_BUILD_DAYS))


def _ts(moment: datetime) -> str:
    return moment.isoformat()


def _n(value) -> str:
    """A value in COPY's text format (our values never hold tabs, newlines or backslashes)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def _copy(table: str, columns: tuple[str, ...], rows, chunk: int = 20000) -> int:
    count = 0
    buffer: list[str] = []
    raw = connection.connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            buffer.append("\t".join(_n(v) for v in row))
            count += 1
            if len(buffer) >= chunk:
                copy.write("\n".join(buffer) + "\n")
                buffer.clear()
        if buffer:
            copy.write("\n".join(buffer) + "\n")
    return count


def _log_values(rng: random.Random, n: int) -> tuple:
    """A plausible day n (0-based): pain settling during two weeks of rest, then sessions."""
    if n < 14:
        worst = max(0, min(10, 5 - n // 3 + rng.randint(-1, 1)))
        return (worst, max(0, worst - 1), True, rng.choice((None, 20, 30, 45)), None, None, None)
    worst = rng.choice((0, 0, 1, 1, 2))
    session = n % 2 == 0
    return (worst, 0, None, None, True if session else None, 1 if session else None, False if session else None)


def _active_log_values(n: int) -> tuple:
    """Day n (0-based) of a build-back person: two weeks' rest, sessions passed from day 14 (the
    ladder, then build-back), session pain 2, never a flare, swelling or painkillers."""
    if n < 14:
        return (2, 0, True, None, None, None, None)
    return (1, 0, None, None, True, 2, False)


def seed(*, users: int = 2000, days: int = 365, active_users: int = 500, seed_value: int = 7) -> Seeded:
    began = time.monotonic()
    rng = random.Random(seed_value)
    today = timezone.localdate()
    now = timezone.now()
    connection.ensure_connection()
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit TO off")

    password = make_password(PASSWORD)  # one hash for all: PBKDF2 is slow on purpose
    auth_hash = User(password=password).get_session_auth_hash()
    store = SessionStore()
    expire = now + timedelta(days=14)

    specs = (
        [(f"bench{i:04d}", days) for i in range(1, users + 1)]
        + [(f"bench-active{i:04d}", days) for i in range(1, active_users + 1)]
        + [(WEEK_USER, 7)]
    )
    active_ids = set(range(users + 1, users + active_users + 1))
    people: list[Person] = []
    user_rows, screen_rows, plan_rows, check_rows, session_rows, target_rows = [], [], [], [], [], []
    for user_id, (username, history) in enumerate(specs, start=1):
        start = today - timedelta(days=history - 1)
        started_at = datetime.combine(start, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
        screen_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        user_rows.append(
            (user_id, password, _ts(now), False, username, "", "", "", False, True,
             _ts(started_at - timedelta(days=1)), "UTC", "", PRIVACY_VERSION, _ts(started_at - timedelta(days=1)),
             False, "20:00", "", "", "")
        )  # fmt: skip
        screen_rows.append(
            (screen_id, user_id, rules.VERSION, json.dumps(ITBS_ANSWERS), "itbs_likely", "[]",
             _ts(started_at - timedelta(hours=1)))
        )  # fmt: skip
        plan_rows.append((user_id, user_id, screen_id, start.isoformat(), "running", _ts(started_at), BUILD_DAYS))
        if history >= 14:
            check_rows.append((user_id, start + timedelta(days=13), "[]", 0, True, 0, 0, _ts(started_at)))
        if user_id in active_ids:
            target_rows.append((user_id, "running", ACTIVE_GOAL, None, start.isoformat()))
        sessionid = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(32))
        data = store.encode(
            {"_auth_user_id": str(user_id), "_auth_user_backend": BACKEND, "_auth_user_hash": auth_hash}
        )
        session_rows.append((sessionid, data, _ts(expire), user_id))
        people.append(Person(username, user_id, history, sessionid, _csrf_secret()))

    entry_rows = []

    def logs():
        log_id = 0
        for person in people:
            start = today - timedelta(days=person.days - 1)
            active = person.user_id in active_ids
            for n in range(person.days):
                day = start + timedelta(days=n)
                log_id += 1
                stamp = _ts(datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=20))
                if active:
                    worst, morning, rested, cross, session, during, stopped = _active_log_values(n)
                    swelling, nsaid = "none", False
                    if n >= ACTIVE_BUILD_FROM and WEEKDAYS[day.weekday()] in DEFAULT_BUILD_DAYS:
                        entry_rows.append((log_id, 0, "running", ACTIVE_RUN, None, 4))
                else:
                    worst, morning, rested, cross, session, during, stopped = _log_values(rng, n)
                    swelling, nsaid = "local" if rng.random() < 0.05 else "none", rng.random() < 0.03
                yield (
                    log_id, person.user_id, day.isoformat(), worst, morning, rested, cross, session, during, stopped,
                    swelling, nsaid, "[]", "felt fine after the stretches" if rng.random() < 0.1 else "", stamp, stamp,
                )  # fmt: skip

    def completions():
        for person in people:
            start = today - timedelta(days=person.days - 1)
            for n in range(person.days):
                day = start + timedelta(days=n)
                stamp = _ts(datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=19))
                for k in range(3):
                    yield (person.user_id, day.isoformat(), STRETCHES[(n + k) % len(STRETCHES)], stamp)

    rows = {
        "accounts_user": _copy(
            "accounts_user",
            (
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "time_zone",
                "country",
                "health_consent_version",
                "health_consent_at",
                "reminders_by_email",
                "remind_at",
                "reminder_email",
                "pending_reminder_email",
                "reminder_confirm_hash",
            ),
            user_rows,
        ),  # fmt: skip
        "screening_screening": _copy(
            "screening_screening",
            ("id", "user_id", "version", "answers", "outcome", "reasons", "taken_at"),
            screen_rows,
        ),
        "rehab_plan": _copy(
            "rehab_plan",
            ("id", "user_id", "screening_id", "start_date", "activity", "created_at", "build_days"),
            plan_rows,
        ),
        "rehab_check": _copy(
            "rehab_check",
            ("plan_id", "date", "new_symptoms", "daily_pain", "walk_30", "squat_pain", "hop_pain", "created_at"),
            check_rows,
        ),
        "rehab_dailylog": _copy(
            "rehab_dailylog",
            (
                "id",
                "plan_id",
                "date",
                "pain_worst",
                "pain_morning",
                "rested",
                "cross_training_minutes",
                "session_done",
                "pain_during",
                "stopped_early",
                "swelling",
                "nsaid",
                "new_symptoms",
                "notes",
                "created_at",
                "updated_at",
            ),
            logs(),
        ),  # fmt: skip
        "rehab_completion": _copy("rehab_completion", ("plan_id", "date", "exercise_id", "created_at"), completions()),
        "rehab_activityentry": _copy(
            "rehab_activityentry", ("log_id", "position", "kind", "duration_min", "distance_km", "rpe"), entry_rows
        ),
        "rehab_target": _copy("rehab_target", ("plan_id", "activity", "minutes", "km", "set_on"), target_rows),
        "accounts_session": _copy(
            "accounts_session", ("session_key", "session_data", "expire_date", "user_id"), session_rows
        ),
    }
    with connection.cursor() as cur:
        for table in (
            "accounts_user",
            "rehab_plan",
            "rehab_check",
            "rehab_dailylog",
            "rehab_completion",
            "rehab_activityentry",
            "rehab_target",
        ):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("VACUUM ANALYZE")
    seconds = time.monotonic() - began
    say(f"seeded {users} people x {days} days in {seconds:.1f} s: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    return Seeded(
        today=today,
        people=people[:users],
        active=people[users:-1],
        week=people[-1],
        seconds=seconds,
        rows=rows,
    )
