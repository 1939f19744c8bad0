"""gunicorn as production runs it: 2 sync workers, no control socket, DEBUG off.

With `config` (deploy/gunicorn.conf.py, as `make prodcheck` runs it) the command line is the
production one, `gunicorn -c <config> itbcare.wsgi:application`, with the address and the number
of workers given through GUNICORN_BIND and GUNICORN_WORKERS.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .env import ROOT, RUN_DIR, free_port, say


class Gunicorn:
    def __init__(
        self,
        env: dict[str, str],
        *,
        workers: int = 2,
        port: int | None = None,
        config: Path | None = None,
        log: Path | None = None,
    ) -> None:
        self.env = {**os.environ, **env}
        self.workers = workers
        self.port = port or int(os.environ.get("BENCH_HTTP_PORT") or free_port())
        self.config = config
        self.log = log or RUN_DIR / "gunicorn.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.config is not None:
            self.env.update(GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS=str(self.workers))
            return [sys.executable, "-m", "gunicorn", "-c", str(self.config), "itbcare.wsgi:application"]
        return [
            sys.executable, "-m", "gunicorn", "itbcare.wsgi:application",
            "--workers", str(self.workers),
            "--bind", f"127.0.0.1:{self.port}",
            "--no-control-socket",
            "--access-logfile", "/dev/null",
            "--error-logfile", str(self.log),
        ]  # fmt: skip

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = self.command()
        # Django logs each 5xx with its traceback to stderr: into the log file, not the terminal.
        with self.log.open("a") as log:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited at start-up, see {self.log}")
            if len(self.worker_pids()) == self.workers and self._healthy():
                say(f"gunicorn: {self.workers} workers on {self.url} (log {self.log.relative_to(ROOT)})")
                return
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"bench: gunicorn did not answer /healthz within 30 s, see {self.log}")

    def _healthy(self) -> bool:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            conn.request("GET", "/healthz")
            return conn.getresponse().status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return sorted(int(pid) for pid in children.read_text().split())
        except OSError:
            return []

    def reload(self, timeout: float = 60) -> float:
        """Graceful reload (HUP, what `systemctl reload itbcare` sends): new workers with the code on
        disk, the old ones finish their requests. Returns the seconds until every worker was new."""
        assert self.proc is not None
        began = time.monotonic()
        old = set(self.worker_pids())
        self.proc.send_signal(signal.SIGHUP)
        while time.monotonic() < began + timeout:
            now = set(self.worker_pids())
            if len(now) == self.workers and not now & old and self._healthy():
                return time.monotonic() - began
            time.sleep(0.05)
        raise SystemExit(f"bench: gunicorn on port {self.port} did not finish its reload within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # graceful: the master stops its own workers
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
