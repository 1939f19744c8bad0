"""Simulated people and the invariants they must leave behind (load test, fault test, smoke test).

Each person is a thread with a tiny cookie-keeping HTTP client (http.client, standard library):
they sign up, take the knee check, start a plan and then, until the time is up, save daily logs
and tick exercises, with deliberate duplicates (the same day saved twice in a row) and concurrent
saves (two tabs saving the same day, or ticking the same exercise, at the same moment).

Every save carries a unique token in its notes, so `verify` can tell which save a stored row came
from. An *acknowledged* save is a POST answered with the redirect (or, for an htmx tick, the
partial) the view sends after a successful save. After the run `verify` checks:

- no 5xx (or, in the fault test, only the friendly 503 page and only while PostgreSQL was down),
  no 4xx (the people send nothing wrong) and no broken connection;
- every acknowledged save is in the database with the values sent: for one person and day the
  row holds the values of a save that no later acknowledged save superseded (a save sent after
  another was acknowledged must win over it);
- exactly one log per plan and date, one tick per plan, date and exercise;
- nothing in the database that nobody sent.

Needs Django set up (it reads the database through the ORM to verify).
"""

from __future__ import annotations

import http.client
import itertools
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from screening import flow, rules

FRIENDLY_503 = "Back in a moment"  # the 503 page's title (templates/503.html)
TIME_ZONES = ("UTC", "Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
EXERCISES = (
    "figure-4-stretch",
    "kneeling-tfl-stretch",
    "standing-itb-stretch",
    "hip-flexor-stretch",
    "calf-stretch",
    "foam-roll-lateral-thigh",
    "clamshell",
    "glute-bridge",
    "side-plank",
    "hip-hike",
)

#: Answers whose triage is `itbs_likely` (every shown question answered).
ITBS_ANSWERS: dict[str, object] = {
    "age": 34,
    "activity": "running",
    **{q.id: "no" for q in rules.QUESTIONS if q.step in ("urgent", "warning")},
    "injury_onset": "no",
    "pain_outside": "yes",
    "repetitive_onset": "yes",
    **{q.id: "no" for q in rules.QUESTIONS if q.group == "against"},
    **{q.id: "no" for q in rules.QUESTIONS if q.group == "supporting"},
    "comes_on_at_distance": "yes",
    "worse_downhill": "yes",
    "recent_increase": "yes",
}
assert rules.triage(ITBS_ANSWERS).outcome == "itbs_likely"
#: The knee check's pages (screening 2026.3: at most 6 questions a page), each with its answers.
STEP_FORMS = {
    spec.id: {qid: str(ITBS_ANSWERS[qid]) for qid in spec.question_ids if qid in ITBS_ANSWERS}
    for spec in flow.PAGE_SPECS
}


# --- what happened ---------------------------------------------------------------------------


@dataclass
class Event:
    """One HTTP exchange. status 0: no HTTP answer (refused, reset, timed out)."""

    who: str
    method: str
    route: str
    status: int
    started: float
    ended: float
    friendly: bool = False  # a 503 with the friendly page (no traceback)
    note: str = ""
    request_id: str = ""  # the answer's X-Request-ID (finds the app server's log line)

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class Save:
    kind: str  # "log" | "tick"
    who: str
    day: date
    token: str = ""  # logs: the notes, unique per save
    slug: str = ""  # ticks
    values: dict = field(default_factory=dict)
    started: float = 0.0
    ended: float = 0.0
    status: int = 0
    acked: bool = False
    concurrent: bool = False


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[Event] = []
        self.saves: list[Save] = []
        self.problems: list[str] = []
        self.people: dict[str, dict] = {}
        self.ready = 0  # people through sign-up, screening and plan start (the fault test waits for them)

    def event(self, event: Event) -> None:
        with self.lock:
            self.events.append(event)

    def save(self, save: Save) -> None:
        with self.lock:
            self.saves.append(save)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def mark_ready(self) -> None:
        with self.lock:
            self.ready += 1


@dataclass
class Response:
    status: int
    body: str
    location: str = ""
    headers: http.client.HTTPMessage | None = None


def route_of(path: str) -> str:
    """/rehab/log/2026-11-27/ -> /rehab/log/<day>/ (for the per-route figures)."""
    parts = []
    for part in path.split("?")[0].split("/"):
        if len(part) == 10 and part[4:5] == "-" and part[7:8] == "-":
            part = "<day>"
        elif len(part) == 36 and part.count("-") == 4:
            part = "<id>"
        elif parts and parts[-1] == "<day>" and part:
            part = "<slug>"
        parts.append(part)
    return "/".join(parts)


class Browser:
    """A cookie jar and http.client: one new connection per request (gunicorn's sync workers close it).
    An https:// base URL is reached over TLS with `ssl_context` (`make prodcheck`: nginx with a
    self-signed certificate), and a POST carries the Origin header a browser sends (Django's CSRF
    check asks for it, or a Referer, over HTTPS)."""

    def __init__(
        self, base_url: str, recorder: Recorder, who: str, *, timeout: float = 30.0, gate=None, ssl_context=None
    ) -> None:
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or (443 if self.https else 80)
        self.base_url, self.recorder, self.who, self.timeout = base_url, recorder, who, timeout
        self.cookies: dict[str, str] = {}
        self.gate = gate  # a lock held around each request when the server must see one at a time
        self.ssl_context = ssl_context

    def clone(self) -> Browser:
        other = Browser(
            self.base_url, self.recorder, self.who, timeout=self.timeout, gate=self.gate, ssl_context=self.ssl_context
        )
        other.cookies = dict(self.cookies)
        return other

    def connection(self) -> http.client.HTTPConnection:
        if self.https:
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout, context=self.ssl_context)
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def _store(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            if morsel["max-age"] == "0" or morsel.value == "" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def request(self, method: str, path: str, form: dict | None = None, *, htmx: bool = False) -> Response:
        headers = {"User-Agent": "itbcare-sim"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {k: v for k, v in form.items() if v is not None}
            form["csrfmiddlewaretoken"] = self.cookies.get("csrftoken", "")
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.https:
                headers["Origin"] = f"https://{self.host}:{self.port}"
        if htmx:
            headers["HX-Request"] = "true"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        status, text, location, note, answer_headers = 0, "", "", "", None
        if self.gate:
            self.gate.acquire()
        started = time.monotonic()
        conn = self.connection()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            location = response.getheader("Location", "")
            answer_headers = response.headers
            for header in response.headers.get_all("Set-Cookie") or []:
                self._store(header)
        except (OSError, http.client.HTTPException) as exc:
            note = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
            ended = time.monotonic()
            if self.gate:
                self.gate.release()
        friendly = status == 503 and FRIENDLY_503 in text and "Traceback" not in text
        if status >= 500 and not friendly:
            note = note or text[:300]
        request_id = answer_headers.get("X-Request-ID", "") if answer_headers is not None else ""
        self.recorder.event(Event(self.who, method, route_of(path), status, started, ended, friendly, note, request_id))
        return Response(status, text, location, answer_headers)

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict, **kwargs) -> Response:
        return self.request("POST", path, form, **kwargs)


# --- a person --------------------------------------------------------------------------------


@dataclass
class LoadConfig:
    base_url: str
    people: int = 50
    duration: float = 60.0
    think: tuple[float, float] = (0.2, 1.0)  # seconds between actions
    ramp: float = 5.0  # people arrive spread over this many seconds
    prefix: str = ""  # usernames: <prefix><n>; unique per run
    seed: int = 1
    timeout: float = 30.0
    retry_pause: float = 1.0  # after a 503 or a broken connection, a person waits this long
    grace: float = 30.0  # how long past the end a person may take to finish what they are doing
    one_at_a_time: bool = False  # serialise requests (a server that can't take concurrent ones)
    min_actions: int = 0  # each person does at least this many actions, however slow the machine
    ssl_context: object = None  # for an https:// base_url


class Person:
    def __init__(self, n: int, config: LoadConfig, recorder: Recorder, deadline: float, gate) -> None:
        self.config, self.recorder, self.deadline = config, recorder, deadline
        self.rng = random.Random(config.seed * 100003 + n)
        self.username = f"{config.prefix}{n}"
        self.password = f"Sim-{self.rng.getrandbits(64):x}-pw"
        self.tz = TIME_ZONES[n % len(TIME_ZONES)]
        self.browser = Browser(
            config.base_url, recorder, self.username, timeout=config.timeout, gate=gate, ssl_context=config.ssl_context
        )
        self.start: date | None = None
        self.counter = itertools.count(1)
        self.ready = False

    # helpers -------------------------------------------------------------------------------

    def today(self) -> date:
        return datetime.now(ZoneInfo(self.tz)).date()

    def hard_stop(self) -> float:
        return self.deadline + self.config.grace

    def retrying(self, call) -> Response:
        """Repeat an idempotent step while the site fails (5xx, 400 or no answer), as a person would.
        Every failed answer is still recorded, and `verify` counts it."""
        while True:
            response = call()
            if response.status not in (0, 400, 500, 502, 503, 504) or time.monotonic() > self.hard_stop():
                return response
            time.sleep(self.config.retry_pause)

    def expect(self, response: Response, statuses: tuple[int, ...], what: str) -> bool:
        if response.status in statuses:
            return True
        self.recorder.problem(f"{self.username}: {what} answered {response.status}: {response.body[:200]!r}")
        return False

    def think(self) -> None:
        low, high = self.config.think
        time.sleep(self.rng.uniform(low, high))

    # the story -------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            if self.sign_up() and self.screen() and self.start_plan():
                self.ready = True
                self.recorder.mark_ready()
                done = 0
                while time.monotonic() < self.deadline or done < self.config.min_actions:
                    self.act()
                    self.think()
                    done += 1
        except Exception as exc:  # a bug in the simulation must show, not kill the thread silently
            self.recorder.problem(f"{self.username}: simulation error {type(exc).__name__}: {exc}")
        self.recorder.people[self.username] = {"ready": self.ready, "start": self.start, "time_zone": self.tz}

    def sign_up(self) -> bool:
        self.retrying(lambda: self.browser.get("/accounts/signup/"))
        form = {
            "username": self.username,
            "email": "",
            "password1": self.password,
            "password2": self.password,
            "time_zone": self.tz,
            "health_consent": "on",
        }
        response = self.retrying(lambda: self.browser.post("/accounts/signup/", form))
        if response.status == 200 and "already" in response.body:
            # An earlier try was stored but its answer was lost (e.g. PostgreSQL went down): log in.
            self.retrying(lambda: self.browser.get("/accounts/login/"))
            login = {"username": self.username, "password": self.password}
            response = self.retrying(lambda: self.browser.post("/accounts/login/", login))
        if not self.expect(response, (302,), "sign-up"):
            return False
        self.retrying(lambda: self.browser.get(response.location))
        return True

    def screen(self) -> bool:
        path = "/screening/"
        self.retrying(lambda: self.browser.get(path))
        for _ in range(2 * len(flow.PAGE_SPECS)):
            step = "about" if path.rstrip("/") == "/screening" else path.rstrip("/").rsplit("/", 1)[-1]
            if step not in STEP_FORMS:
                self.recorder.problem(f"{self.username}: screening sent us to {path}")
                return False
            response = self.retrying(lambda p=path, s=step: self.browser.post(p, STEP_FORMS[s]))
            if not self.expect(response, (302,), f"screening step {step}"):
                return False
            path = response.location
            if "/screening/result/" in path:
                self.retrying(lambda p=path: self.browser.get(p))
                return True
        self.recorder.problem(f"{self.username}: screening never reached a result")
        return False

    def start_plan(self) -> bool:
        self.start = self.today() - timedelta(days=self.rng.randint(3, 40))
        self.retrying(lambda: self.browser.get("/rehab/start/"))
        form = {"start_date": self.start.isoformat(), "activity": "running"}
        response = self.retrying(lambda: self.browser.post("/rehab/start/", form))
        if not self.expect(response, (302,), "plan start"):
            return False
        self.retrying(lambda: self.browser.get(response.location))
        return True

    def pick_day(self) -> date:
        today = self.today()
        span = (today - self.start).days
        # Mostly the last week (people log today or catch up), sometimes any earlier day.
        back = self.rng.randint(0, min(span, 6)) if self.rng.random() < 0.7 else self.rng.randint(0, span)
        return today - timedelta(days=back)

    def act(self) -> None:
        r = self.rng.random()
        if r < 0.35:
            self.save_log(self.pick_day(), load_form=True)
        elif r < 0.45:  # the same day saved twice in a row (a double submit, or a quick correction)
            day = self.pick_day()
            self.save_log(day, load_form=True)
            self.save_log(day)
        elif r < 0.53:
            self.concurrently(self.save_log, self.pick_day())
        elif r < 0.70:
            self.tick(self.pick_day(), self.rng.choice(EXERCISES))
        elif r < 0.75:
            self.concurrently(self.tick, self.pick_day(), self.rng.choice(EXERCISES))
        elif r < 0.90:
            self.browser.get("/rehab/")
        else:
            self.browser.get("/rehab/timeline/")

    def concurrently(self, action, *args) -> None:
        """Two tabs of the same person doing the same thing at the same moment."""
        other = self.browser.clone()
        barrier = threading.Barrier(2, timeout=30)

        def second() -> None:
            try:
                barrier.wait()
                action(*args, browser=other, concurrent=True)
            except Exception as exc:
                self.recorder.problem(f"{self.username}: simulation error {type(exc).__name__}: {exc}")

        helper = threading.Thread(target=second, daemon=True)
        helper.start()
        barrier.wait()
        action(*args, browser=self.browser, concurrent=True)
        helper.join(self.config.timeout * 2)

    def save_log(self, day: date, *, load_form: bool = False, browser: Browser | None = None, concurrent=False) -> None:
        browser = browser or self.browser
        path = f"/rehab/log/{day.isoformat()}/"
        if load_form:
            browser.get(path)
        for _attempt in range(3):
            values = {
                "pain_worst": self.rng.randint(0, 6),
                "pain_morning": self.rng.choice((None, 0, 1, 2, 3)),
                "swelling": "local" if self.rng.random() < 0.1 else "none",
                "nsaid": self.rng.random() < 0.1,
            }
            token = f"{self.username} {day.isoformat()} #{next(self.counter)}"
            form = {
                "pain_worst": str(values["pain_worst"]),
                "pain_morning": "" if values["pain_morning"] is None else str(values["pain_morning"]),
                "rested": "yes",  # asked only in the rest phase, ignored otherwise
                "session_done": "no",  # asked only on session days, ignored otherwise
                "swelling": values["swelling"],
                "nsaid": "yes" if values["nsaid"] else "no",
                "notes": token,
            }
            save = Save("log", self.username, day, token=token, values=values, concurrent=concurrent)
            save.started = time.monotonic()
            response = browser.post(path, form)
            save.ended, save.status = time.monotonic(), response.status
            save.acked = response.status == 302 and response.location.startswith("/rehab/")
            self.recorder.save(save)
            if save.acked:
                browser.get(response.location)  # a browser follows the redirect (and shows the messages)
                return
            if response.status not in (0, 503):
                self.recorder.problem(
                    f"{self.username}: log save {day} answered {response.status}: {response.body[:200]!r}"
                )
                return
            if time.monotonic() > self.deadline:
                return
            time.sleep(self.config.retry_pause)  # the site said "back in a moment": try again

    def tick(self, day: date, slug: str, *, browser: Browser | None = None, concurrent: bool = False) -> None:
        browser = browser or self.browser
        htmx = self.rng.random() < 0.7  # the page ticks with htmx; without JavaScript it is a form POST
        path = f"/rehab/done/{day.isoformat()}/{slug}/"
        for _attempt in range(3):
            save = Save("tick", self.username, day, slug=slug, concurrent=concurrent)
            save.started = time.monotonic()
            response = browser.post(path, {"done": "1", "next": "/rehab/"}, htmx=htmx)
            save.ended, save.status = time.monotonic(), response.status
            save.acked = response.status == (200 if htmx else 302)
            self.recorder.save(save)
            if save.acked:
                return
            if response.status not in (0, 503):
                self.recorder.problem(
                    f"{self.username}: tick {day} {slug} answered {response.status}: {response.body[:200]!r}"
                )
                return
            if time.monotonic() > self.deadline:
                return
            time.sleep(self.config.retry_pause)


def run_people(config: LoadConfig, recorder: Recorder | None = None) -> Recorder:
    """Start `config.people` people (spread over `config.ramp` seconds); wait for all of them."""
    recorder = recorder or Recorder()
    gate = threading.Lock() if config.one_at_a_time else None
    began = time.monotonic()
    deadline = began + config.duration
    people = [Person(n, config, recorder, deadline, gate) for n in range(1, config.people + 1)]
    threads = []
    for n, person in enumerate(people):
        delay = began + config.ramp * n / max(1, config.people) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=person.run, name=person.username, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(max(0.0, deadline + config.grace + config.timeout - time.monotonic()))
    stuck = [t.name for t in threads if t.is_alive()]
    if stuck:
        recorder.problem(f"{len(stuck)} people still busy long after the end: {', '.join(stuck[:5])}")
    recorder.began, recorder.ended = began, time.monotonic()
    return recorder


# --- the invariants --------------------------------------------------------------------------


@dataclass
class Report:
    failures: list[str]
    stats: dict

    @property
    def ok(self) -> bool:
        return not self.failures

    def describe(self, limit: int = 25) -> str:
        lines = [f"{len(self.failures)} failure(s):", *(f"  - {f}" for f in self.failures[:limit])]
        if len(self.failures) > limit:
            lines.append(f"  ... and {len(self.failures) - limit} more")
        return "\n".join(lines)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * (len(values) - 1) + 0.5))]


