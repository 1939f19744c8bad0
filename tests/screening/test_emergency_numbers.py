"""The emergency number on the result page (screening.md, "Emergency number")."""

from __future__ import annotations

import pytest

from screening import emergency_numbers as en
from tests.factories import ITBS_ANSWERS, make_screening, make_user

SPEC_EXAMPLES = {
    **dict.fromkeys(["US", "CA", "MX"], "911"),
    "GB": "999",
    "IE": "112",
    **dict.fromkeys(["DE", "FR", "ES", "IT", "NL", "PL"], "112"),
    "AU": "000",
    "NZ": "111",
    "IN": "112",
    "JP": "119",
    "KR": "119",
    "CN": "120",
    "BR": "192",
    "ZA": "10177",
}


@pytest.mark.parametrize(("country", "number"), SPEC_EXAMPLES.items())
def test_the_table_holds_the_screening_md_examples(country, number):
    assert en.number_for(country) == number


@pytest.mark.parametrize("country", ["AT", "BE", "PT", "SE", "FI", "DK", "CZ", "GR", "NO", "CH"])
def test_more_european_countries_use_112(country):
    assert en.number_for(country) == "112"


def test_an_unknown_country_has_no_number():
    assert en.number_for("") is None
    assert en.number_for("XX") is None


def test_numbers_are_said_digit_by_digit():
    assert en.in_words("999") == "nine, nine, nine"
    assert en.in_words("10177") == "one, zero, one, seven, seven"


@pytest.mark.parametrize(
    ("zone", "country"),
    [
        ("Europe/London", "GB"),
        ("America/New_York", "US"),
        ("Asia/Tokyo", "JP"),
        ("Australia/Sydney", "AU"),
        ("UTC", ""),
    ],
)
def test_the_country_of_a_time_zone(zone, country):
    assert en.country_for_zone(zone) == country


@pytest.mark.parametrize(
    ("header", "country"),
    [
        ("en-GB,en;q=0.8", "GB"),
        ("de-DE", "DE"),
        ("pt_BR", "BR"),
        ("en", ""),
        ("", ""),
        (None, ""),
        ("zh-Hant-TW", "TW"),
    ],
)
def test_the_region_of_the_browser_language(header, country):
    assert en.country_from_accept_language(header) == country


def _result(client, answers, **headers):
    screening = make_screening(None, answers)
    session = client.session
    session["screening_ids"] = [str(screening.pk)]
    session.save()
    return client.get(f"/screening/result/{screening.pk}/", **headers).content.decode()


@pytest.mark.parametrize("flag", ["deformity", "calf_swelling"])
def test_emergency_and_urgent_results_have_a_tel_link_for_the_browser_region(client, db, flag):
    html = _result(client, {**ITBS_ANSWERS, flag: "yes"}, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.5")
    assert 'href="tel:999"' in html
    assert "nine, nine, nine" in html


def test_without_a_region_the_result_offers_112_and_says_why(client, db):
    html = _result(client, {**ITBS_ANSWERS, "deformity": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'href="tel:112"' in html
    assert "112 works from mobile phones in most countries." in html


@pytest.mark.parametrize("flag", ["night_or_rest_pain", None])
def test_calmer_results_have_no_call_button(client, db, flag):
    answers = {**ITBS_ANSWERS, flag: "yes"} if flag else ITBS_ANSWERS
    html = _result(client, answers, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "button-call" not in html
    assert html.count('href="tel:') == 1  # only the emergency line every page carries


def test_a_logged_in_person_gets_their_countrys_number_then_their_time_zones(client, db):
    user = make_user("carol", time_zone="Asia/Tokyo")
    client.force_login(user)
    screening = make_screening(user, {**ITBS_ANSWERS, "deformity": "yes"})
    url = f"/screening/result/{screening.pk}/"
    assert 'href="tel:119"' in client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    user.country = "ZA"
    user.save()
    assert 'href="tel:10177"' in client.get(url).content.decode()


def test_the_country_can_be_set_in_account_settings(client, db):
    user = make_user("dave", time_zone="Europe/Paris")
    client.force_login(user)
    response = client.post("/accounts/settings/", {"time_zone": "Europe/Paris", "country": "NZ"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.country == "NZ"
    assert 'value="NZ"' in client.get("/accounts/settings/").content.decode()
