"""What a completed screen leaves in the database, and whose account it ends up in.

screening.md, "Browser contract": the response is stored with VERSION, answers, outcome, reasons
and time, and an anonymous one is attached to the account when the person signs up or logs in.
Log-in goes through the real view (the sign-in throttle needs the request; `force_login` sends no signal
from a request), so these tests post the log-in form.
"""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from screening import services
from screening.models import Screening
from tests.factories import ITBS_ANSWERS, PASSWORD, make_user
from tests.screening.support import (
    OUTCOME_ANSWERS,
    RECENT_INJURY_ANSWERS,
    URGENT_PAGES,
    stored,
    take_screen,
)

NEW_PASSWORD = "a-long-Unusual-passphrase-42"


def log_in(client: Client, username: str, password: str = PASSWORD) -> None:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, "the log-in was refused"


def sign_up(client: Client, username: str) -> User:
    response = client.post(
        "/accounts/signup/",
        {
            "username": username,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "time_zone": "UTC",
            "health_consent": "on",
        },
    )
    assert response.status_code == 302, "the sign-up was refused"
    return User.objects.get(username=username)


# --- what is stored ----------------------------------------------------------------------------


def test_a_completed_screen_is_stored_with_version_answers_outcome_reasons_and_time(client, db):
    before = timezone.now()
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    after = timezone.now()
    screening = stored(result_url)
    screening.refresh_from_db()
    assert screening.version == "2026.3"
    assert screening.answers == ITBS_ANSWERS
    assert type(screening.answers["age"]) is int
    assert screening.outcome == "itbs_likely"
    assert screening.reasons == [
        "pain_outside",
        "repetitive_onset",
        "comes_on_at_distance",
        "worse_downhill",
        "recent_increase",
    ]
    assert before <= screening.taken_at <= after
    assert screening.user is None
    assert Screening.objects.count() == 1


def test_follow_ups_posted_without_an_injury_are_not_stored(client, db):
    take_screen(client, ITBS_ANSWERS, until="injury")
    response = client.post(
        "/screening/injury/", {"injury_onset": "no", "injury_recent": "yes", "blow_inside_knee": "yes"}
    )
    assert response["Location"] == "/screening/warning/"
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    screening = stored(result_url)
    assert "injury_recent" not in screening.answers
    assert "blow_inside_knee" not in screening.answers
    assert screening.answers["injury_onset"] == "no"
    assert screening.outcome == "itbs_likely"


def test_answers_to_a_step_that_stopped_applying_after_an_edit_are_not_stored(client, db):
    # 2026.2: the Ottawa step is the last after a recent injury, so its answers can only be left
    # over in the session by an edit; put them there as a half-finished screen would hold them.
    take_screen(client, RECENT_INJURY_ANSWERS, until="ottawa")
    session = client.session
    session[services.ANSWERS_KEY] = {**session[services.ANSWERS_KEY], "ottawa_walk": "no", "ottawa_bend": "yes"}
    session.save()
    response = client.post(
        "/screening/injury/", {"injury_onset": "yes", "injury_recent": "no", "blow_inside_knee": "no"}
    )
    screening = stored(response["Location"])
    assert not [key for key in screening.answers if key.startswith("ottawa_")]
    assert screening.answers["injury_recent"] == "no"
    assert screening.outcome == "clinician_soon"
    assert screening.reasons == ["injury_onset"]


def test_an_emergency_stop_stores_only_the_pages_that_were_asked(client, db):
    result_url, posted = take_screen(client, OUTCOME_ANSWERS["emergency"])
    assert posted == ["about", "urgent"]
    screening = stored(result_url)
    assert set(screening.answers) == {"age", "activity", *URGENT_PAGES["urgent"]}
    assert screening.answers["deformity"] == "yes"
    assert screening.outcome == "emergency"
    assert screening.reasons == ["deformity"]


def test_a_logged_in_persons_screen_is_stored_on_their_account(alice, alice_client):
    result_url, _ = take_screen(alice_client, OUTCOME_ANSWERS["not_typical"])
    screening = stored(result_url)
    assert screening.user == alice
    assert screening.outcome == "not_typical"


