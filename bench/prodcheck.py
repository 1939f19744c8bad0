"""`make prodcheck`: the production setup in deploy/, started on this machine and tested end to end.

What it starts (and stops, also when a check fails):
- a private PostgreSQL cluster (bench/pg.py: its own folder and port, BENCH_PG_PORT, never 5432);
- two app servers, "machine A" and "machine B": gunicorn with deploy/gunicorn.conf.py on two
  ports, each its own process tree with its own environment (deploy/production.env with this
  run's secret, database and addresses) and its own mail folder; nothing shared but PostgreSQL
  (and the release's files, as two machines with the same release would have);
- Debian's nginx with deploy/nginx/itbcare.conf in front of both, on a self-signed certificate.

Then, over HTTPS with production settings (DEBUG off, secure cookies, SSL redirect, HSTS):
1. health: /healthz and /readyz on each app server and through nginx; /readyz says 503 while a
   migration of the code is not applied, /healthz stays 200;
2. TLS and HTTP: HTTP/2 offered (ALPN), TLS 1.3, plain HTTP redirected, nginx's size limit;
3. a person signs up, screens, starts a plan, logs days, turns on email reminders (confirms the
   address from the email), opens the calendar feed and a share link, signs out and in again,
   every request alternating between the two app servers (found in their logs by request id);
4. the production headers on pages, cookies, static files and nginx's own answers;
5. a rolling restart under load: simulated people (bench/sim.py) over HTTPS while each app
   server is reloaded in place (HUP, what `systemctl reload` does), then each is taken out of
   nginx, stopped, started as a new process and put back: every request answered, 0 lost writes;
6. send_reminders started on both machines at the same moment (twice): each due reminder sent
   exactly once;
7. rate limits on sign-in and the token URLs; no token, note or body text in any log; every log
   line JSON;
8. a backup (pg_dump) restored into a new database, the same rows in every table; and
   point-in-time recovery from a base backup and the archived WAL to the moment before an
   "accident" (a second cluster on BENCH_PG_PORT + 1);
9. `manage.py check --deploy` with the app servers' environment.

Prints PASS or FAIL with the figures and writes them to artifacts/bench/prodcheck-*.json.
`python -m bench prodstack` starts the same stack, signs a person in, prints how to point a
scanner at it, and keeps it running until Ctrl-C.
"""

from __future__ import annotations

import email
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit

from .env import ARTIFACTS, ROOT, apt_install, free_port, machine, say
from .pg import Cluster
from .server import Gunicorn

RUN = ROOT / ".run" / "prodcheck"
SITE_CONF = ROOT / "deploy" / "nginx" / "itbcare.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
ENV_TEMPLATE = ROOT / "deploy" / "production.env"
HOST = "localhost"

PEOPLE = int(os.environ.get("PRODCHECK_PEOPLE", "12"))
SECONDS = float(os.environ.get("PRODCHECK_SECONDS", "60"))
WORKERS = int(os.environ.get("PRODCHECK_WORKERS", "2"))  # per app server
REMINDER_PEOPLE = int(os.environ.get("PRODCHECK_REMINDER_PEOPLE", "40"))


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- nginx -----------------------------------------------------------------------------------------


