"""`make bench`: seed a private PostgreSQL, serve with gunicorn, drive each endpoint with wrk.

The machine is shared and noisy, so the endpoints are measured in interleaved rounds: every
endpoint once per round (the order rotates from round to round), several rounds; each page's
requests/s is divided by that of signed-in `/privacy/` (the floor: the base template, the session
and user look-ups, no plan) and of `/healthz` measured in the same round, and the median of those
per-round ratios is reported, for people with 365 days of history (their plans complete), 365
days still in build-back (the hard case: a year of weeks, a log form with activity rows) and 7.

Per endpoint also: the SQL queries one request makes and its time in-process (django.test.Client
+ CaptureQueriesContext, for a person with 7 days of history and one with 365). Written to
artifacts/bench/bench-<time>.json and bench-latest.json.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from .env import ARTIFACTS, ROOT, RUN_DIR, activate, app_env, ensure_wrk, machine, manage, say
from .pg import Cluster
from .server import Gunicorn

USERS = int(os.environ.get("BENCH_USERS", "2000"))
ACTIVE_USERS = int(os.environ.get("BENCH_ACTIVE_USERS", "500"))
DAYS = int(os.environ.get("BENCH_DAYS", "365"))
# Many short rounds rather than a few long ones: on a shared machine the speed drifts within a
# minute, and a page's ratio compares it with the floor measured in the same round, so the less
# time between the two and the more rounds to take the median of, the less the drift shows
# (5 rounds of 3 s gave single rounds from 0.49 to 0.78 for one page in one run).
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
DURATION = int(os.environ.get("BENCH_DURATION", "1"))  # seconds per endpoint per round
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))  # seconds, before each endpoint's first round
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
EXPORT_SAMPLES = 30

#: Targets: every signed-in page at least half the requests/s of signed-in /privacy/ for each kind
#: of person, and its 7-day and 365-day ratios within 20 % of each other.
MIN_RATIO_TO_FLOOR = 0.5
MAX_HISTORY_SPREAD = 0.2
#: Per HTML page: the session, the user, the plan with its stored state, the page's rows.
MAX_QUERIES = 4
MAX_EXPORT_MS = 200

LOG_BODY = {
    "pain_worst": "2",
    "pain_morning": "1",
    "rested": "yes",  # asked only in the rest phase; ignored otherwise
    "session_done": "no",  # asked only on session days; ignored otherwise
    "swelling": "none",
    "nsaid": "no",
    "notes": "bench",
}
#: A build-back day's log: the session and the run, as the log form's activity rows send it.
ACTIVE_LOG_BODY = {
    **{k: v for k, v in LOG_BODY.items() if k not in ("rested", "session_done")},
    "session_done": "yes",
    "pain_during": "2",
    "stopped_early": "no",
    "activities-TOTAL_FORMS": "1",
    "activities-INITIAL_FORMS": "0",
    "activities-0-kind": "running",
    "activities-0-duration_min": "80",
    "activities-0-rpe": "4",
}
SCREEN_BODY = {"age": "34", "activity": "running"}
#: Whose history each group of endpoints reads: the key of the query counts, the label.
HISTORY = {"year": ("365", "365 d"), "active": ("active", "365 d in build-back"), "week": ("7", "7 d")}
TX_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    expected: int
    body: dict | None = None
    #: whose cookies: "year" (the 2,000 people), "active" (in build-back), "week" (bench-week), None
    who: str | None = "year"
    page: bool = False  # a signed-in HTML page: the ratio targets apply

    @property
    def label(self) -> str:
        return f"{self.method} {self.name} [{HISTORY[self.who][1] if self.who else 'anonymous'}]"

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def row(self) -> str:
        return f"{self.method} {self.name}"


FLOOR = "GET /privacy/"
HEALTHZ = "GET /healthz"


def endpoints(today: str) -> list[Endpoint]:
    log = f"/rehab/log/{today}/"
    both = [
        Endpoint("/privacy/", "GET", "/privacy/", 200),  # the floor: signed in, no plan read
        Endpoint("/rehab/", "GET", "/rehab/", 200, page=True),
        Endpoint("/rehab/timeline/", "GET", "/rehab/timeline/", 200, page=True),
        Endpoint("/rehab/log/<today>/", "GET", log, 200, page=True),
        Endpoint("/rehab/log/<today>/", "POST", log, 302, body=LOG_BODY),
        Endpoint("/screening/ (step 1)", "POST", "/screening/", 302, body=SCREEN_BODY),
        Endpoint("/rehab/export.json", "GET", "/rehab/export.json", 200),
    ]
    week = [Endpoint(p.name, p.method, p.path, p.expected, p.body, who="week", page=p.page) for p in both]
    active = [
        Endpoint(p.name, p.method, p.path, p.expected, ACTIVE_LOG_BODY if p.body else None, who="active", page=p.page)
        for p in both
        if not p.path.startswith("/screening/")  # the knee check reads no history
    ]
    return [Endpoint("/healthz", "GET", "/healthz", 200, who=None), *both, *active, *week]


# --- in-process query counts -------------------------------------------------------------------


def count_queries(points: list[Endpoint], usernames: dict[str, str]) -> dict[str, dict[str, dict]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    result: dict[str, dict[str, dict]] = {}
    for key, username in usernames.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        per: dict[str, dict] = {}
        for point in {p.key: p for p in points if p.who in (None, _who(key))}.values():
            send = client if point.who else Client(HTTP_HOST="127.0.0.1")
            call = getattr(send, point.method.lower())
            call(point.path, point.body) if point.body else call(point.path)  # warm: first-use caches
            sql_seconds = [0.0]

            def timed(execute, sql, params, many, context, spent=sql_seconds):
                began = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    spent[0] += time.perf_counter() - began

            with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timed):
                began = time.perf_counter()
                response = call(point.path, point.body) if point.body else call(point.path)
                elapsed = time.perf_counter() - began
            sql = [q["sql"] for q in captured.captured_queries]
            per[point.key] = {
                "status": response.status_code,
                "queries": len(sql),
                "queries_without_transaction_control": sum(1 for s in sql if not s.startswith(TX_CONTROL)),
                "in_process_ms": round(elapsed * 1000, 1),
                # Time inside the database calls (driver + PostgreSQL); the rest is Python: ORM, views, templates.
                "sql_ms": round(sql_seconds[0] * 1000, 1),
                "sql": [s[:240] for s in sql],
                "full_sql": sql,
            }
            if response.status_code != point.expected:
                raise SystemExit(f"bench: {point.label} answered {response.status_code}, not {point.expected}")
        result[key] = per
    per_user = list(result.values())
    result["seq_scans_on_big_tables"] = seq_scans(
        [sql for per in per_user for e in per.values() for sql in e["full_sql"]]
    )
    for per in per_user:
        for entry in per.values():
            del entry["full_sql"]
    # /healthz as a load balancer calls it (no cookie) and as a signed-in browser would.
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(User.objects.get(username=usernames["365"]))
    with CaptureQueriesContext(connection) as captured:
        signed_in.get("/healthz")
    result["healthz_with_session_cookie"] = {"queries": len(captured.captured_queries)}
    return result


def _who(key: str) -> str:
    return next(who for who, (k, _label) in HISTORY.items() if k == key)


def seq_scans(statements: list[str], min_rows: int = 10000) -> list[str]:
    """Missing indexes: any SELECT the pages ran that reads a whole big table (a Seq Scan node)."""
    from django.db import connection

    found = set()
    with connection.cursor() as cur:
        for sql in dict.fromkeys(s for s in statements if s.startswith("SELECT")):
            cur.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cur.fetchone()[0]
            stack = [(plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]]
            while stack:
                node = stack.pop()
                stack.extend(node.get("Plans", []))
                if node.get("Node Type") == "Seq Scan":
                    cur.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [node["Relation Name"]])
                    if cur.fetchone()[0] >= min_rows:
                        found.add(f"{node['Relation Name']}: {sql[:160]}")
    return sorted(found)


# --- wrk ---------------------------------------------------------------------------------------


def run_wrk(base: str, point: Endpoint, cookies: dict[str | None, str], seconds: int) -> dict:
    body = urlencode(point.body) if point.body else ""
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s",
        "-s", str(ROOT / "bench" / "rotate.lua"), base + point.path,
        "--", cookies[point.who], point.method, str(point.expected), body,
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next((x for x in out.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"bench: wrk printed no result for {point.label}:\n{out}")
    data = json.loads(line.removeprefix("BENCHJSON "))
    data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    return data


def export_latency(port: int, people) -> dict:
    """One request at a time (nothing else running): what a person waits for a year's export."""
    times = []
    for person in people[:EXPORT_SAMPLES]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        began = time.perf_counter()
        conn.request("GET", "/rehab/export.json", headers={"Cookie": f"sessionid={person.sessionid}"})
        response = conn.getresponse()
        size = len(response.read())
        times.append((time.perf_counter() - began) * 1000)
        conn.close()
        if response.status != 200:
            raise SystemExit(f"bench: export answered {response.status}")
    times.sort()
    return {
        "samples": len(times),
        "bytes": size,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "max_ms": round(times[-1], 1),
    }


