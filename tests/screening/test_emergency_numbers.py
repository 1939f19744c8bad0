"""The emergency number on the result page (screening.md, "Emergency number")."""

from __future__ import annotations

import re

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


# --- 2026.3: a signed-in person whose time zone is in no country ---------------------------


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT+5", "Etc/UTC"])
def test_a_signed_in_person_whose_zone_is_in_no_country_gets_the_browser_languages_number(client, db, zone):
    user = make_user("erin", time_zone=zone)
    client.force_login(user)
    screening = make_screening(user, {**ITBS_ANSWERS, "deformity": "yes"})
    html = client.get(f"/screening/result/{screening.pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8").content.decode()
    assert 'href="tel:911"' in html
    assert "112 works from mobile phones" not in html
    html = client.get(f"/screening/result/{screening.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="tel:112"' in html  # no region at all: 112, and why
    assert "112 works from mobile phones in most countries." in html


def test_a_zone_with_a_country_still_wins_over_the_browser_language(client, db):
    user = make_user("fay", time_zone="Europe/London")
    client.force_login(user)
    html = client.get("/accounts/settings/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'href="tel:999"' in html


def _setting_line(html: str) -> str:
    import re
    from html import unescape

    block = re.search(r'<p class="emergency-setting" id="emergency-number-used">(.*?)</p>', html, re.S).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", block)).split())


@pytest.mark.parametrize(
    ("zone", "country", "language", "expected"),
    [
        (
            "UTC",
            "",
            "en-US",
            "The emergency number we show you is 911 (nine, one, one). Your time zone is in no country, "
            "so it comes from your browser's language: United States.",
        ),
        (
            "Europe/London",
            "",
            "en-US",
            "The emergency number we show you is 999 (nine, nine, nine). "
            "It comes from your time zone, which is in Britain (UK).",
        ),
        (
            "UTC",
            "NZ",
            "en-US",
            "The emergency number we show you is 111 (one, one, one). It comes from your country setting: New Zealand.",
        ),
        (
            "UTC",
            "",
            "en",
            "The emergency number we show you is 112 (one, one, two). 112 works from mobile phones in most countries.",
        ),
    ],
)
def test_the_account_page_says_which_emergency_number_is_used_and_why(client, db, zone, country, language, expected):
    user = make_user("gus", time_zone=zone, country=country)
    client.force_login(user)
    html = client.get("/accounts/settings/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    line = _setting_line(html)
    assert line.startswith(expected), line
    assert line.endswith("Wrong? Choose your country below.")
    assert 'name="country"' in html.split('id="emergency-number-used"', 1)[1]  # the control to change it follows


# --- 2026.3: the urgent_today result's main action is same-day care -----------------------


def _result_section(html: str) -> str:
    start = html.index('id="screening-result"')
    return html[start : html.index("</section>", start)]


URGENT = {**ITBS_ANSWERS, "calf_swelling": "yes"}


@pytest.mark.parametrize(
    ("language", "same_day", "emergency"),
    [
        ("en-GB", "111", "999"),
        ("en-AU", "1800022222", "000"),
        ("en-NZ", "0800611116", "111"),
        ("en-CA", "811", "911"),
        ("de-DE", "116117", "112"),
    ],
)
def test_urgent_today_offers_the_countrys_same_day_line_first_and_the_emergency_number_as_a_small_link(
    client, db, language, same_day, emergency
):
    section = _result_section(_result(client, URGENT, HTTP_ACCEPT_LANGUAGE=language))
    links = re.findall(r'<a\b([^>]*)href="tel:([^"]+)"', section)
    assert [number for _attrs, number in links] == [same_day, emergency]  # same-day care comes first
    assert "button-same-day" in links[0][0]
    assert "button" not in links[1][0]  # the emergency number is a plain link, not the big button
    assert "button-call" not in section
    text = " ".join(re.sub(r"<[^>]+>", "", section).split())
    assert (
        f"If chest pain, breathlessness, a cold or numb foot, or fever with a hot swollen knee appear, call {emergency}"
        in text
    )


def test_urgent_today_in_gb_names_nhs_111(client, db):
    section = _result_section(_result(client, URGENT, HTTP_ACCEPT_LANGUAGE="en-GB"))
    assert '<a class="button button-same-day" href="tel:111">Call NHS 111</a>' in section
    assert "Northern Ireland" in section  # where 111 does not apply


@pytest.mark.parametrize("language", ["en-US", "fr-FR", "en"])
def test_urgent_today_without_a_known_line_says_to_call_the_practice_or_go_to_urgent_care(client, db, language):
    section = _result_section(_result(client, URGENT, HTTP_ACCEPT_LANGUAGE=language))
    assert "Call your doctor&#x27;s practice or go to urgent care today." in section
    assert len(re.findall(r'href="tel:', section)) == 1  # only the emergency number, as a small link


def test_urgent_today_in_ireland_names_the_gp_out_of_hours_service_without_inventing_a_number(client, db):
    section = _result_section(_result(client, URGENT, HTTP_ACCEPT_LANGUAGE="en-IE"))
    assert "GP out-of-hours service" in section
    assert re.findall(r'href="tel:([^"]+)"', section) == ["112"]


@pytest.mark.parametrize("outcome_flag", ["night_or_rest_pain", "pain_front"])
def test_clinician_soon_and_not_typical_lead_with_what_to_book_and_the_printable_summary(client, db, outcome_flag):
    from screening.rules import Outcome

    html = _result(client, {**ITBS_ANSWERS, outcome_flag: "yes"}, HTTP_ACCEPT_LANGUAGE="en-GB")
    section = _result_section(html)
    outcome = Outcome.CLINICIAN_SOON if outcome_flag == "night_or_rest_pain" else Outcome.NOT_TYPICAL
    assert str(outcome.to_book).replace("'", "&#x27;") in section
    assert re.search(r'<a class="button" href="/screening/result/[0-9a-f-]+/summary/">Printable summary</a>', section)
    assert html.count(">Printable summary<") == 1


def test_every_same_day_line_has_a_source_and_a_dialable_number_or_none():
    from screening import urgent_care

    for country, line in urgent_care.LINES.items():
        assert line.country == country and len(country) == 2
        assert line.source.strip()
        assert str(line.action).strip()
        assert line.number == "" or line.number.isdigit()
        assert line.display.replace(" ", "") == line.number
    assert urgent_care.line_for("US") is None
    assert urgent_care.line_for("gb").number == "111"
    assert urgent_care.LINES["IE"].number == ""  # no national line like 111 (GP out-of-hours services)
