"""A private PostgreSQL cluster for the benchmarks: its own data folder, port and server process.

The machine's shared PostgreSQL (port 5432) is never touched: the fault test stops and starts
only this cluster. initdb and pg_ctl refuse to run as root, so as root they run as the `postgres`
OS user (`runuser`); as anyone else, as that user. Trust authentication on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from .env import apt_install, say

SHARED_PORT = 5432


def _bindir() -> Path:
    def found() -> list[Path]:
        dirs = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")]
        return sorted(dirs, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)

    if not found():
        apt_install("postgresql")
    if not found():
        raise SystemExit("bench: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    return found()[-1]


class Cluster:
    def __init__(self, port: int | None = None, root: Path | str | None = None) -> None:
        self.port = int(port or os.environ.get("BENCH_PG_PORT", "5433"))
        if self.port == SHARED_PORT:
            raise SystemExit("bench: refusing to use port 5432, the machine's shared PostgreSQL")
        self.root = Path(root or os.environ.get("BENCH_PG_DIR") or f"/tmp/itbcare-bench-pg-{self.port}")
        self.data = self.root / "data"
        self.sock = self.root / "sock"
        self.log = self.root / "postgres.log"
        self.bindir = _bindir()
        self.version = self.bindir.parent.name
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # --- process control ------------------------------------------------------------------

    def _run(self, tool: str, *args: str, check: bool = True, quiet: bool = True) -> subprocess.CompletedProcess:
        command = [*self.run_as, str(self.bindir / tool), *args]
        return subprocess.run(command, check=check, capture_output=quiet, text=True)

    def answering(self) -> bool:
        """Something accepts connections on our port (ours or, if we did not start it, someone else's)."""
        pg_isready = self.bindir / "pg_isready"
        result = subprocess.run([str(pg_isready), "-q", "-h", "127.0.0.1", "-p", str(self.port)], check=False)
        return result.returncode == 0

    def ours_running(self) -> bool:
        if not (self.data / "PG_VERSION").exists():
            return False
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def init(self) -> None:
        """A fresh, empty cluster (any earlier one of ours on this port is stopped and removed)."""
        if self.ours_running():
            self.stop()
        if self.answering():
            raise SystemExit(
                f"bench: another server already listens on 127.0.0.1:{self.port}; set BENCH_PG_PORT to a free port"
            )
        shutil.rmtree(self.root, ignore_errors=True)
        self.sock.mkdir(parents=True)
        if self.run_as:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sock, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
        )
        conf = self.data / "postgresql.conf"
        with conf.open("a") as handle:
            handle.write(
                "\n# itbcare bench: private cluster\n"
                f"port = {self.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.sock}'\n"
                "max_connections = 200\n"
                "logging_collector = off\n"
            )
        say(f"PostgreSQL {self.version}: new private cluster in {self.root} (port {self.port})")

    def start(self) -> float:
        began = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        return time.monotonic() - began

    def stop(self, mode: str = "fast") -> float:
        began = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)
        return time.monotonic() - began

    # --- SQL ------------------------------------------------------------------------------

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [
            str(self.bindir / "psql"),
            "-X",
            "-q",
            "-At",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-c",
            sql,
        ]
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()

    def create_database(self, name: str, owner: str = "itbcare") -> str:
        """A role and a database it owns; returns the DATABASE_URL the app uses."""
        exists = self.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{owner}'")
        if not exists:
            self.psql(f"CREATE ROLE {owner} LOGIN")
        self.psql(f"DROP DATABASE IF EXISTS {name}")
        self.psql(f"CREATE DATABASE {name} OWNER {owner}")
        return self.url(name, owner)

    def url(self, database: str, user: str = "itbcare") -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"