def sanity(port: int, points: list[Endpoint], people: dict) -> None:
    """Every endpoint answers as expected over HTTP before we measure it."""
    for point in points:
        headers = {}
        person = people.get(point.who)
        if person:
            headers["Cookie"] = f"sessionid={person.sessionid}; csrftoken={person.csrftoken}"
        body = None
        if point.body:
            body = urlencode(point.body)
            headers.update({"X-CSRFToken": person.csrftoken, "Content-Type": "application/x-www-form-urlencoded"})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(point.method, point.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != point.expected:
            raise SystemExit(f"bench: {point.label} answered {response.status} over HTTP, not {point.expected}")


# --- the run -----------------------------------------------------------------------------------


def main() -> int:
    ensure_wrk()
    cluster = Cluster()
    server: Gunicorn | None = None
    cluster.init()
    cluster.start()
    try:
        env = app_env(cluster.create_database("itbcare_bench"))
        activate(env)
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("collectstatic", "--noinput", "--verbosity", "0")
        import django

        django.setup()
        from .seed import seed

        info = machine()
        say(
            f"machine: {info['nproc']} cores, {info['cpu_model']}, {info['ram_gib']} GiB, load {info['load_average_at_start']}"
        )
        seeded = seed(users=USERS, days=DAYS, active_users=ACTIVE_USERS)
        # The seed writes facts behind the services' back (COPY): store every plan's state for
        # today, as the day's first page would (issue 13; the bench measures the pages after it).
        started = time.monotonic()
        manage("rebuild_snapshots")
        say(f"rebuild_snapshots: {time.monotonic() - started:.1f} s")
        today = seeded.today.isoformat()
        points = endpoints(today)
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        cookies: dict[str | None, str] = {None: "-"}
        for who, people in (("year", seeded.people), ("active", seeded.active), ("week", [seeded.week])):
            path = RUN_DIR / f"cookies-{who}.txt"
            path.write_text("".join(f"{p.sessionid} {p.csrftoken}\n" for p in people))
            cookies[who] = str(path)

        say("counting queries in-process (7 and 365 days of history, and 365 in build-back)")
        queries = count_queries(
            points, {"7": seeded.week.username, "365": seeded.people[0].username, "active": seeded.active[0].username}
        )

        server = Gunicorn(env, workers=WORKERS)
        server.start()
        sanity(server.port, points, {"year": seeded.people[1], "active": seeded.active[1], "week": seeded.week})
        export = export_latency(server.port, seeded.people[2:])
        say(f"export of a year, one request at a time: p50 {export['p50_ms']} ms, max {export['max_ms']} ms")

        rounds = measure_rounds(server.url, points, cookies)
        load_after = [round(x, 2) for x in os.getloadavg()]
    finally:
        if server:
            server.stop()
        cluster.stop()

    rows = summarise(points, rounds, queries)
    targets = check_targets(rows, export)
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {**info, "load_average_at_end": load_after},
        "config": {
            "users": USERS,
            "active_users": ACTIVE_USERS,
            "days": DAYS,
            "wrk_connections": CONNECTIONS,
            "wrk_threads": THREADS,
            "rounds": ROUNDS,
            "seconds_per_endpoint_per_round": DURATION,
            "warmup_seconds": WARMUP,
            "gunicorn_workers": WORKERS,
            "postgresql": cluster.version,
            "conn_max_age": env["CONN_MAX_AGE"],
            "debug": env["DEBUG"],
        },  # fmt: skip
        "seed": {"seconds": round(seeded.seconds, 1), "rows": seeded.rows},
        "endpoints": rows,
        "rounds": [[{"endpoint": p.label, **data} for p, data in r] for r in rounds],
        "export_one_at_a_time": export,
        "queries": queries,
        "targets": targets,
    }
    print_table(rows, export, targets, queries)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stamp = report["when"].replace("-", "").replace(":", "")
    for name in (f"bench-{stamp}.json", "bench-latest.json"):
        (ARTIFACTS / name).write_text(json.dumps(report, indent=2) + "\n")
    say(f"wrote {(ARTIFACTS / f'bench-{stamp}.json').relative_to(ROOT)} (and bench-latest.json)")
    return 0 if all(t["ok"] for t in targets) else 1