def verify(recorder: Recorder, *, outage: tuple[float, float] | None = None) -> Report:
    """Check the invariants (module docstring). `outage`: (from, to) monotonic times when the
    friendly 503 is allowed (the fault test) for requests that overlap it; otherwise any 5xx fails."""
    from django.db.models import Count

    from rehab.models import Completion, DailyLog

    failures: list[str] = list(recorder.problems)

    # 1. Answers: no 5xx (but the friendly 503 during an outage), no 4xx (the people send nothing
    #    wrong), no broken connections.
    bad = Counter()
    for e in recorder.events:
        if e.status == 0:
            bad[f"no answer ({e.note.split(':')[0]}) {e.method} {e.route}"] += 1
        elif 400 <= e.status < 500:
            bad[f"{e.status} {e.method} {e.route}"] += 1
        elif e.status >= 500:
            # Allowed when the request overlapped the outage (it may have begun just before the stop).
            allowed = outage is not None and e.friendly and e.ended >= outage[0] and e.started <= outage[1]
            if not allowed:
                kind = "friendly 503 outside the outage" if e.friendly else f"{e.status} ({e.note[:80]!r})"
                bad[f"{kind} {e.method} {e.route}"] += 1
    failures += [f"{n} x {what}" for what, n in bad.most_common()]

    # 2. Every acknowledged save is stored, with its values; nothing stored that nobody sent.
    names = list(recorder.people)
    logs = {
        (row["plan__user__username"], row["date"]): row
        for row in DailyLog.objects.filter(plan__user__username__in=names).values(
            "plan__user__username", "date", "pain_worst", "pain_morning", "swelling", "nsaid", "notes"
        )
    }
    by_day: dict[tuple[str, date], list[Save]] = defaultdict(list)
    ticks: list[Save] = []
    for save in recorder.saves:
        if save.kind == "log":
            by_day[(save.who, save.day)].append(save)
        else:
            ticks.append(save)
    for key, saves in by_day.items():
        row = logs.get(key)
        acked = [s for s in saves if s.acked]
        if row is None:
            if acked:
                failures.append(f"acknowledged log of {key[0]} for {key[1]} is missing")
            continue
        source = next((s for s in saves if s.token == row["notes"]), None)
        if source is None:
            failures.append(f"log of {key[0]} for {key[1]} holds notes nobody sent: {row['notes']!r}")
            continue
        later = [s for s in acked if s.started > source.ended]
        if later:
            failures.append(
                f"lost update: {key[0]} {key[1]} holds save {source.token!r} although {later[-1].token!r} "
                "was sent after it was answered and acknowledged"
            )
        stored = {k: row[k] for k in ("pain_worst", "pain_morning", "swelling", "nsaid")}
        if stored != source.values:
            failures.append(f"log {source.token!r} stored as {stored}, sent {source.values}")
    for key in logs.keys() - by_day.keys():
        failures.append(f"a log nobody saved: {key[0]} {key[1]}")

    done = set(
        Completion.objects.filter(plan__user__username__in=names).values_list(
            "plan__user__username", "date", "exercise_id"
        )
    )
    for save in ticks:
        if save.acked and (save.who, save.day, save.slug) not in done:
            failures.append(f"acknowledged tick {save.who} {save.day} {save.slug} is missing")
    sent_ticks = {(s.who, s.day, s.slug) for s in ticks}
    for key in done - sent_ticks:
        failures.append(f"a tick nobody sent: {key}")

    # 3. One log per plan and date; one tick per plan, date and exercise.
    dup_logs = (
        DailyLog.objects.filter(plan__user__username__in=names)
        .values("plan_id", "date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    failures += [f"{d['n']} logs for plan {d['plan_id']} on {d['date']}" for d in dup_logs]
    dup_ticks = (
        Completion.objects.filter(plan__user__username__in=names)
        .values("plan_id", "date", "exercise_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    failures += [f"{d['n']} ticks for plan {d['plan_id']} {d['date']} {d['exercise_id']}" for d in dup_ticks]

    # 4. The run did what it says.
    ready = sum(1 for p in recorder.people.values() if p["ready"])
    if ready < len(recorder.people):
        failures.append(f"only {ready} of {len(recorder.people)} people got through sign-up, screening and plan start")
    log_acks = sum(1 for s in recorder.saves if s.kind == "log" and s.acked)
    if not log_acks:
        failures.append("no log save was acknowledged: nothing was tested")

    seconds = getattr(recorder, "ended", 0) - getattr(recorder, "began", 0)
    latencies = [e.seconds * 1000 for e in recorder.events if e.status]
    by_route: dict[str, list[float]] = defaultdict(list)
    statuses_by_route: dict[str, Counter] = defaultdict(Counter)
    for e in recorder.events:
        statuses_by_route[f"{e.method} {e.route}"][e.status] += 1
        if e.status and e.status < 500:
            by_route[f"{e.method} {e.route}"].append(e.seconds * 1000)
    same_day_pairs = sum(1 for saves in by_day.values() if len(saves) > 1)
    stats = {
        "people": len(recorder.people),
        "people_ready": ready,
        "seconds": round(seconds, 1),
        "requests": len(recorder.events),
        "requests_per_second": round(len(recorder.events) / seconds, 1) if seconds > 0 else None,
        "statuses": dict(sorted(Counter(e.status for e in recorder.events).items())),
        "friendly_503": sum(1 for e in recorder.events if e.friendly),
        "latency_ms": {
            "p50": round(_pct(latencies, 0.5), 1),
            "p95": round(_pct(latencies, 0.95), 1),
            "p99": round(_pct(latencies, 0.99), 1),
            "max": round(max(latencies, default=0), 1),
        },
        "latency_ms_by_route": {
            route: {"n": len(v), "p50": round(_pct(v, 0.5), 1), "p95": round(_pct(v, 0.95), 1)}
            for route, v in sorted(by_route.items())
        },
        "statuses_by_route": {route: dict(sorted(c.items())) for route, c in sorted(statuses_by_route.items())},
        "log_saves_sent": sum(1 for s in recorder.saves if s.kind == "log"),
        "log_saves_acknowledged": log_acks,
        "log_saves_concurrent": sum(1 for s in recorder.saves if s.kind == "log" and s.concurrent),
        "days_saved_more_than_once": same_day_pairs,
        "ticks_sent": len(ticks),
        "ticks_acknowledged": sum(1 for s in ticks if s.acked),
        "ticks_concurrent": sum(1 for s in ticks if s.concurrent),
        "logs_in_database": len(logs),
        "ticks_in_database": len(done),
        "failures": len(failures),
    }
    return Report(failures, stats)
