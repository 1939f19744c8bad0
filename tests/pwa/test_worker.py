"""The service worker's script and headers, the offline page, the pages a phone may keep a copy
of (X-Offline-Copy), and sign-out's Clear-Site-Data."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from itbcare import pwa
from kit.offline import account_key
from tests.factories import PASSWORD, make_log, make_plan, make_user


def test_the_worker_is_served_from_the_root_as_javascript_and_never_kept(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_worker_keeps_the_shell_and_the_offline_page_under_a_versioned_name(client, db):
    script = client.get("/sw.js").content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))
    assert "/offline/" in shell
    assert all(url.startswith("/static/") for url in shell if url != "/offline/")
    assert any(url.endswith(".css") for url in shell) and any("offline" in url for url in shell if url.endswith(".js"))
    version = re.search(r'const VERSION = "([0-9a-f]{12})";', script).group(1)
    assert version == pwa.cache_version(pwa.shell_urls())


def test_the_cache_name_changes_when_a_shell_file_changes():
    urls = pwa.shell_urls()
    changed = [urls[0].replace(".css", ".0123456789ab.css"), *urls[1:]]
    assert pwa.cache_version(urls) != pwa.cache_version(changed)


def test_the_worker_keeps_nothing_but_gets_and_answers_writes_from_the_network(client, db):
    script = client.get("/sw.js").content.decode()
    assert 'if (request.method !== "GET") return;' in script
    assert "cache.put(href" in script and "!url.search" in script


def test_the_offline_page_says_nothing_about_anybody(db, alice_client, alice):
    plan = make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    make_log(plan, timezone.localdate(), pain_worst=7, notes="secret note")
    html = alice_client.get("/offline/").content.decode()
    assert "You’re offline" in html or "You&#x27;re offline" in html or "You're offline" in html
    assert "secret note" not in html and "alice" not in html
    assert 'name="offline-account"' not in html, "no person's key in a page kept for everybody"
    assert "Log out" not in html


@pytest.mark.parametrize("path", ["/rehab/", "/rehab/plan/", "/rehab/exercises/clamshell/"])
def test_pages_a_phone_may_keep_say_whose_they_are(db, alice_client, alice, path):
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    response = alice_client.get(path)
    assert response.status_code == 200
    assert response["X-Offline-Copy"] == account_key(alice)
    assert f'<meta name="offline-account" content="{account_key(alice)}"' in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/rehab/timeline/", "/rehab/export.json", "/rehab/export.csv", "/rehab/exercises/", "/accounts/settings/"]
)
def test_other_pages_are_never_kept(db, alice_client, alice, path):
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    assert "X-Offline-Copy" not in alice_client.get(path)


def test_an_htmx_fragment_or_a_post_is_never_kept(db, alice_client, alice):
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    assert "X-Offline-Copy" not in alice_client.get("/rehab/", headers={"HX-Request": "true"})
    posted = alice_client.post(f"/rehab/log/{timezone.localdate().isoformat()}/", {"pain_worst": "2"})
    assert "X-Offline-Copy" not in posted


def test_each_person_has_their_own_key(db):
    alice, bob = make_user("alice"), make_user("bob")
    assert account_key(alice) != account_key(bob)
    assert re.fullmatch(r"[0-9a-f]{32}", account_key(alice))


def test_a_fresh_csrf_token_for_the_queue(client, db):
    response = client.get("/offline/token")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert len(response.json()["token"]) == 64


def test_signing_out_clears_what_the_site_kept_on_the_device(alice_client):
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_deleting_the_account_clears_it_too_and_a_wrong_password_does_not(alice_client):
    assert "Clear-Site-Data" not in alice_client.post("/accounts/delete/", {"password": "wrong"})
    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_only_signing_out_clears_the_device(alice_client):
    assert "Clear-Site-Data" not in alice_client.get("/accounts/settings/")


def test_today_offers_install_only_as_a_hidden_hint(db, alice_client, alice):
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    html = alice_client.get("/rehab/").content.decode()
    assert '<p class="install-hint" id="install-hint" hidden>' in html
