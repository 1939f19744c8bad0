"""Shared by the site-wide tests: running manage.py as production would, and the access matrix's
rules (every URL × anonymous / owner / another person × GET / POST: `tests/test_access_matrix.py`,
`tests/test_headers.py`)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean production-like environment: nothing the test settings or conftest set.
    dropped = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    dropped |= {"SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


# --- The access matrix ----------------------------------------------------------------------

LOGIN = "login"  # a 302 to the login page


def _names(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                names.add("admin:*")
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL {pattern.pattern} has no name: name it and give it a rule here")
            names.add(namespace + pattern.name)
    return names


def today_iso() -> str:
    return timezone.localdate().isoformat()


# name -> (kwargs for reverse, {persona: (GET, POST)})
def rules(world) -> dict[str, tuple[dict, dict[str, tuple[object, object]]]]:
    everyone = lambda get, post: {"anon": (get, post), "owner": (get, post), "other": (get, post)}  # noqa: E731
    private = lambda owner, other: {"anon": (LOGIN, LOGIN), "owner": owner, "other": other}  # noqa: E731
    screening = {"pk": world["screening"].pk}
    job = {"job_id": world["job"].pk}
    return {
        "home": ({}, everyone(200, 405)),
        "privacy": ({}, everyone(200, 405)),
        # The footer's language switch: a POST (a cookie, and a signed-in person's own account).
        "set_language": ({}, everyone(405, 302)),
        "healthz": ({}, everyone(200, 405)),
        "readyz": ({}, everyone(200, 405)),
        # The installable app: the manifest, the worker and the offline page say nothing about
        # anybody; the CSRF token for the offline queue is the browser's own.
        "web_manifest": ({}, everyone(200, 405)),
        "service_worker": ({}, everyone(200, 405)),
        "offline": ({}, everyone(200, 405)),
        "offline_token": ({}, everyone(200, 405)),
        "login": ({}, {"anon": (200, 200), "owner": (302, 302), "other": (302, 302)}),
        "logout": ({}, everyone(405, 302)),
        "password_change": ({}, private((200, 200), (200, 200))),
        "password_change_done": ({}, private((200, 405), (200, 405))),
        "password_reset": ({}, everyone(200, 200)),
        "password_reset_done": ({}, everyone(200, 405)),
        "password_reset_confirm": ({"uidb64": "MQ", "token": "bad-token"}, everyone(200, 200)),
        "password_reset_complete": ({}, everyone(200, 405)),
        "accounts:signup": ({}, {"anon": (200, 200), "owner": (302, 302), "other": (302, 302)}),
        "accounts:settings": ({}, private((200, 200), (200, 200))),
        "accounts:delete": ({}, private((200, 200), (200, 200))),
        "accounts:report_name": ({}, private((200, 302), (200, 302))),
        # Signing out everywhere else is a POST that ends the person's other sessions only.
        "accounts:sign_out_everywhere": ({}, private((405, 302), (405, 302))),
        "screening:start": ({}, everyone(200, 200)),
        "screening:step": ({"page_id": "urgent"}, everyone(302, 302)),
        "screening:restart": ({}, everyone(405, 302)),
        "screening:history": ({}, private((200, 405), (200, 405))),
        "screening:result": (screening, {"anon": (404, 405), "owner": (200, 405), "other": (404, 405)}),
        "screening:summary": (screening, {"anon": (404, 405), "owner": (200, 405), "other": (404, 405)}),
        "rehab:today": ({}, private((200, 405), (200, 405))),
        "rehab:start": ({}, private((302, 302), (200, 200))),
        # Readable before a plan starts: the generic ladders.
        "rehab:plan": ({}, private((200, 405), (200, 405))),
        "rehab:plan_settings": ({}, private((200, 200), (404, 404))),
        "rehab:plan_delete": ({}, private((200, 302), (404, 404))),
        "rehab:log_today": ({}, private((302, 405), (302, 405))),
        "rehab:log": ({"day": today_iso()}, private((200, 200), (404, 404))),
        "rehab:check": ({}, private((200, 200), (404, 404))),
        "rehab:timeline": ({}, private((200, 405), (404, 405))),
        # The function score: Alice has named no activity yet, so it sends her to name them (a POST
        # without names is re-shown with its error); Bob has no plan.
        "rehab:psfs": ({}, private((302, 302), (404, 404))),
        "rehab:psfs_names": ({}, private((200, 200), (404, 404))),
        # Build-back (load.md): the usual week (a POST without build days is re-shown with errors)
        # and the weeks page; only the owner's plan, Bob has none.
        "rehab:target": ({}, private((200, 200), (404, 404))),
        "rehab:build": ({}, private((200, 405), (404, 405))),
        "rehab:exercises": ({}, private((200, 405), (200, 405))),
        "rehab:exercise": ({"slug": "clamshell"}, private((200, 405), (200, 405))),
        "rehab:exercise_done": (
            {"day": today_iso(), "slug": "clamshell"},
            private((405, 302), (405, 404)),
        ),
        "rehab:export_json": ({}, private((200, 405), (200, 405))),
        "rehab:export_csv": ({}, private((200, 405), (200, 405))),
        # The feed answers only to its token: a wrong one is a 404 for everyone, logged in or not.
        "reminders:feed": ({"token": "not-a-real-token"}, everyone(404, 405)),
        # A new calendar link is shown once, on the page the POST answers with.
        "reminders:new_feed_link": ({}, private((405, 200), (405, 200))),
        "reminders:delete_feed_link": ({}, private((405, 302), (405, 302))),
        "reminders:settings": ({}, private((200, 200), (200, 200))),
        # Signed links work without a session; a tampered or made-up one is a 404.
        "reminders:confirm": ({"token": "tampered:token"}, everyone(404, 404)),
        "reminders:unsubscribe": ({"token": "tampered:token"}, everyone(404, 404)),
        # Imports: only with a plan (Bob has none); a job is its owner's alone (a 404 for anyone else).
        "imports:upload": ({}, private((200, 200), (404, 404))),
        "imports:usual_week": ({}, private((200, 200), (404, 404))),
        "imports:job": (job, private((200, 405), (404, 405))),
        "imports:confirm": (job, private((405, 302), (405, 404))),
        "imports:discard": (job, private((405, 302), (405, 404))),
        "reports:report": ({}, private((200, 405), (404, 405))),
        "reports:report_pdf": ({}, private((200, 405), (404, 405))),
        "reports:share": ({}, private((200, 400), (404, 404))),
        "reports:revoke": ({"pk": 999999}, private((405, 404), (405, 404))),
        "reports:export_fhir": ({}, private((200, 405), (200, 405))),
        "reports:shared": ({"token": "x" * 43}, everyone(404, 405)),
        "admin:*": ({}, {"anon": (302, 302), "owner": (302, 302), "other": (302, 302)}),
    }


def _fake() -> dict:
    nobody = type("S", (), {"pk": "00000000-0000-0000-0000-000000000000"})()
    return {"screening": nobody, "job": nobody}


def _cases():
    for name in sorted(rules(_fake())):
        for persona in ("anon", "owner", "other"):
            for method in ("GET", "POST"):
                yield pytest.param(name, persona, method, id=f"{name}-{persona}-{method}")
