"""Shared fixtures: personas, and Playwright wired to Debian's Chromium.

Personas: `alice` (the main user), `bob` (another user who must never see Alice's data), and
the anonymous `client`. `alice_client` / `bob_client` are test clients logged in as them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import make_user

# Playwright's sync API runs an event loop in the main thread; Django would then refuse ORM calls
# from the test and from live_server's teardown (SynchronousOnlyOperation). Read at call time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property and fuzz tests: the same examples on every run by default, so a red CI always means a
# change did it; `HYPOTHESIS_PROFILE=explore` searches new random examples (run it now and then).
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def _compile_translations() -> None:
    """`make test` compiles the .mo files (compilemessages); a bare `pytest` does it here for a
    .po newer than its .mo, so the translated pages it tests are the committed ones."""
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if shutil.which("msgfmt") and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


_compile_translations()

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob) -> Client:
    client = Client()
    client.force_login(bob)
    return client


# --- Browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(autouse=True)
def _plain_static_storage_for_live_server(request, settings):
    """The live server finds static files by name, not by the manifest's hashed names."""
    if "live_server" in request.fixturenames:
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture(autouse=True)
def _exercise_library(request):
    """The exercise library comes from a data migration, and transactional tests end by emptying
    every table: give any database test that runs after one of them the library back."""
    names = set(request.fixturenames)
    if not names & {"db", "transactional_db", "live_server"}:
        return
    from rehab.library import load_catalogue
    from rehab.models import Exercise

    request.getfixturevalue("transactional_db" if names & {"transactional_db", "live_server"} else "db")
    if not Exercise.objects.exists():
        load_catalogue(Exercise)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()) or "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        # `make test` runs two pytest-xdist workers with `--dist loadgroup`: every browser test
        # goes to one of them (one Chromium, one live server at a time), the rest is shared.
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


# The access matrix's people and objects (tests/support.py has its rules).
@pytest.fixture
def world(db):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from imports.models import ImportJob
    from tests.factories import make_plan, make_screening, make_user

    alice = make_user("alice")
    bob = make_user("bob")
    plan = make_plan(alice, start_date=timezone.localdate() - timedelta(days=3))
    screening = make_screening(alice)
    job = ImportJob.objects.create(
        user=alice, state=ImportJob.State.READY, result={"activities": [], "problems": [], "ignored": 0}
    )
    owner, other = Client(), Client()
    owner.force_login(alice)
    other.force_login(bob)
    return {"anon": Client(), "owner": owner, "other": other, "plan": plan, "screening": screening, "job": job}