def test_completing_a_screen_clears_the_answers_in_progress(client, db):
    take_screen(client, {**ITBS_ANSWERS, "age": 41})
    assert client.get("/screening/urgent/")["Location"] == "/screening/"
    assert 'value="41"' not in client.get("/screening/").content.decode()


def test_each_completed_screen_is_a_new_row(client, db):
    first, _ = take_screen(client, ITBS_ANSWERS)
    second, _ = take_screen(client, OUTCOME_ANSWERS["urgent_today"])
    assert first != second
    assert sorted(Screening.objects.values_list("outcome", flat=True)) == ["itbs_likely", "urgent_today"]


# --- anonymous screens and accounts ----------------------------------------------------------


def test_an_anonymous_screen_is_attached_to_the_account_on_sign_up(client, db):
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    assert stored(result_url).user is None
    dana = sign_up(client, "dana")
    assert stored(result_url).user == dana
    assert client.get(result_url).status_code == 200
    assert result_url in client.get("/screening/history/").content.decode()


def test_an_anonymous_screen_is_attached_to_the_account_on_log_in(client, alice):
    first, _ = take_screen(client, ITBS_ANSWERS)
    second, _ = take_screen(client, OUTCOME_ANSWERS["clinician_soon"])
    log_in(client, "alice")
    assert stored(first).user == alice
    assert stored(second).user == alice
    assert client.get(first).status_code == 200
    assert client.get(f"{second}summary/").status_code == 200


def test_a_failed_log_in_attaches_nothing(client, alice):
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    response = client.post("/accounts/login/", {"username": "alice", "password": "not-the-password"})
    assert response.status_code == 200
    assert stored(result_url).user is None
    log_in(client, "alice")
    assert stored(result_url).user == alice


def test_a_screen_attached_to_alice_is_not_attached_to_bob_later(client, alice, bob):
    alices, _ = take_screen(client, ITBS_ANSWERS)
    log_in(client, "alice")
    client.post("/accounts/logout/")
    anonymous_again, _ = take_screen(client, OUTCOME_ANSWERS["not_typical"])
    log_in(client, "bob")
    assert stored(alices).user == alice
    assert stored(anonymous_again).user == bob
    assert client.get(alices).status_code == 404
    assert client.get(anonymous_again).status_code == 200


def test_another_browsers_anonymous_screen_is_not_attached_when_alice_logs_in(client, alice):
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    alices_browser = Client()
    log_in(alices_browser, "alice")
    assert stored(result_url).user is None
    assert alices_browser.get(result_url).status_code == 404


def test_a_screen_someone_else_already_owns_is_not_taken_over_on_log_in(client, alice):
    carol = make_user("carol")
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    Screening.objects.filter(pk=stored(result_url).pk).update(user=carol)
    log_in(client, "alice")
    assert stored(result_url).user == carol


# --- admin: read-only -----------------------------------------------------------------------------


def test_the_admin_shows_a_screening_read_only(client, alice):
    admin_user = User.objects.create_superuser(username="root", password=NEW_PASSWORD)
    result_url, _ = take_screen(client, {**ITBS_ANSWERS, "pain_front": "yes"})
    screening = stored(result_url)
    staff = Client()
    staff.force_login(admin_user)
    url = reverse("admin:screening_screening_change", args=[screening.pk])
    response = staff.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "pain_front" in html  # the answers are shown...
    assert not re.search(r'<(?:textarea|input|select)\b[^>]*\bname="(?:answers|reasons|outcome|version|user)"', html)
    assert 'name="_save"' not in html  # ...and cannot be saved
    before = Screening.objects.values().get(pk=screening.pk)
    response = staff.post(url, {"answers": "{}", "outcome": "itbs_likely", "version": "0"})
    assert response.status_code == 403
    assert Screening.objects.values().get(pk=screening.pk) == before
    assert staff.get(reverse("admin:screening_screening_add")).status_code == 403
