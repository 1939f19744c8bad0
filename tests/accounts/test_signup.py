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


def _signup_page(client, **headers) -> str:
    return client.get("/accounts/signup/", **headers).content.decode()


def test_the_time_zone_list_is_grouped_by_region_and_lists_cities(client, db):
    html = _signup_page(client)
    assert '<optgroup label="Europe">' in html
    assert '<option value="Europe/London">London\n' in html
    assert '<option value="America/Argentina/Buenos_Aires">Buenos Aires (Argentina)\n' in html
    assert 'value="US/Eastern"' not in html  # aliases stay out of the list...


def test_a_browser_alias_of_a_zone_is_still_accepted(client, db):
    # ...but a browser may report one (Chrome long said "Asia/Calcutta"), and it is a real zone.
    response = client.post("/accounts/signup/", {**GOOD, "time_zone": "Asia/Calcutta"})
    assert response.status_code == 302
    assert User.objects.get().time_zone == "Asia/Calcutta"


def test_a_made_up_time_zone_is_refused_next_to_the_field(client, db):
    response = client.post("/accounts/signup/", {**GOOD, "time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert 'id="id_time_zone_error"' in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("accept_language", "zone"),
    [
        ("en-GB,en;q=0.8", "Europe/London"),  # one zone
        ("de-DE,de;q=0.9", "Europe/Berlin"),  # "most of Germany"
        ("en-US,en;q=0.9", "UTC"),  # several zones: no guess (the browser's own guess takes over)
        ("", "UTC"),
    ],
)
def test_without_javascript_the_zone_defaults_from_the_browser_language(client, db, accept_language, zone):
    html = _signup_page(client, HTTP_ACCEPT_LANGUAGE=accept_language)
    assert f'<option value="{zone}" selected>' in html


def test_help_texts_are_ours_not_djangos(client, db):
    html = _signup_page(client)
    assert "Letters, numbers and @ . + - _ only" in html
    assert "Type it once more, to be sure." in html
    assert "Required. 150 characters or fewer" not in html
    assert "Your password can’t be too similar" not in html
    assert "<ul" not in html.split('id="id_password1_helptext"')[1].split("</div>")[0]


def test_the_sign_up_page_is_under_30_kb_of_html(client, db):
    assert len(client.get("/accounts/signup/").content) < 30 * 1024
