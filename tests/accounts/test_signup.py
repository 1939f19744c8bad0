import pytest
from django.utils import timezone

from accounts.models import User
from accounts.privacy import PRIVACY_VERSION

GOOD = {
    "username": "carol",
    "email": "",
    "password1": "a-long-Unusual-passphrase-42",
    "password2": "a-long-Unusual-passphrase-42",
    "time_zone": "Europe/Berlin",
    "health_consent": "on",
}


def test_signup_creates_the_account_logs_in_and_stores_the_consent(client, db):
    before = timezone.now()
    response = client.post("/accounts/signup/", GOOD)
    assert response.status_code == 302
    user = User.objects.get(username="carol")
    assert user.time_zone == "Europe/Berlin"
    assert user.health_consent_version == PRIVACY_VERSION
    assert user.health_consent_at >= before
    assert client.get("/accounts/settings/").status_code == 200  # logged in


def test_signup_without_consent_is_refused_next_to_the_field_and_keeps_what_was_typed(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "health_consent": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please agree to storing your health information" in html
    assert 'id="id_health_consent_error"' in html
    assert 'aria-describedby="id_health_consent_helptext id_health_consent_error"' in html
    assert 'value="carol"' in html
    assert not User.objects.exists()


def test_signup_refuses_mismatched_and_weak_passwords(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "password2": "something-else-entirely-9"})
    assert "didn’t match" in response.content.decode() or "didn't match" in response.content.decode()
    response = client.post("/accounts/signup/", {**GOOD, "password1": "123", "password2": "123"})
    assert "too short" in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "next_url, expected", [("/rehab/start/", "/rehab/start/"), ("https://evil.example/", "/rehab/")]
)
def test_signup_follows_only_a_safe_next(client, db, next_url, expected):
    response = client.post("/accounts/signup/", {**GOOD, "next": next_url})
    assert response["Location"] == expected


def test_logout_is_post_only(alice_client):
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert alice_client.post("/accounts/logout/").status_code == 302
    assert alice_client.get("/accounts/settings/").status_code == 302