def render_site(text: str, *, upstreams: dict[int, bool], https_port: int, http_port: int, run: Path) -> str:
    """deploy/nginx/itbcare.conf with this machine's names, ports, paths and certificate. Only what
    must differ on a test machine is changed; each change must find its text, so the file and
    this function cannot drift apart unnoticed. `upstreams`: port -> in service (False: `down`,
    taken out for a restart)."""

    def swap(old: str, new: str, pattern: bool = False) -> None:
        nonlocal text
        found = re.findall(old, text, flags=re.S) if pattern else [old] * text.count(old)
        if not found:
            raise SystemExit(f"prodcheck: deploy/nginx/itbcare.conf no longer has {old!r}; update bench/prodcheck.py")
        text = re.sub(old, lambda _m: new, text, flags=re.S) if pattern else text.replace(old, new)

    # The catch-all for unknown host names rejects connections without a name (SNI), and a
    # scanner pointed at https://127.0.0.1:<port>/ sends none: left out here.
    swap(r"# --- Unknown host names.*?# \(end catch-all\)\n", "", pattern=True)
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s{'' if up else ' down'};\n"
        for port, up in upstreams.items()
    )
    swap(r"upstream itbcare \{.*?\n\}", "upstream itbcare {\n" + servers + "}", pattern=True)
    swap("    listen [::]:80;\n", "")
    swap("    listen [::]:443 ssl http2;\n", "")
    swap("listen 80;", f"listen 127.0.0.1:{http_port};")
    swap("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    swap("server_name itbcare.example.org;", f"server_name {HOST} 127.0.0.1;")
    swap("/etc/letsencrypt/live/itbcare.example.org/fullchain.pem", str(run / "tls" / "cert.pem"))
    swap("/etc/letsencrypt/live/itbcare.example.org/privkey.pem", str(run / "tls" / "key.pem"))
    swap("return 301 https://$host$request_uri;", f"return 301 https://$host:{https_port}$request_uri;")
    swap("/var/log/nginx/", f"{run}/logs/")
    swap("/srv/itbcare/staticfiles/", f"{ROOT / 'staticfiles'}/")
    swap("/var/www/letsencrypt", str(run / "acme"))
    return text


def _nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        apt_install("nginx")
        found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found


class Nginx:
    """Debian's nginx with its own prefix, config and logs under .run/prodcheck/nginx."""

    def __init__(self, *, https_port: int, http_port: int, upstreams: list[int]) -> None:
        self.binary = _nginx_binary()
        self.https_port, self.http_port = https_port, http_port
        self.upstreams = dict.fromkeys(upstreams, True)
        self.prefix = RUN / "nginx"
        self.conf = self.prefix / "nginx.conf"
        self.site = self.prefix / "itbcare.conf"
        self.proc: subprocess.Popen | None = None

    def write(self) -> None:
        for folder in ("logs", "tmp", "acme"):
            (RUN / folder if folder != "tmp" else self.prefix / folder).mkdir(parents=True, exist_ok=True)
        self.site.write_text(
            render_site(
                SITE_CONF.read_text(),
                upstreams=self.upstreams,
                https_port=self.https_port,
                http_port=self.http_port,
                run=RUN,
            )
        )
        tmp = self.prefix / "tmp"
        # Debian's /etc/nginx/nginx.conf, reduced to what a site needs (one worker: round robin
        # then alternates strictly, which the journey checks).
        self.conf.write_text(
            f"worker_processes 1;\npid {self.prefix / 'nginx.pid'};\nerror_log {RUN / 'logs' / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            "    sendfile on;\n    tcp_nopush on;\n    types_hash_max_size 2048;\n"
            f"    client_body_temp_path {tmp}/body;\n    proxy_temp_path {tmp}/proxy;\n"
            f"    fastcgi_temp_path {tmp}/fastcgi;\n    uwsgi_temp_path {tmp}/uwsgi;\n    scgi_temp_path {tmp}/scgi;\n"
            f"    access_log {RUN / 'logs' / 'access.log'};\n"
            f"    include {self.site};\n"
            "}\n"
        )

    def test(self) -> None:
        result = subprocess.run(
            [self.binary, "-t", "-q", "-p", str(self.prefix), "-c", str(self.conf)], capture_output=True, text=True
        )
        if result.returncode != 0:
            raise SystemExit(f"prodcheck: nginx -t failed:\n{result.stderr}")

    def start(self) -> None:
        self.write()
        self.test()
        log = (RUN / "logs" / "nginx.stderr").open("a")
        self.proc = subprocess.Popen(
            [self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"prodcheck: nginx exited at start-up, see {RUN / 'logs'}")
            if _port_open(self.https_port):
                say(
                    f"nginx: https://{HOST}:{self.https_port}/ (plain HTTP on {self.http_port}) -> {list(self.upstreams)}"
                )
                return
            time.sleep(0.05)
        raise SystemExit("prodcheck: nginx did not listen within 15 s")

    def workers(self) -> set[int]:
        try:
            path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
            return {int(pid) for pid in path.read_text().split()}
        except (OSError, AttributeError):
            return set()

    def reload(self, **in_service: bool) -> float:
        """Rewrite the upstream (port -> in service) and reload gracefully (HUP): new workers take
        new connections, old ones finish their requests and exit. Returns the seconds until they had."""
        began = time.monotonic()
        for port, up in in_service.items():
            self.upstreams[int(port)] = up
        self.write()
        self.test()
        old = self.workers()
        self.proc.send_signal(signal.SIGHUP)
        while time.monotonic() < began + 60:
            now = self.workers()
            if now and not now & old:
                return time.monotonic() - began
            time.sleep(0.02)
        raise SystemExit("prodcheck: nginx's old workers did not finish within 60 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful shutdown
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate for localhost and 127.0.0.1 (EC P-256), valid for two days."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST},IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    key.chmod(0o600)
    return cert


def tls_context(cert: Path) -> ssl.SSLContext:
    """Verifies the server against our certificate (no verification is switched off)."""
    return ssl.create_default_context(cafile=str(cert))


# --- the app servers --------------------------------------------------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def machine_env(name: str, *, database_url: str, secret_key: str, https_port: int) -> dict[str, str]:
    """deploy/production.env, with this run's secret, database, host names and a mail folder."""
    env = read_env_file(ENV_TEMPLATE)
    site = f"https://{HOST}:{https_port}"
    env.update(
        DJANGO_SETTINGS_MODULE="itbcare.settings",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        SITE_URL=site,
        CSRF_TRUSTED_ORIGINS=site,
        DATABASE_URL=database_url,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(RUN / "mail" / name),
        PYTHONUNBUFFERED="1",
    )
    for key in [k for k in env if k.startswith("EMAIL_HOST") or k.endswith("_FILE") or k.startswith("GUNICORN_")]:
        env.pop(key)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
        check=check,
    )  # fmt: skip


class Stack:
    """PostgreSQL, machines A and B, nginx; `close()` stops whatever was started."""

    def __init__(self, https_port: int | None = None, http_port: int | None = None) -> None:
        self.https_port = https_port or int(os.environ.get("PRODCHECK_HTTPS_PORT") or free_port())
        self.http_port = http_port or int(os.environ.get("PRODCHECK_HTTP_PORT") or free_port())
        self.cluster: Cluster | None = None
        self.servers: dict[str, Gunicorn] = {}
        self.nginx: Nginx | None = None
        self.env: dict[str, dict[str, str]] = {}
        self.cert: Path | None = None
        self.timings: dict[str, float] = {}

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    def start(self) -> None:
        began = time.monotonic()
        shutil.rmtree(RUN, ignore_errors=True)
        RUN.mkdir(parents=True)
        self.cluster = Cluster()
        self.cluster.init()
        archive_wal(self.cluster)
        self.cluster.start()
        database_url = self.cluster.create_database("itbcare_prod")
        secret = "prodcheck-" + secrets.token_urlsafe(48)
        for name in ("a", "b"):
            self.env[name] = machine_env(name, database_url=database_url, secret_key=secret, https_port=self.https_port)
            (RUN / "mail" / name).mkdir(parents=True)
        # Once per deploy, from one machine, before the new code serves (README, "Deploying").
        manage(self.env["a"], "migrate", "--noinput", "--verbosity", "0")
        manage(self.env["a"], "createcachetable")
        manage(self.env["a"], "collectstatic", "--noinput", "--verbosity", "0")
        self.cert = make_certificate(RUN / "tls")
        for name in ("a", "b"):
            self.servers[name] = self.new_server(name)
            self.servers[name].start()
        self.nginx = Nginx(
            https_port=self.https_port, http_port=self.http_port, upstreams=[s.port for s in self.servers.values()]
        )
        self.nginx.start()
        self.timings["start_s"] = round(time.monotonic() - began, 1)

    def new_server(self, name: str, port: int | None = None) -> Gunicorn:
        return Gunicorn(
            self.env[name], workers=WORKERS, port=port, config=GUNICORN_CONF, log=RUN / "logs" / f"machine-{name}.log"
        )

    def restart(self, name: str) -> dict[str, float]:
        """What a rolling restart does to one machine with nginx in front: out of the upstream
        (graceful nginx reload), stop (gunicorn finishes its requests), start anew, wait until
        /readyz says ready, back into the upstream."""
        server = self.servers[name]
        began = time.monotonic()
        drained = self.nginx.reload(**{str(server.port): False})
        server.stop()
        stopped = time.monotonic()
        fresh = self.new_server(name, port=server.port)
        fresh.start()
        ready = _wait_ready(fresh.port)
        self.servers[name] = fresh
        back = self.nginx.reload(**{str(server.port): True})
        return {
            "drain_s": round(drained, 2),
            "stop_s": round(stopped - began - drained, 2),
            "start_until_ready_s": round(ready, 2),
            "back_s": round(back, 2),
            "total_s": round(time.monotonic() - began, 2),
        }

    def close(self) -> dict[str, bool]:
        """Stop everything; returns what is still there afterwards (all False when clean)."""
        if self.nginx:
            self.nginx.stop()
        for server in self.servers.values():
            server.stop()
        if self.cluster:
            self.cluster.stop()
        left = {
            "nginx": _port_open(self.https_port)
            or bool(self.nginx and self.nginx.proc and self.nginx.proc.poll() is None),
            "app_servers": any(_port_open(s.port) or (s.proc and s.proc.poll() is None) for s in self.servers.values()),
            "postgresql": bool(self.cluster and self.cluster.answering()),
        }
        return left


def _get(port: int, path: str, timeout: float = 5) -> tuple[int, str]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    except OSError as exc:
        return 0, str(exc)
    finally:
        conn.close()


def _wait_ready(port: int, timeout: float = 30) -> float:
    began = time.monotonic()
    while time.monotonic() < began + timeout:
        if _get(port, "/readyz")[0] == 200:
            return time.monotonic() - began
        time.sleep(0.05)
    raise SystemExit(f"prodcheck: the app server on port {port} never said ready")


# --- reading the logs --------------------------------------------------------------------------------


def read_json_lines(path: Path) -> tuple[list[dict], list[str]]:
    good, bad = [], []
    if not path.exists():
        return good, bad
    for line in path.read_text(errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            good.append(json.loads(line))
        except ValueError:
            bad.append(line)
    return good, bad


def served_by() -> dict[str, str]:
    """request id -> machine, from both machines' request lines."""
    where = {}
    for name in ("a", "b"):
        lines, _bad = read_json_lines(RUN / "logs" / f"machine-{name}.log")
        for line in lines:
            if line.get("logger") == "itbcare.request" and line.get("request_id"):
                where[line["request_id"]] = name
    return where


# --- the checks -----------------------------------------------------------------------------------


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []
        self.passed: list[str] = []

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        (self.passed if ok else self.failures).append(what if ok else f"{what}{': ' + detail if detail else ''}")
        return ok


def check_health(stack: Stack, checks: Checks) -> None:
    for name, server in stack.servers.items():
        checks.check(_get(server.port, "/healthz") == (200, "ok\n"), f"machine {name}: /healthz 200 ok")
        checks.check(_get(server.port, "/readyz") == (200, "ok\n"), f"machine {name}: /readyz 200 ok")
    # A migration of this code that the database has not applied: not ready, still alive.
    row = stack.cluster.psql(
        "SELECT app || ' ' || name FROM django_migrations WHERE app = 'rehab' ORDER BY id DESC LIMIT 1", "itbcare_prod"
    )
    app, name = row.split(" ", 1)
    stack.cluster.psql(f"DELETE FROM django_migrations WHERE app = '{app}' AND name = '{name}'", "itbcare_prod")
    try:
        for machine_name, server in stack.servers.items():
            status, body = _get(server.port, "/readyz")
            checks.check(
                status == 503 and "not applied" in body,
                f"machine {machine_name}: /readyz 503 with a migration not applied",
                f"{status} {body!r}",
            )
            checks.check(_get(server.port, "/healthz")[0] == 200, f"machine {machine_name}: /healthz 200 meanwhile")
    finally:
        stack.cluster.psql(
            f"INSERT INTO django_migrations (app, name, applied) VALUES ('{app}', '{name}', now())", "itbcare_prod"
        )
    for server in stack.servers.values():
        checks.check(_get(server.port, "/readyz")[0] == 200, "/readyz 200 again once it is applied")


def check_tls(stack: Stack, checks: Checks, context: ssl.SSLContext) -> dict:
    figures = {}
    alpn = ssl.create_default_context(cafile=str(stack.cert))
    alpn.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", stack.https_port)) as raw:
        with alpn.wrap_socket(raw, server_hostname=HOST) as tls:
            figures["alpn"], figures["tls"] = tls.selected_alpn_protocol(), tls.version()
    checks.check(figures["alpn"] == "h2", "HTTP/2 offered (ALPN h2)", str(figures["alpn"]))
    checks.check(figures["tls"] == "TLSv1.3", "TLS 1.3 negotiated", str(figures["tls"]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            old.load_verify_locations(str(stack.cert))
            old.set_ciphers("DEFAULT:@SECLEVEL=0")
            old.minimum_version = ssl.TLSVersion.TLSv1
            old.maximum_version = ssl.TLSVersion.TLSv1_1
    except (ssl.SSLError, ValueError) as exc:  # this Python cannot even offer TLS 1.1: nothing to test
        figures["tls_1_1"] = f"not tested ({exc})"
    else:
        try:
            with socket.create_connection(("127.0.0.1", stack.https_port)) as raw:
                with old.wrap_socket(raw, server_hostname=HOST):
                    refused = False
        except (ssl.SSLError, OSError):
            refused = True
        figures["tls_1_1"] = "refused" if refused else "accepted"
        checks.check(refused, "TLS 1.0/1.1 refused")
    if shutil.which("curl"):
        out = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", "--http2", "--cacert",
             str(stack.cert), f"{stack.url}/"],
            capture_output=True, text=True,
        ).stdout  # fmt: skip
        figures["curl"] = out
        checks.check(out == "2 200", "a page over HTTP/2 (curl --http2)", out)
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=5)
    conn.request("GET", "/rehab/?x=1", headers={"Host": HOST})
    response = conn.getresponse()
    conn.close()
    checks.check(
        response.status == 301 and response.getheader("Location") == f"{stack.url}/rehab/?x=1",
        "plain HTTP is redirected to HTTPS",
        f"{response.status} {response.getheader('Location')}",
    )
    return figures


def _alternation(events, where: dict[str, str]) -> tuple[list[str], int]:
    machines = [where.get(e.request_id, "?") for e in events if e.request_id]
    switches = sum(1 for x, y in zip(machines, machines[1:], strict=False) if x != y)
    return machines, switches


def journey(stack: Stack, checks: Checks, context: ssl.SSLContext) -> dict:
    """One person, every step: sign-up, screen, plan, logs, reminders, calendar, share, sign out and in."""
    from .sim import Browser, LoadConfig, Person, Recorder

    recorder = Recorder()
    config = LoadConfig(stack.url, prefix="journey-", ssl_context=context)
    person = Person(1, config, recorder, time.monotonic() + 120, None)
    browser: Browser = person.browser
    secrets_seen: list[str] = []

    first = browser.get("/accounts/signup/")
    cookies = first.headers.get_all("Set-Cookie") or []
    ok = checks.check(person.sign_up(), "sign-up over HTTPS (CSRF and session across both machines)")
    ok = ok and checks.check(person.screen(), "knee check, step by step")
    ok = ok and checks.check(person.start_plan(), "plan started")
    if not ok:
        return {"problems": recorder.problems}
    today = person.today()
    days = [today - timedelta(days=n) for n in (2, 1, 0)]
    note = f"journey-private-note-{secrets.token_hex(4)}"
    secrets_seen.append(note)
    for day in days:
        response = browser.post(
            f"/rehab/log/{day.isoformat()}/",
            {
                "pain_worst": "3",
                "rested": "yes",
                "session_done": "no",
                "swelling": "none",
                "nsaid": "no",
                "notes": note,
            },
        )
        saved = response.status == 302
        page = browser.get(response.location) if saved else response
        checks.check(
            saved and page.status == 200 and "Saved your log" in page.body,
            f"log for {day} saved, and its message shown by the other machine",
            f"{response.status} -> {page.status}",
        )
    timeline = browser.get("/rehab/timeline/")
    checks.check(timeline.status == 200 and note in timeline.body, "the timeline shows the logs")

    # Email reminders: the address is confirmed from the email (whichever machine sent it).
    address = "journey@example.test"
    response = browser.post("/reminders/", {"email_on": "on", "remind_at": "00:00", "email": address})
    checks.check(response.status == 302, "reminder settings saved", str(response.status))
    browser.get(response.location)
    link = _find_link(r"https://\S+/reminders/confirm/\S+/")
    checks.check(
        link is not None and link.startswith(stack.url + "/"), "confirmation email with an https link", str(link)
    )
    if link:
        secrets_seen.append(urlsplit(link).path.split("/")[3])
        path = urlsplit(link).path
        asked = browser.get(path)
        confirmed = browser.post(path, {})
        checks.check(asked.status == 200 and confirmed.status in (200, 302), "address confirmed from the link")
    # The calendar feed and a share link, through nginx's token locations.
    # The link is shown once, on the page that makes it (only its hash is stored).
    browser.get("/accounts/settings/")
    settings_page = browser.post("/reminders/calendar/new/", {})
    feed = re.search(r"https://[^\"'<\s]+/calendar/[^\"'<\s]+\.ics", settings_page.body)
    checks.check(bool(feed) and feed.group(0).startswith(stack.url), "calendar link is https on the site's host")
    if feed:
        secrets_seen.append(urlsplit(feed.group(0)).path.split("/")[2].removesuffix(".ics"))
        ics = browser.get(urlsplit(feed.group(0)).path)
        checks.check(ics.status == 200 and "BEGIN:VCALENDAR" in ics.body, "calendar feed answers")
    shared = browser.post("/rehab/share/", {"days": "7"})
    share = re.search(r"https://[^\"'<\s]+/s/[^\"'<\s/]+/", shared.body)
    checks.check(
        shared.status == 200 and bool(share) and share.group(0).startswith(stack.url + "/s/"),
        "share link built as https on the site's host (X-Forwarded-Proto, Host)",
    )
    if share:
        secrets_seen.append(urlsplit(share.group(0)).path.split("/")[2])
        viewer = Browser(stack.url, recorder, "clinician", ssl_context=context)
        report = viewer.get(urlsplit(share.group(0)).path)
        checks.check(report.status == 200 and report.headers.get("Cache-Control") == "no-store", "share link opens")
    # Sign out on one machine, in on the other.
    out = browser.post("/accounts/logout/", {})
    browser.get("/accounts/login/")
    back = browser.post("/accounts/login/", {"username": person.username, "password": person.password})
    checks.check(out.status == 302 and back.status == 302, "signed out and in again", f"{out.status} {back.status}")
    home = browser.get("/rehab/")
    checks.check(home.status == 200 and note in browser.get("/rehab/timeline/").body, "signed in again, data there")

    time.sleep(0.3)  # the request lines are written as each answer leaves
    where = served_by()
    # nginx alternates between the machines request by request, whoever sends them (the
    # clinician's look at the share link included), so every request of the journey counts.
    app_events = sorted(recorder.events, key=lambda e: e.started)
    machines, switches = _alternation(app_events, where)
    unknown = machines.count("?")
    checks.check(unknown == 0, "every answer's X-Request-ID is in one machine's log", f"{unknown} not found")
    checks.check(
        switches == len(machines) - 1,
        "requests alternated between the machines",
        f"{switches} switches in {len(machines)} requests: {''.join(machines)}",
    )
    bad = [f"{e.method} {e.route} {e.status}" for e in recorder.events if e.status >= 400 or e.status == 0]
    checks.check(not bad and not recorder.problems, "no error answer in the journey", f"{bad} {recorder.problems}")
    return {
        "requests": len(app_events),
        "served_by": dict(Counter(machines)),
        "switches": switches,
        "cookies": cookies,
        "person": person,
        "secrets": secrets_seen,
        "first": first,
        "home": home,
        "session_cookies": back.headers.get_all("Set-Cookie") or [],
    }


def _find_link(pattern: str) -> str | None:
    for name in ("a", "b"):
        for path in sorted((RUN / "mail" / name).glob("*.log")):
            found = re.search(pattern, path.read_text())
            if found:
                return found.group(0)
    return None


def check_headers(stack: Stack, checks: Checks, context: ssl.SSLContext, seen: dict) -> dict:
    from .sim import Browser, Recorder

    first, home = seen["first"], seen["home"]
    for label, response in (("sign-up page", first), ("today's page, signed in", home)):
        h = response.headers
        checks.check(
            h.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload",
            f"{label}: HSTS one year, subdomains, preload",
            str(h.get("Strict-Transport-Security")),
        )
        csp = h.get("Content-Security-Policy", "")
        checks.check(
            "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp,
            f"{label}: strict CSP",
            csp,
        )
        for header, value in (
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ):
            checks.check(h.get(header) == value, f"{label}: {header}: {value}", str(h.get(header)))
        checks.check(bool(h.get("Permissions-Policy")), f"{label}: Permissions-Policy")
        checks.check(h.get("Server") == "nginx", f"{label}: Server header without a version", str(h.get("Server")))
        checks.check(len(h.get_all("Strict-Transport-Security") or []) == 1, f"{label}: one HSTS header")
        checks.check(len(h.get_all("X-Request-ID") or []) == 1, f"{label}: one X-Request-ID")
    cookies = {c.split("=", 1)[0]: c for c in seen["cookies"]}
    signed_in = seen["person"].browser.cookies
    checks.check("csrftoken" in cookies and "sessionid" in signed_in, "csrftoken and sessionid cookies were set")
    for header in seen["cookies"] + seen.get("session_cookies", []):
        name = header.split("=", 1)[0]
        lowered = header.lower()
        checks.check(
            "; secure" in lowered and "; httponly" in lowered and "samesite=lax" in lowered,
            f"cookie {name}: Secure, HttpOnly, SameSite=Lax",
            header,
        )
    # Static files: from nginx, compressed, cached for a year when hashed, with the headers too.
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())["paths"]
    browser = Browser(stack.url, Recorder(), "static", ssl_context=context)
    conn = browser.connection()
    conn.request("GET", "/static/" + manifest["css/site.css"], headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    conn.close()
    h = response.headers
    checks.check(response.status == 200 and h.get("Content-Encoding") == "gzip", "static CSS served gzipped by nginx")
    checks.check(
        h.get("Cache-Control") == "public, max-age=31536000, immutable", "hashed static file cached a year, immutable"
    )
    checks.check(bool(h.get("Strict-Transport-Security")) and h.get("X-Content-Type-Options") == "nosniff",
                 "static files carry HSTS and nosniff")  # fmt: skip
    checks.check(bool(h.get("X-Request-ID")), "static files carry a request id (nginx's)")
    # nginx's own limit on request bodies: the app's (2,621,440 bytes).
    too_big = _post_size(browser, 2_700_000)
    fits = _post_size(browser, 2_500_000)
    checks.check(too_big == 413, "a body over the app's limit is refused by nginx (413)", str(too_big))
    checks.check(fits not in (413, 0), "a body under the limit reaches the app", str(fits))
    return {"static_cache_control": h.get("Cache-Control"), "oversized_body_status": too_big}


def _post_size(browser, size: int) -> int:
    conn = browser.connection()
    try:
        conn.request("POST", "/privacy/", body=b"x=" + b"a" * size, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": browser.base_url})  # fmt: skip
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def rolling_restart(stack: Stack, checks: Checks, context: ssl.SSLContext) -> dict:
    """The load test over HTTPS while each machine is reloaded in place and then restarted."""
    from .sim import LoadConfig, Recorder, run_people, verify

    recorder = Recorder()
    config = LoadConfig(
        stack.url, people=PEOPLE, duration=SECONDS, think=(0.2, 1.0), prefix=f"prod{_stamp()}-", ssl_context=context
    )
    steps: list[dict] = []

    def restarts() -> None:
        began = time.monotonic()
        # Once everybody is signed up and saving (sign-up hashes the password: slow on purpose).
        while recorder.ready < PEOPLE and time.monotonic() < began + SECONDS / 4:
            time.sleep(0.2)
        for name in ("a", "b"):
            at = time.monotonic() - began
            seconds = stack.servers[name].reload()
            steps.append({"machine": name, "kind": "reload (HUP)", "at_s": round(at, 1), "took_s": round(seconds, 2)})
            time.sleep(1)
        for name in ("a", "b"):
            at = time.monotonic() - began
            figures = stack.restart(name)
            steps.append({"machine": name, "kind": "restart (out of nginx, new process, back)", "at_s": round(at, 1),
                          **figures})  # fmt: skip
            time.sleep(1)

    restarter = threading.Thread(target=restarts, daemon=True)
    say(f"rolling restart: {PEOPLE} people for {SECONDS:.0f} s over HTTPS; each machine reloaded, then restarted")
    restarter.start()
    run_people(config, recorder)
    restarter.join(120)
    checks.check(len(steps) == 4, "both machines reloaded and restarted while the load ran", f"{len(steps)} of 4 steps")
    last_end = max((s["at_s"] + s.get("took_s", s.get("total_s", 0)) for s in steps), default=0)
    checks.check(last_end < SECONDS, "every restart finished before the load ended", f"{last_end:.1f} s")
    report = verify(recorder)
    errors = [e for e in recorder.events if e.status == 0 or e.status >= 400]
    lost = [f for f in report.failures if f.startswith(("acknowledged", "lost update")) or " stored as " in f]
    checks.check(not errors, "every request answered (no error, no refused or broken connection)",
                 "; ".join(sorted({f"{e.status} {e.method} {e.route} {e.note[:60]}" for e in errors}))[:600])  # fmt: skip
    checks.check(not lost, "0 lost writes", "; ".join(lost[:5]))
    other = [f for f in report.failures if f not in lost and not re.match(r"\d+ x ", f)]
    checks.check(not other, "the load's other invariants hold (one log per day, nothing unsent)", "; ".join(other[:5]))
    time.sleep(0.3)
    where = served_by()
    by_machine = Counter(where.get(e.request_id, "?") for e in recorder.events if e.request_id)
    checks.check(by_machine["a"] > 0 and by_machine["b"] > 0, "both machines served the load", str(dict(by_machine)))
    stats = report.stats
    return {
        "people": PEOPLE,
        "seconds": stats["seconds"],
        "requests": stats["requests"],
        "requests_per_second": stats["requests_per_second"],
        "statuses": stats["statuses"],
        "errors": len(errors),
        "lost_writes": len(lost),
        "log_saves_acknowledged": stats["log_saves_acknowledged"],
        "ticks_acknowledged": stats["ticks_acknowledged"],
        "latency_ms": stats["latency_ms"],
        "served_by": dict(by_machine),
        "steps": steps,
    }


def reminders_race(stack: Stack, checks: Checks) -> dict:
    """REMINDER_PEOPLE people due now; send_reminders on both machines at the same moment, twice."""
    from django.utils import timezone

    from accounts.models import User
    from accounts.privacy import PRIVACY_VERSION
    from rehab.models import Plan
    from reminders.models import ReminderSent
    from screening import rules
    from screening.models import Screening

    from .sim import ITBS_ANSWERS

    now = timezone.now()
    start = now.date() - timedelta(days=3)
    zones = ("UTC", "Europe/London", "America/New_York", "Asia/Tokyo")
    result = rules.triage(ITBS_ANSWERS)
    due = []
    for n in range(REMINDER_PEOPLE):
        user = User.objects.create(
            username=f"remind-{n}", password="!", time_zone=zones[n % len(zones)],
            health_consent_version=PRIVACY_VERSION, health_consent_at=now,
            reminders_by_email=True, remind_at=clock(0, 0), reminder_email=f"remind-{n}@example.test",
            reminder_email_confirmed_at=now,
        )  # fmt: skip
        screen = Screening.objects.create(
            user=user, version=rules.VERSION, answers=ITBS_ANSWERS, outcome=result.outcome,
            reasons=list(result.reasons), taken_at=now - timedelta(days=4),
        )  # fmt: skip
        Plan.objects.create(user=user, screening=screen, start_date=start, activity="running")
        due.append(f"remind-{n}@example.test")
    from django.db import connections

    connections.close_all()
    runs = []
    for round_ in (1, 2):
        procs = {
            name: subprocess.Popen(
                [sys.executable, "manage.py", "send_reminders"],
                cwd=ROOT,
                env={**os.environ, **stack.env[name]},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for name in ("a", "b")
        }
        for name, proc in procs.items():
            out, err = proc.communicate(timeout=300)
            sent = int(re.search(r"sent (\d+)", out).group(1)) if re.search(r"sent (\d+)", out) else -1
            runs.append({"round": round_, "machine": name, "sent": sent, "exit": proc.returncode})
            checks.check(
                proc.returncode == 0, f"send_reminders on machine {name} (round {round_}) exited 0", err[-300:]
            )
    received = Counter()
    for name in ("a", "b"):
        for path in (RUN / "mail" / name).glob("*.log"):
            for chunk in path.read_text().split("\n" + "-" * 79 + "\n"):
                if chunk.strip():
                    message = email.message_from_string(chunk)
                    if (message["Subject"] or "").startswith("ITB Care: day"):
                        received[message["To"]] += 1
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    missing = [a for a in due if received[a] == 0]
    unexpected = sorted(set(received) - set(due))
    rows = ReminderSent.objects.filter(user__username__startswith="remind-").count()
    first_round = sum(r["sent"] for r in runs if r["round"] == 1)
    second_round = sum(r["sent"] for r in runs if r["round"] == 2)
    checks.check(duplicates == 0, "no reminder sent twice", f"{duplicates} duplicates")
    checks.check(not missing, "every due reminder sent", f"{len(missing)} missing")
    checks.check(not unexpected, "no reminder to someone not due (the journey person logged today)", str(unexpected))
    checks.check(first_round == len(due) and second_round == 0, "the second round sent nothing",
                 f"{first_round} then {second_round}")  # fmt: skip
    checks.check(rows == len(due), "one ReminderSent row per person", f"{rows}")
    both = all(r["sent"] > 0 for r in runs if r["round"] == 1)
    return {
        "due": len(due),
        "emails": sum(received.values()),
        "duplicates": duplicates,
        "missing": len(missing),
        "runs": runs,
        "both_machines_sent_some": both,
    }


def check_limits_and_logs(stack: Stack, checks: Checks, context: ssl.SSLContext, private: list[str]) -> dict:
    from .sim import Browser, Recorder

    browser = Browser(stack.url, Recorder(), "limits", ssl_context=context)
    browser.get("/accounts/login/")
    logins = [
        browser.post("/accounts/login/", {"username": f"nobody-{n}", "password": "wrong-password"}).status
        for n in range(12)
    ]
    token = "prodcheck-" + secrets.token_urlsafe(24)
    shares = [browser.get(f"/s/{token}{n}/").status for n in range(26)]
    limited = browser.get(f"/calendar/{token}.ics")
    feed = limited.status
    h = limited.headers
    checks.check(
        h is not None
        and h.get("Strict-Transport-Security", "").startswith("max-age=31536000")
        and h.get("Content-Security-Policy", "").startswith("default-src 'none'")
        and h.get("X-Content-Type-Options") == "nosniff"
        and bool(h.get("X-Request-ID")),
        "nginx's own 429 page carries HSTS, a CSP, nosniff and a request id",
    )
    checks.check(logins[:6] == [200] * 6 and 429 in logins, "sign-in POSTs limited (6 at once, then 429)", str(logins))
    checks.check(browser.get("/accounts/login/").status == 200, "the sign-in page itself is not limited")
    checks.check(shares[:21] == [404] * 21 and shares[-1] == 429, "share-link guesses limited (21, then 429)",
                 str(Counter(shares)))  # fmt: skip
    checks.check(feed == 429, "calendar-feed guesses share that limit", str(feed))
    checks.check(browser.get("/privacy/").status == 200, "other pages unaffected by those limits")
    time.sleep(0.5)
    # Logs: JSON only, and no token, note or typed body anywhere (app servers, nginx).
    lines: list[dict] = []
    non_json = []
    for name in ("a", "b"):
        good, bad = read_json_lines(RUN / "logs" / f"machine-{name}.log")
        lines += good
        non_json += bad
    access, bad_access = read_json_lines(RUN / "logs" / "itbcare.access.log")
    checks.check(not non_json, "every app server log line is JSON", f"{len(non_json)}: {non_json[:2]}")
    checks.check(not bad_access and len(access) > 0, "nginx's access log is JSON", f"{len(bad_access)} not JSON")
    requests = [line for line in lines if line.get("logger") == "itbcare.request"]
    fields = {"method", "route", "status", "duration_ms", "request_id"}
    checks.check(all(fields <= line.keys() for line in requests), "every request line has its fields")
    ids_nginx = {line["request_id"] for line in access}
    # /healthz and /readyz are also asked directly (as a load balancer does), without nginx's id.
    ids_app = {line["request_id"] for line in requests if line["route"] not in ("healthz", "readyz")}
    checks.check(ids_app <= ids_nginx, "each app request id is nginx's (passed through X-Request-ID)",
                 f"{len(ids_app - ids_nginx)} unknown")  # fmt: skip
    everything = "\n".join(path.read_text(errors="replace") for path in (RUN / "logs").glob("*") if path.is_file())
    found = [s for s in [*private, token] if s and s in everything]
    checks.check(not found, "no token, note or password in any log", ", ".join(x[:12] + "…" for x in found))
    checks.check("<token>" in everything, "token paths are logged as <token>")
    return {"login_statuses": dict(Counter(logins)), "share_statuses": dict(Counter(shares)), "log_lines": len(lines),
            "request_lines": len(requests), "nginx_lines": len(access)}  # fmt: skip


def check_backup(stack: Stack, checks: Checks) -> dict:
    """pg_dump the database, restore it into a new one, compare every table's rows."""
    cluster = stack.cluster
    dump = RUN / "itbcare.dump"
    began = time.monotonic()
    subprocess.run(
        [str(cluster.bindir / "pg_dump"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "itbcare",
         "--format=custom", "--file", str(dump), "itbcare_prod"],
        check=True,
    )  # fmt: skip
    dumped = time.monotonic() - began
    cluster.psql("DROP DATABASE IF EXISTS itbcare_restored")
    cluster.psql("CREATE DATABASE itbcare_restored OWNER itbcare")
    restore = subprocess.run(
        [str(cluster.bindir / "pg_restore"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "itbcare",
         "--no-owner", "--exit-on-error", "-d", "itbcare_restored", str(dump)],
        capture_output=True, text=True,
    )  # fmt: skip
    checks.check(restore.returncode == 0, "pg_restore of the pg_dump backup", restore.stderr[-300:])
    tables = cluster.psql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", "itbcare_prod"
    ).split()
    count = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    source = cluster.psql(count, "itbcare_prod")
    restored = cluster.psql(count, "itbcare_restored") if restore.returncode == 0 else ""
    checks.check(source == restored, "the restored database has the same rows in every table")
    rows = sum(int(line.split("|")[1]) for line in source.splitlines())
    return {"tables": len(tables), "rows": rows, "dump_bytes": dump.stat().st_size, "dump_s": round(dumped, 2),
            "restore_s": round(time.monotonic() - began - dumped, 2)}  # fmt: skip


def archive_wal(cluster: Cluster) -> None:
    """Point-in-time recovery needs every WAL segment kept: archive them into the cluster's folder."""
    archive = cluster.root / "wal-archive"
    archive.mkdir()
    if cluster.run_as:
        shutil.chown(archive, "postgres", "postgres")
    with (cluster.data / "postgresql.conf").open("a") as conf:
        conf.write(f"wal_level = replica\narchive_mode = on\n"
                   f"archive_command = 'test ! -f {archive}/%f && cp %p {archive}/%f'\n")  # fmt: skip


def check_point_in_time_recovery(stack: Stack, checks: Checks) -> dict:
    """A base backup, a change after it, then an "accident" (every sent-reminder row deleted):
    a second cluster recovered from the base backup and the archived WAL to the moment before the
    accident has the change and the rows. The README's recipe, with the private cluster's paths."""
    cluster = stack.cluster
    base, data = cluster.root / "pitr-base", cluster.root / "pitr-data"
    port = int(os.environ.get("PRODCHECK_PITR_PORT") or cluster.port + 1)
    began = time.monotonic()
    cluster._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-D", str(base),
                 "-X", "fetch", "--checkpoint=fast")  # fmt: skip
    db = "itbcare_prod"
    cluster.psql("UPDATE accounts_user SET first_name = 'after the base backup' WHERE username = 'remind-0'", db)
    rows = int(cluster.psql("SELECT count(*) FROM reminders_remindersent", db))
    target = cluster.psql("SELECT now()", db)
    time.sleep(0.2)
    cluster.psql("DELETE FROM reminders_remindersent", db)  # the accident
    # The segment holding both goes to the archive now; wait until it is there.
    switched = cluster.root / "wal-archive" / cluster.psql("SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + 30
    while not switched.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    shutil.copytree(base, data, symlinks=True)
    sock = cluster.root / "pitr-sock"
    sock.mkdir()
    if cluster.run_as:
        subprocess.run(["chown", "-R", "postgres:postgres", str(data), str(sock)], check=True)
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\n# point-in-time recovery (prodcheck)\nport = {port}\nunix_socket_directories = '{sock}'\n"
            f"archive_mode = off\nrestore_command = 'cp {cluster.root / 'wal-archive'}/%f %p'\n"
            f"recovery_target_time = '{target}'\nrecovery_target_action = 'promote'\n"
        )
    (data / "recovery.signal").touch()
    if cluster.run_as:
        shutil.chown(data / "recovery.signal", "postgres", "postgres")
    started = cluster._run("pg_ctl", "-D", str(data), "-l", str(cluster.root / "pitr.log"), "-w", "-t", "60", "start",
                           check=False)  # fmt: skip
    try:
        checks.check(started.returncode == 0, "a cluster recovered from the base backup and the WAL archive",
                     (started.stderr or started.stdout)[-300:])  # fmt: skip
        query = [
            str(cluster.bindir / "psql"),
            "-X",
            "-At",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            db,
        ]
        recovered = subprocess.run([*query, "-c", "SELECT count(*) FROM reminders_remindersent"],
                                   capture_output=True, text=True).stdout.strip()  # fmt: skip
        name = subprocess.run([*query, "-c", "SELECT first_name FROM accounts_user WHERE username = 'remind-0'"],
                              capture_output=True, text=True).stdout.strip()  # fmt: skip
    finally:
        cluster._run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop", check=False)
    checks.check(name == "after the base backup", "recovery replayed the WAL written after the base backup", name)
    checks.check(recovered == str(rows) and rows > 0, "recovery stopped before the accident", f"{recovered} of {rows}")
    return {"rows_before_accident": rows, "rows_recovered": recovered, "target": target,
            "seconds": round(time.monotonic() - began, 1)}  # fmt: skip


def check_deploy_settings(stack: Stack, checks: Checks) -> None:
    result = manage(stack.env["a"], "check", "--deploy", "--fail-level", "WARNING", check=False)
    checks.check(
        result.returncode == 0 and "no issues" in result.stdout,
        "manage.py check --deploy is clean with the app servers' settings",
        (result.stdout + result.stderr)[-400:],
    )


# --- main --------------------------------------------------------------------------------------------


def main() -> int:
    began = time.monotonic()
    info = machine()
    checks = Checks()
    stack = Stack()
    figures: dict[str, object] = {}
    left: dict[str, bool] = {}
    try:
        stack.start()
        context = tls_context(stack.cert)
        say(f"stack up in {stack.timings['start_s']} s; checking")
        # This process reads the database too (the load's invariants, the reminder cohort).
        os.environ.update(stack.env["a"])
        import django

        django.setup()
        check_health(stack, checks)
        figures["tls"] = check_tls(stack, checks, context)
        seen = journey(stack, checks, context)
        if "person" in seen:
            figures["journey"] = {k: seen[k] for k in ("requests", "served_by", "switches")}
            figures["headers"] = check_headers(stack, checks, context, seen)
        figures["rolling_restart"] = rolling_restart(stack, checks, context)
        figures["reminders"] = reminders_race(stack, checks)
        private = list(seen.get("secrets", []))
        if "person" in seen:
            private.append(seen["person"].password)
        figures["limits_and_logs"] = check_limits_and_logs(stack, checks, context, private)
        figures["backup"] = check_backup(stack, checks)
        figures["point_in_time_recovery"] = check_point_in_time_recovery(stack, checks)
        check_deploy_settings(stack, checks)
    except SystemExit as exc:
        checks.failures.append(f"stopped early: {exc}")
    finally:
        left = stack.close()
    checks.check(not any(left.values()), "everything it started is stopped", str(left))
    seconds = round(time.monotonic() - began, 1)
    ok = not checks.failures
    _summary(ok, checks, figures, seconds, info)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = {"when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": info, "ok": ok,
              "seconds": seconds, "failures": checks.failures, "passed": checks.passed, "figures": figures}  # fmt: skip
    for name in (f"prodcheck-{_stamp()}.json", "prodcheck-latest.json"):
        (ARTIFACTS / name).write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 0 if ok else 1


def _summary(ok: bool, checks: Checks, figures: dict, seconds: float, info: dict) -> None:
    load = figures.get("rolling_restart", {})
    rem = figures.get("reminders", {})
    print()
    print(f"prodcheck: {len(checks.passed)} checks passed, {len(checks.failures)} failed, {seconds} s "
          f"(load average at start {info['load_average_at_start']})")  # fmt: skip
    if "journey" in figures:
        j = figures["journey"]
        print(f"  journey: {j['requests']} requests over HTTPS, served by {j['served_by']}, {j['switches']} switches")
    if load:
        print(f"  rolling restart under load: {load['requests']} requests ({load['requests_per_second']} req/s), "
              f"{load['errors']} errors, {load['lost_writes']} lost writes; {load['log_saves_acknowledged']} log saves "
              f"and {load['ticks_acknowledged']} ticks acknowledged; served by {load['served_by']}; "
              f"p50 {load['latency_ms']['p50']} ms, p99 {load['latency_ms']['p99']} ms")  # fmt: skip
        for step in load["steps"]:
            print(f"    {step}")
    if rem:
        print(f"  reminders: {rem['due']} due, {rem['emails']} emails, {rem['duplicates']} duplicates, "
              f"{rem['missing']} missing; runs {[(r['machine'], r['round'], r['sent']) for r in rem['runs']]}")  # fmt: skip
    if "backup" in figures:
        b = figures["backup"]
        print(f"  backup: {b['tables']} tables, {b['rows']} rows, dump {b['dump_bytes']} bytes, restored equal")
    if "point_in_time_recovery" in figures:
        r = figures["point_in_time_recovery"]
        print(f"  point-in-time recovery to {r['target']}: {r['rows_recovered']} of {r['rows_before_accident']} rows "
              f"the accident deleted, in {r['seconds']} s")  # fmt: skip
    for failure in checks.failures:
        print(f"  FAIL: {failure}")
    print("prodcheck: " + ("PASS" if ok else "FAIL"))


def prodstack() -> int:
    """The same stack, left running for an outside scanner until Ctrl-C (or SIGTERM)."""
    from .sim import LoadConfig, Person, Recorder

    stack = Stack(
        https_port=int(os.environ.get("PRODCHECK_HTTPS_PORT", "8443")),
        http_port=int(os.environ.get("PRODCHECK_HTTP_PORT", "8080")),
    )
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stack.start()
        context = tls_context(stack.cert)
        person = Person(1, LoadConfig(stack.url, prefix="scanner-", ssl_context=context), Recorder(),
                        time.monotonic() + 60, None)  # fmt: skip
        if not (person.sign_up() and person.screen() and person.start_plan()):
            raise SystemExit("prodstack: could not set up the signed-in person")
        for back in (2, 1, 0):
            day = (person.today() - timedelta(days=back)).isoformat()
            person.browser.post(f"/rehab/log/{day}/", {"pain_worst": "2", "rested": "yes", "swelling": "none",
                                                       "nsaid": "no", "notes": "scanner"})  # fmt: skip
        cookie = "; ".join(f"{k}={v}" for k, v in person.browser.cookies.items())
        (RUN / "scanner-cookie.txt").write_text(cookie + "\n")
        (RUN / "wapiti-cookies.json").write_text(json.dumps({
            ".localhost.local": {"/": {name: {"value": value, "version": 0, "expires": None, "secure": True,
                                              "port": None, "rest": {"HttpOnly": None}}
                                       for name, value in person.browser.cookies.items()}}}))  # fmt: skip
        print(
            f"""
prodstack: running. Signed in as {person.username} / {person.password}
  site:        https://127.0.0.1:{stack.https_port}/  (or https://{HOST}:{stack.https_port}/)
  certificate: {stack.cert}
  cookie:      {RUN / "scanner-cookie.txt"}
  logs:        {RUN / "logs"}
Stop with Ctrl-C (or kill {os.getpid()}): everything started is stopped.""",
            flush=True,
        )
        while not stopping.is_set():
            stopping.wait(1)
    except KeyboardInterrupt:
        pass
    finally:
        left = stack.close()
        say(f"prodstack: stopped ({'clean' if not any(left.values()) else left})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
