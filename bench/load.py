"""`make loadtest` and `make faulttest`: simulated people against gunicorn + a private PostgreSQL.

loadtest: 50 people for 60 s (LOAD_PEOPLE, LOAD_SECONDS), then `sim.verify`.
faulttest: the same load; FAULT_AT seconds in, PostgreSQL (the private cluster only) is stopped for
FAULT_DOWN seconds and started again. Meanwhile probes watch /healthz, /readyz and a signed-in
page every 0.25 s. Checks, on top of `sim.verify`: while the database is down the site answers
the friendly 503 page fast (no traceback, nothing slower than FAULT_MAX_WAIT seconds), /healthz
stays up, /readyz says 503; after it is back the site recovers by itself (same gunicorn
processes, no restart) and no acknowledged save is lost.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from datetime import UTC, datetime

from .env import ARTIFACTS, ROOT, activate, app_env, machine, manage, say
from .pg import Cluster
from .server import Gunicorn
from .sim import Browser, LoadConfig, Person, Recorder, run_people, verify

PEOPLE = int(os.environ.get("LOAD_PEOPLE", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
THINK = (float(os.environ.get("LOAD_THINK_MIN", "0.2")), float(os.environ.get("LOAD_THINK_MAX", "1.0")))
FAULT_AT = float(os.environ.get("FAULT_AT", "20"))
FAULT_DOWN = float(os.environ.get("FAULT_DOWN", "10"))
FAULT_MODE = os.environ.get("FAULT_MODE", "fast")  # pg_ctl stop mode: fast (clean) or immediate (a crash)
FAULT_MAX_WAIT = float(os.environ.get("FAULT_MAX_WAIT", "5"))  # "not a hang longer than a few seconds"
RECOVERY_GRACE = float(os.environ.get("FAULT_RECOVERY_GRACE", "3"))  # 503s allowed this long after the start
PROBE_EVERY = 0.25


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _setup(database: str) -> tuple[Cluster, Gunicorn]:
    cluster = Cluster()
    cluster.init()
    cluster.start()
    try:
        env = app_env(cluster.create_database(database))
        activate(env)
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("collectstatic", "--noinput", "--verbosity", "0")
        import django

        django.setup()
        server = Gunicorn(env)
        server.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster, server


def _write(name: str, report: dict) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stamp = report["when"].replace("-", "").replace(":", "")
    for filename in (f"{name}-{stamp}.json", f"{name}-latest.json"):
        (ARTIFACTS / filename).write_text(json.dumps(report, indent=2, default=str) + "\n")
    say(f"wrote {(ARTIFACTS / f'{name}-{stamp}.json').relative_to(ROOT)} (and {name}-latest.json)")


def _print_stats(stats: dict) -> None:
    print()
    print(f"people {stats['people']} (ready {stats['people_ready']}), {stats['seconds']} s, "
          f"{stats['requests']} requests ({stats['requests_per_second']} req/s), statuses {stats['statuses']}")  # fmt: skip
    lat = stats["latency_ms"]
    print(f"latency ms: p50 {lat['p50']}, p95 {lat['p95']}, p99 {lat['p99']}, max {lat['max']}")
    print(
        f"log saves: {stats['log_saves_sent']} sent, {stats['log_saves_acknowledged']} acknowledged, "
        f"{stats['log_saves_concurrent']} in concurrent pairs, {stats['days_saved_more_than_once']} days saved "
        f"more than once; {stats['logs_in_database']} logs in the database"
    )
    print(
        f"ticks: {stats['ticks_sent']} sent, {stats['ticks_acknowledged']} acknowledged, "
        f"{stats['ticks_concurrent']} concurrent; {stats['ticks_in_database']} in the database"
    )
    print("answers by route (latency of the non-5xx ones):")
    for route, statuses in stats["statuses_by_route"].items():
        figures = stats["latency_ms_by_route"].get(route, {"p50": "-", "p95": "-"})
        print(f"  {route:34} {str(statuses):26} p50 {figures['p50']:>7} ms  p95 {figures['p95']:>7} ms")


def loadtest() -> int:
    info = machine()
    cluster, server = _setup("itbcare_load")
    try:
        pids = server.worker_pids()
        config = LoadConfig(server.url, people=PEOPLE, duration=SECONDS, think=THINK, prefix=f"load{_stamp()}-")
        say(f"load: {PEOPLE} people for {SECONDS:.0f} s against {server.url}")
        recorder = run_people(config)
        report = verify(recorder)
        if server.worker_pids() != pids:
            report.failures.append(f"gunicorn workers changed during the run: {pids} -> {server.worker_pids()}")
    finally:
        server.stop()
        cluster.stop()
    _print_stats(report.stats)
    print("\nloadtest: " + ("PASS: every invariant holds" if report.ok else "FAIL\n" + report.describe()))
    _write("loadtest", {"when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": info,
                        "config": {"people": PEOPLE, "seconds": SECONDS, "think": THINK},
                        "ok": report.ok, "failures": report.failures, "stats": report.stats})  # fmt: skip
    return 0 if report.ok else 1


class Probes:
    """/healthz and /readyz (no cookie, as a load balancer) and /rehab/ as a signed-in person."""

    def __init__(self, base_url: str, person: Person) -> None:
        self.recorder = Recorder()
        self.anonymous = Browser(base_url, self.recorder, "probe", timeout=30)
        self.signed_in = person.browser.clone()
        self.signed_in.recorder = self.recorder
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            self.anonymous.get("/healthz")
            self.anonymous.get("/readyz")
            self.signed_in.get("/rehab/")
            self.stop.wait(PROBE_EVERY)


def faulttest() -> int:
    info = machine()
    cluster, server = _setup("itbcare_fault")
    failures: list[str] = []
    try:
        pids = server.worker_pids()
        # The probe's own person, signed up before the load starts.
        probe_recorder = Recorder()
        probe_person = Person(0, LoadConfig(server.url, prefix="probe"), probe_recorder, time.monotonic() + 60, None)
        if not (probe_person.sign_up() and probe_person.screen() and probe_person.start_plan()):
            raise SystemExit(f"faulttest: the probe person could not get started: {probe_recorder.problems}")
        probes = Probes(server.url, probe_person)
        probes.thread.start()

        config = LoadConfig(server.url, people=PEOPLE, duration=SECONDS, think=THINK, prefix=f"fault{_stamp()}-")
        recorder = Recorder()
        timeline: dict[str, float] = {"began": time.monotonic()}

        def fault() -> None:
            # Not before FAULT_AT, and not before everyone is saving logs and ticks (sign-up is
            # slow on purpose: PBKDF2), unless that leaves too little time after the outage.
            latest = timeline["began"] + max(FAULT_AT, SECONDS - FAULT_DOWN - 20)
            while time.monotonic() < timeline["began"] + FAULT_AT or (
                recorder.ready < PEOPLE and time.monotonic() < latest
            ):
                time.sleep(0.2)
            timeline["ready_at_stop"] = recorder.ready
            timeline["stop_called"] = time.monotonic()
            cluster.stop(mode=FAULT_MODE)
            timeline["down"] = time.monotonic()
            say(
                f"fault: PostgreSQL (private cluster, port {cluster.port}) stopped ({FAULT_MODE}); down {FAULT_DOWN:.0f} s"
            )
            time.sleep(FAULT_DOWN)
            timeline["start_called"] = time.monotonic()
            cluster.start()
            timeline["up"] = time.monotonic()
            say("fault: PostgreSQL started again")

        say(
            f"fault: {PEOPLE} people for {SECONDS:.0f} s; PostgreSQL goes down at {FAULT_AT:.0f} s for {FAULT_DOWN:.0f} s"
        )
        faulter = threading.Thread(target=fault, daemon=True)
        faulter.start()
        run_people(config, recorder)
        faulter.join(120)
        time.sleep(2)  # a few more probes after the load
        probes.stop.set()
        probes.thread.join(30)
        if "up" not in timeline:
            raise SystemExit("faulttest: the fault never finished (is LOAD_SECONDS > FAULT_AT + FAULT_DOWN?)")
        began = timeline["stop_called"]
        window = (began, timeline["up"] + RECOVERY_GRACE)
        report = verify(recorder, outage=window)
        failures += report.failures
        workers_after = server.worker_pids()
        if workers_after != pids:
            failures.append(f"gunicorn workers were replaced (a restart or a killed worker): {pids} -> {workers_after}")
    finally:
        server.stop()
        cluster.stop()

    # What the site said while the database was down, and how fast.
    down = [e for e in recorder.events + probes.recorder.events if began <= e.started <= timeline["start_called"]]
    slow = [e for e in down if e.seconds > FAULT_MAX_WAIT]
    if slow:
        worst = max(slow, key=lambda e: e.seconds)
        failures.append(f"{len(slow)} answers took over {FAULT_MAX_WAIT:.0f} s while the database was down "
                        f"(slowest {worst.seconds:.1f} s: {worst.method} {worst.route} {worst.status})")  # fmt: skip
    friendly = [e for e in down if e.friendly]
    if not friendly:
        failures.append("no friendly 503 page was seen while the database was down: the fault was not exercised")
    for e in probes.recorder.events:
        if e.status >= 500 and not e.friendly and not (e.route == "/readyz" and e.status == 503):
            failures.append(f"probe {e.route} answered {e.status} at {e.started - began:+.1f} s: {e.note[:120]!r}")
        if e.route == "/healthz" and e.status != 200:
            failures.append(
                f"/healthz answered {e.status} at {e.started - began:+.1f} s (it must not need the database)"
            )
    ready_down = [
        e.status
        for e in probes.recorder.events
        if e.route == "/readyz" and timeline["down"] <= e.started <= timeline["start_called"]
    ]
    if not ready_down or set(ready_down) != {503}:
        failures.append(f"/readyz while the database was down answered {sorted(set(ready_down))}, not only 503")
    page_after = [e for e in probes.recorder.events if e.route == "/rehab/" and e.started >= timeline["up"]]
    first_ok = next((e for e in page_after if e.status == 200), None)
    recovered_after = round(first_ok.ended - timeline["up"], 2) if first_ok else None
    if first_ok is None:
        failures.append("the signed-in page never answered 200 again after PostgreSQL came back")
    late = [e for e in page_after if e.status != 200 and e.started > timeline["up"] + RECOVERY_GRACE]
    if late:
        failures.append(
            f"{len(late)} signed-in probe(s) failed more than {RECOVERY_GRACE:.0f} s after PostgreSQL was back"
        )
    fives = [e for e in recorder.events + probes.recorder.events if e.status >= 500]
    outage = {
        "stopped_at_s_after_load_began": round(began - timeline["began"], 1),
        "people_ready_when_stopped": timeline["ready_at_stop"],
        "postgres_stop_seconds": round(timeline["down"] - began, 2),
        "postgres_down_seconds": round(timeline["up"] - timeline["down"], 2),
        "answers_while_down": len(down),
        "friendly_503_while_down": len(friendly),
        "slowest_answer_while_down_s": round(max((e.seconds for e in down), default=0), 2),
        "p50_answer_while_down_ms": round(sorted(e.seconds for e in down)[len(down) // 2] * 1000, 1) if down else None,
        "first_5xx_at_s": round(min(e.started for e in fives) - began, 2) if fives else None,
        "last_5xx_at_s": round(max(e.started for e in fives) - began, 2) if fives else None,
        "postgres_back_at_s": round(timeline["up"] - began, 2),
        "signed_in_page_ok_again_after_s": recovered_after,
        "gunicorn_workers_before": pids,
        "gunicorn_workers_after": workers_after,
        "probe_statuses": {
            route: dict(sorted(Counter(e.status for e in probes.recorder.events if e.route == route).items()))
            for route in ("/healthz", "/readyz", "/rehab/")
        },
    }
    _print_stats(report.stats)
    print("\noutage (seconds from the stop of PostgreSQL):")
    for key, value in outage.items():
        print(f"  {key}: {value}")
    ok = not failures
    print(
        "\nfaulttest: "
        + ("PASS: every invariant holds" if ok else f"FAIL ({len(failures)}):\n  - " + "\n  - ".join(failures[:30]))
    )
    _write("faulttest", {"when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": info,
                         "config": {"people": PEOPLE, "seconds": SECONDS, "think": THINK, "fault_at": FAULT_AT,
                                    "fault_down": FAULT_DOWN, "fault_mode": FAULT_MODE, "max_wait": FAULT_MAX_WAIT, "recovery_grace": RECOVERY_GRACE},
                         "ok": ok, "failures": failures, "outage": outage, "stats": report.stats})  # fmt: skip
    return 0 if ok else 1
