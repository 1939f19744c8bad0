"""Paths, system packages, the production-like environment and the machine's description."""

from __future__ import annotations

import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / ".run" / "bench"  # git-ignored: logs, the wrk cookie file
ARTIFACTS = ROOT / "artifacts" / "bench"  # git-ignored: JSON results


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


def _as_root(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return command
    if shutil.which("sudo"):
        return ["sudo", *command]
    raise SystemExit(f"bench: need root (or sudo) to run: {' '.join(command)}")


def apt_install(*packages: str) -> None:
    """Install Debian packages that are missing (as `.ci/run` does)."""
    say(f"installing {' '.join(packages)} with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(_as_root(["apt-get", "update", "-qq"]), check=True, env=env)
    subprocess.run(_as_root(["apt-get", "install", "-y", "-qq", *packages]), check=True, env=env)


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        apt_install("wrk")
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(database_url: str, *, secret_key: str | None = None) -> dict[str, str]:
    """Production settings (DEBUG off) over plain HTTP on 127.0.0.1, persistent DB connections."""
    return {
        "DJANGO_SETTINGS_MODULE": "itbcare.settings",
        "DEBUG": "0",
        # Sessions are signed with it: the seeding process and gunicorn must share one key.
        "SECRET_KEY": secret_key or "bench-only-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Required with DEBUG off: the origin links in emails and the calendar feed use.
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "DB_CONNECT_TIMEOUT": "3",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def activate(env: dict[str, str]) -> None:
    """Use `env` in this process too (before Django is set up) and in every child process."""
    os.environ.update(env)


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def _first_line(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "?"


def machine() -> dict[str, object]:
    """Where the figures came from: cores, CPU model, RAM, load when we started, versions."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import django

    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": ram_gib,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wrk": _first_line(["wrk", "--version"]),
    }