def measure_rounds(base: str, points: list[Endpoint], cookies) -> list[list[tuple[Endpoint, dict]]]:
    """ROUNDS rounds, every endpoint once in each; the order rotates so no endpoint always runs
    first (or right after the heaviest one)."""
    rounds = []
    for number in range(ROUNDS):
        shift = number % len(points)
        order = points[shift:] + points[:shift]
        measured = []
        for point in order:
            if WARMUP and number == 0:
                run_wrk(base, point, cookies, WARMUP)
            measured.append((point, run_wrk(base, point, cookies, DURATION)))
        by_label = {p.label: d for p, d in measured}
        floor = by_label[f"{FLOOR} [365 d]"]["rps"]
        say(
            f"round {number + 1}/{ROUNDS}: /healthz {by_label[HEALTHZ + ' [anonymous]']['rps']} req/s, "
            f"/privacy/ {floor} req/s, timeline 365 d {by_label['GET /rehab/timeline/ [365 d]']['rps']} req/s"
        )
        rounds.append(sorted(measured, key=lambda pd: points.index(pd[0])))
    return rounds


def _ratio(rps: float, floor: float) -> float | None:
    """A page's req/s over its floor's in the same round; None when the floor got nothing done
    (the machine stalled): that round does not count for the page."""
    return rps / floor if floor else None


