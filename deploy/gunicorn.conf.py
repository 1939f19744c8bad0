"""gunicorn for ITB Care, one per app server: `gunicorn -c deploy/gunicorn.conf.py itbcare.wsgi`.

The systemd unit (deploy/systemd/itbcare.service) runs exactly that; `make prodcheck` runs two.

- Workers: sync, 2 × cores + 1 (gunicorn's own starting point; GUNICORN_WORKERS overrides). A
  page is ~5–25 ms of Python with a few short queries, so the spare workers cover the slow
  requests (a report PDF takes ~1 s) rather than add throughput. Each worker keeps one
  PostgreSQL connection (CONN_MAX_AGE): workers × app servers must stay under PostgreSQL's
  max_connections, or go through PgBouncer (README, "More than one machine").
- Reload without dropping a request: `systemctl reload itbcare` (HUP). New workers start with
  the code on disk (no preload_app, so they import it afresh), old ones finish what they are
  serving and exit; the listening socket never closes, so nothing is refused meanwhile.
- Logs: gunicorn's own lines as JSON on stderr (journald); no access log: the app writes one
  line per request itself, without the path (paths can hold tokens; itbcare/requestlog.py).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request still running after 30 s is killed (nginx gives up at 35 s); on a reload or a stop,
# workers get 30 s to finish what they are serving.
timeout = 30
graceful_timeout = 30
keepalive = 5

# HUP loads new code: the app is imported by each worker, not by the master.
preload_app = False

# Only nginx may say a request came over HTTPS or from another address (X-Forwarded-*).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn 27 opens a control socket in the home directory by default; nothing here uses it.
control_socket_disable = True
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "itbcare"

accesslog = None
errorlog = "-"
loglevel = "info"
logconfig_dict = {
    "root": {"level": "WARNING", "handlers": []},  # the app configures its own (LOGGING in settings)
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["json"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
    },
    "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "formatters": {"json": {"()": "itbcare.requestlog.JsonFormatter"}},
}
