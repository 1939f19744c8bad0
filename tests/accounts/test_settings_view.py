import pytest
from django.http import HttpResponse
from django.utils import timezone

from itbcare.middleware import UserTimezoneMiddleware

PRIVATE_URLS = [
    "/accounts/settings/",
    "/accounts/delete/",
    "/accounts/password/change/",
    "/screening/history/",
    "/rehab/",
    "/rehab/start/",
    "/rehab/log/",
    "/rehab/check/",
    "/rehab/timeline/",
    "/rehab/exercises/",
    "/rehab/export.json",
    "/rehab/export.csv",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_time_zone_can_be_changed(alice_client, alice):
    response = alice_client.post("/accounts/settings/", {"time_zone": "America/New_York"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.time_zone == "America/New_York"


def test_an_unknown_time_zone_is_refused_with_a_message(alice_client, alice):
    response = alice_client.post("/accounts/settings/", {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    alice.refresh_from_db()
    assert alice.time_zone == "UTC"


def test_settings_page_queries_are_pinned(alice_client, django_assert_num_queries):
    alice_client.get("/accounts/settings/")
    with django_assert_num_queries(4):  # session, user, other sessions, calendar link
        assert alice_client.get("/accounts/settings/").status_code == 200


def test_the_middleware_activates_the_users_time_zone(rf, alice):
    alice.time_zone = "Pacific/Auckland"
    request = rf.get("/")
    request.user = alice
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == "Pacific/Auckland"
    assert timezone.get_current_timezone_name() == "UTC"  # and deactivates it afterwards


def test_a_zone_outside_the_grouped_list_stays_selected_in_settings(alice_client, alice):
    alice.time_zone = "US/Eastern"
    alice.save()
    html = alice_client.get("/accounts/settings/").content.decode()
    assert '<option value="US/Eastern" selected>' in html


def test_the_settings_page_is_under_33_kb_of_html(alice_client):
    # 30 KB before the language setting and the footer's language switch.
    assert len(alice_client.get("/accounts/settings/").content) < 33 * 1024


def test_the_country_list_holds_the_countries_whose_number_we_know(alice_client):
    html = alice_client.get("/accounts/settings/").content.decode()
    assert '<option value="GB">Britain (UK)\n' in html
    assert '<option value="" selected>From my time zone\n' in html
    assert 'value="AQ"' not in html  # Antarctica: no number of its own, so 112 "From my time zone"