def _median(values) -> float:
    return statistics.median(values) if values else 0.0


def summarise(points: list[Endpoint], rounds, queries: dict) -> list[dict]:
    """One row per endpoint and history length: medians over the rounds of req/s, latency and of
    the per-round ratios to /privacy/ (signed in, the same history's people) and to /healthz."""
    rows = []
    for index, point in enumerate(points):
        floor_label = f"{FLOOR} [{HISTORY[point.who or 'year'][1]}]"
        per_round = []
        for measured in rounds:
            data = measured[index][1]
            by_label = {p.label: d for p, d in measured}
            per_round.append(
                {
                    "rps": data["rps"],
                    "p50_ms": data["p50_us"] / 1000,
                    "p99_ms": data["p99_us"] / 1000,
                    "to_floor": _ratio(data["rps"], by_label[floor_label]["rps"]),
                    "to_healthz": _ratio(data["rps"], by_label[HEALTHZ + " [anonymous]"]["rps"]),
                    "unexpected": data["unexpected_status"]
                    + data["errors_connect"]
                    + data["errors_read"]
                    + data["errors_timeout"],
                }
            )
        q = queries[HISTORY[point.who or "year"][0]][point.key]
        rows.append(
            {
                "endpoint": point.label,
                "row": point.row,
                "who": point.who,
                "path": point.path,
                "html_page": point.page,
                "expected_status": point.expected,
                "rps": round(_median([r["rps"] for r in per_round]), 1),
                "p50_ms": round(_median([r["p50_ms"] for r in per_round]), 2),
                "p99_ms": round(_median([r["p99_ms"] for r in per_round]), 2),
                "ratio_to_privacy": round(_median([r["to_floor"] for r in per_round if r["to_floor"] is not None]), 3),
                "ratio_to_healthz": round(
                    _median([r["to_healthz"] for r in per_round if r["to_healthz"] is not None]), 3
                ),
                "ratio_to_privacy_by_round": [r["to_floor"] and round(r["to_floor"], 3) for r in per_round],
                "unexpected_answers": sum(r["unexpected"] for r in per_round),
                "queries_7_days": queries["7"][point.key]["queries"],
                "queries_365_days": queries["365"][point.key]["queries"],
                "queries_365_days_build": queries["active"].get(point.key, {}).get("queries"),
                "queries_without_transaction_control": q["queries_without_transaction_control"],
                "in_process_ms": q["in_process_ms"],
                "sql_ms": q["sql_ms"],
            }
        )
    return rows


