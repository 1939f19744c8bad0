"""Share links: create, view anonymously (counted), revoke and expire (the same 404), privacy."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.test import Client

from reports.models import ShareLink, hash_token
from tests.rehab.support import NOW, text_of

URL = "/rehab/share/"


def create(client, days=7, notes=False) -> str:
    data = {"days": days, **({"include_notes": "on"} if notes else {})}
    response = client.post(URL, data)
    assert response.status_code == 200
    match = re.search(r"http://testserver(/s/[A-Za-z0-9_-]+/)", response.content.decode())
    assert match, "the new link is shown once"
    return match[1]


def test_a_link_lives_its_whole_life(plan, alice_client):
    path = create(alice_client)
    token = path.split("/")[2]
    assert len(token) >= 43  # 32 random bytes
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert token not in link.token_hash
    assert link.expires_at == NOW + timedelta(days=7)

    anon = Client()
    response = anon.get(path)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "no-store"
    body = text_of(response)
    assert "flared up" in body
    assert "Felt fine" not in body
    assert "/accounts/" not in body and "/rehab/" not in body  # no way into the account
    anon.get(path)
    link.refresh_from_db()
    assert link.views == 2
    assert link.last_viewed_at == NOW

    listing = text_of(alice_client.get(URL))
    assert token not in listing  # shown once only
    assert "2" in listing

    assert alice_client.post(f"/rehab/share/{link.pk}/revoke/").status_code == 302
    gone = anon.get(path)
    assert gone.status_code == 404
    other = "/s/" + "A" * 43 + "/"
    unknown = anon.get(other)
    assert unknown.status_code == 404

    def page(response, url):  # the same page, but for the path and the per-response tokens
        body = response.content.replace(url.encode(), b"")
        return re.sub(rb'(nonce="|X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', b"", body)

    assert page(gone, path) == page(unknown, other)


def test_a_link_with_notes_shows_them(plan, alice_client):
    path = create(alice_client, days=1, notes=True)
    assert "Felt fine" in text_of(Client().get(path))


def test_an_expired_link_is_the_same_404(plan, alice_client):
    path = create(alice_client, days=1)
    assert Client().get(path).status_code == 200
    with time_machine.travel(NOW + timedelta(days=1, seconds=1), tick=False):
        assert Client().get(path).status_code == 404
    assert ShareLink.objects.get().views == 1


def test_another_person_can_neither_see_nor_revoke(plan, alice_client, bob_client):
    create(alice_client)
    link = ShareLink.objects.get()
    assert bob_client.get(URL).status_code == 404  # bob has no plan, and sees none of alice's links
    assert bob_client.post(f"/rehab/share/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_bad_input_is_a_400_with_a_message(plan, alice_client):
    response = alice_client.post(URL, {"days": 365})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not ShareLink.objects.exists()


def test_deleting_the_plan_deletes_its_links(plan, alice_client):
    create(alice_client)
    plan.delete()
    assert not ShareLink.objects.exists()


def test_the_shared_copy_has_the_name_the_daily_table_and_the_ruled_out_red_flags(plan, alice, alice_client):
    alice.report_name = "A. L."
    alice.save()
    page = text_of(alice_client.post(URL, {"days": 7}))
    # The copy button is JavaScript's (hidden without it); the link itself is a labelled, readonly field.
    assert re.search(r'<input id="new-link" type="text" readonly value="http://testserver/s/[^"]+">', page)
    assert 'data-copy-target="new-link"' in page and 'data-copied-text="Copied" hidden>' in page
    assert "<script" in page and "js/copy." in page and "<script>" not in page  # a static file, never inline
    path = re.search(r"http://testserver(/s/[A-Za-z0-9_-]+/)", page)[1]
    body = text_of(Client().get(path))
    assert "<h1>Knee plan report: A. L.</h1>" in body
    assert '<caption id="r-daily">' in body and '<th scope="row">Fri 27 Nov</th>' in body
    assert "red flags ruled out by the person's answers (answered No):" in body
    assert "Change the name on the report" not in body  # the account's own links stay in the account
