"""The production setup in deploy/: settings it relies on, and its files checked by their own tools
(nginx -t, systemd-analyze verify, gunicorn's config). `make prodcheck` runs all of it for real."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bench.prodcheck import make_certificate, read_env_file, render_site
from itbcare.settings import cache_from_url

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
TEMPLATE = read_env_file(DEPLOY / "production.env")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """manage.py in a clean environment: nothing from the test settings, only `env`."""
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "VIRTUAL_ENV", "SYSTEMROOT")}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in TEMPLATE.items() if not k.startswith("GUNICORN_")}
    env.update(SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40, DJANGO_SETTINGS_MODULE="itbcare.settings")
    env.update(overrides)
    return env


# --- The .env template ---------------------------------------------------------------------------


def test_the_template_sets_what_production_requires():
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL"):
        assert TEMPLATE.get(name), name
    assert TEMPLATE["DEBUG"] == "0" and TEMPLATE["TRUSTED_PROXIES"] == "127.0.0.1,::1"
    assert TEMPLATE["SITE_URL"].startswith("https://")
    assert TEMPLATE["DATABASE_URL"].startswith("postgres://")


def test_every_variable_in_the_template_is_read_by_the_app_or_gunicorn():
    read = set(re.findall(r'env_\w+\("([A-Z_]+)"', (ROOT / "itbcare" / "settings.py").read_text()))
    read |= set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', (DEPLOY / "gunicorn.conf.py").read_text()))
    assert set(TEMPLATE) - read == set()


def test_the_templates_placeholder_secret_stops_start_up():
    env = production_env(SECRET_KEY=TEMPLATE["SECRET_KEY"])
    result = manage("check", **env)
    assert result.returncode != 0 and "placeholder" in result.stderr


def test_check_deploy_is_clean_with_the_production_template():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_proxy_headers_are_trusted_only_behind_the_proxy():
    show = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    behind = manage("shell", "--no-imports", "-c", show, **production_env(TRUSTED_PROXIES="127.0.0.1,::1"))
    direct = manage("shell", "--no-imports", "-c", show, **production_env(TRUSTED_PROXIES=""))
    assert behind.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", behind.stderr
    assert direct.stdout.strip() == "None", direct.stderr


def test_a_forged_forwarded_proto_is_ignored_unless_behind_the_proxy(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = None  # TRUSTED_PROXIES empty
    response = client.get("/privacy/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")


# --- Django's cache ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, backend, location",
    [
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", "itbcare"),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "itbcare_cache"),
        ("db://shared_cache", "django.core.cache.backends.db.DatabaseCache", "shared_cache"),
        ("redis://10.0.0.5:6379/1", "django.core.cache.backends.redis.RedisCache", "redis://10.0.0.5:6379/1"),
        (
            "rediss://cache.internal:6380/0",
            "django.core.cache.backends.redis.RedisCache",
            "rediss://cache.internal:6380/0",
        ),
    ],
)
def test_cache_url_picks_the_backend(url, backend, location):
    assert cache_from_url(url) == {"BACKEND": backend, "LOCATION": location}


def test_an_unknown_cache_url_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_url("memcached://127.0.0.1:11211")


def test_the_database_cache_is_shared_between_processes(tmp_path):
    """Two processes on one database (two app servers): what one stores, the other reads."""
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_URL="db://itbcare_cache")
    assert manage("createcachetable", **env).returncode == 0
    store = "from django.core.cache import cache; cache.set('shared', 'from-a', 60)"
    read = "from django.core.cache import cache; print(cache.get('shared'))"
    assert manage("shell", "--no-imports", "-c", store, **env).returncode == 0
    assert manage("shell", "--no-imports", "-c", read, **env).stdout.strip() == "from-a"


def _answers(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_the_redis_cache_is_shared_between_processes(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _answers(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        env = production_env(CACHE_URL=f"redis://127.0.0.1:{port}/0")
        store = "from django.core.cache import cache; cache.set('shared', 'from-a', 60)"
        read = "from django.core.cache import cache; print(cache.get('shared'))"
        assert manage("shell", "--no-imports", "-c", store, **env).returncode == 0
        assert manage("shell", "--no-imports", "-c", read, **env).stdout.strip() == "from-a"
    finally:
        server.terminate()
        server.wait(10)


# --- gunicorn, nginx, systemd ------------------------------------------------------------------------


def test_gunicorn_workers_follow_the_cores_and_reload_new_code(monkeypatch):
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 2 * os.cpu_count() + 1
    assert config["preload_app"] is False  # HUP must import the new code
    assert config["accesslog"] is None  # gunicorn's access log would write paths with tokens
    assert config["logconfig_dict"]["loggers"]["gunicorn.access"] == {
        "level": "CRITICAL",
        "handlers": [],
        "propagate": False,
    }
    assert config["control_socket_disable"] is True
    assert config["timeout"] < 35  # nginx's proxy_read_timeout
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "10.0.0.11:8000")
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert (config["workers"], config["bind"]) == (3, "10.0.0.11:8000")


def test_gunicorn_accepts_the_config():
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(DEPLOY / "gunicorn.conf.py"), "itbcare.wsgi"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_nginx_body_limit_matches_the_apps():
    from django.conf import settings

    size = re.search(r"client_max_body_size (\d+)k;", (DEPLOY / "nginx" / "itbcare.conf").read_text())
    assert int(size.group(1)) * 1024 == settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx is not installed")
def test_nginx_accepts_the_site_as_prodcheck_renders_it(tmp_path):
    make_certificate(tmp_path / "tls")
    site = tmp_path / "itbcare.conf"
    text = render_site(
        (DEPLOY / "nginx" / "itbcare.conf").read_text(),
        upstreams={18001: True, 18002: False},
        https_port=18443,
        http_port=18080,
        run=tmp_path,
    )
    assert "server 127.0.0.1:18002 max_fails=1 fail_timeout=5s down;" in text
    site.write_text(text)
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {site}; }}\n"
    )
    result = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx is not installed")
def test_nginx_accepts_the_site_as_shipped(tmp_path):
    """The file as production installs it (catch-all, ports 80/443, IPv6), only the certificate
    and log paths pointed at a temporary folder."""
    cert = make_certificate(tmp_path / "tls")
    (tmp_path / "logs").mkdir()
    site = tmp_path / "itbcare.conf"
    site.write_text(
        (DEPLOY / "nginx" / "itbcare.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/itbcare.example.org/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/itbcare.example.org/privkey.pem", str(tmp_path / "tls" / "key.pem"))
        .replace("/var/log/nginx/", f"{tmp_path}/logs/")
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {site}; }}\n"
    )
    result = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_prodcheck_notices_when_the_site_file_changed_under_it():
    text = (DEPLOY / "nginx" / "itbcare.conf").read_text().replace("listen 443 ssl http2;", "listen 443 ssl;")
    with pytest.raises(SystemExit, match="listen 443 ssl http2"):
        render_site(text, upstreams={1: True}, https_port=2, http_port=3, run=Path("/tmp"))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_the_systemd_units_verify(tmp_path):
    for unit in (DEPLOY / "systemd").iterdir():
        # The units point at /srv/itbcare; here at this checkout, whose .venv exists.
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/itbcare", str(ROOT)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