def check_targets(rows: list[dict], export: dict) -> list[dict]:
    year = {r["row"]: r for r in rows if r["who"] == "year"}
    week = {r["row"]: r for r in rows if r["who"] == "week"}
    pages = [r for r in year.values() if r["html_page"]]
    slow = [
        f"{r['endpoint']} {r['ratio_to_privacy']}"
        for r in rows
        if r["html_page"] and r["ratio_to_privacy"] < MIN_RATIO_TO_FLOOR
    ]
    spread = []
    for r in pages:
        short = week[r["row"]]["ratio_to_privacy"]
        low, high = sorted((r["ratio_to_privacy"], short))
        if high and low / high < 1 - MAX_HISTORY_SPREAD:
            spread.append(f"{r['row']} 7 d {short} / 365 d {r['ratio_to_privacy']}")
    counts = [(r, (r["queries_7_days"], r["queries_365_days"], r["queries_365_days_build"])) for r in year.values()]
    heavy = [
        f"{r['endpoint']} {'/'.join(map(str, n))}"
        for r, n in counts
        if r["html_page"] and max(q for q in n if q is not None) > MAX_QUERIES
    ]
    uneven = [f"{r['endpoint']} {'/'.join(map(str, n))}" for r, n in counts if len({q for q in n if q is not None}) > 1]
    unexpected = [f"{r['endpoint']} {r['unexpected_answers']}" for r in rows if r["unexpected_answers"]]
    return [
        {
            "target": f"every signed-in page >= {MIN_RATIO_TO_FLOOR} x signed-in /privacy/ req/s (7 d, 365 d, in build-back)",
            "ok": not slow,
            "misses": slow,
        },
        {
            "target": f"7-day and 365-day ratios to /privacy/ within {MAX_HISTORY_SPREAD:.0%} of each other",
            "ok": not spread,
            "misses": spread,
        },
        {"target": f"<= {MAX_QUERIES} queries per HTML page", "ok": not heavy, "misses": heavy},
        {
            "target": "same query count for 7, 365 and 365 days in build-back (every endpoint)",
            "ok": not uneven,
            "misses": uneven,
        },
        {
            "target": f"export of a year < {MAX_EXPORT_MS} ms (one request at a time, median of {export['samples']})",
            "ok": export["p50_ms"] < MAX_EXPORT_MS,
            "misses": [] if export["p50_ms"] < MAX_EXPORT_MS else [f"p50 {export['p50_ms']} ms"],
        },
        {
            "target": "every answer the expected status, no broken connection",
            "ok": not unexpected,
            "misses": unexpected,
        },
    ]


def print_table(rows: list[dict], export: dict, targets: list[dict], queries: dict) -> None:
    print()
    print(f"medians of {ROUNDS} interleaved rounds, {DURATION} s per endpoint per round")
    print(
        f"{'endpoint':58} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'x privacy':>9} {'x healthz':>9}"
        f" {'queries':>8} {'1 req ms (SQL)':>15}"
    )
    for r in rows:
        one = f"{r['in_process_ms']} ({r['sql_ms']})"
        queries_here = r["queries_365_days_build"] if r["who"] == "active" else r["queries_7_days"]
        if r["who"] in ("year", None):
            queries_here = r["queries_365_days"]
        print(
            f"{r['endpoint']:58} {r['rps']:>7.0f} {r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} "
            f"{r['ratio_to_privacy']:>9.3f} {r['ratio_to_healthz']:>9.3f} {queries_here!s:>8} {one:>15}"
        )
    print("(x privacy, x healthz: the median of the per-round ratios; 1 req ms: one request in-process")
    print(" with django.test.Client for a person with that history, nothing else running in the app)")
    print(
        f"\nexport.json of a year ({export['bytes']} bytes), one request at a time: "
        f"p50 {export['p50_ms']} ms, p95 {export['p95_ms']} ms, max {export['max_ms']} ms"
    )
    print(f"/healthz with a session cookie: {queries['healthz_with_session_cookie']['queries']} queries")
    scans = queries["seq_scans_on_big_tables"]
    print("sequential scans of big tables (missing indexes): " + ("; ".join(scans) if scans else "none"))
    print()
    for t in targets:
        print(
            f"{'PASS' if t['ok'] else 'MISS'}  {t['target']}" + (f": {', '.join(t['misses'])}" if t["misses"] else "")
        )
    print()
