"""Query counts of the site-wide and account pages (app pages pin theirs in their own tests)."""

import pytest


@pytest.mark.parametrize(
    "url, anonymous, signed_in",
    [
        ("/", 0, 2),  # signed in: session + user
        ("/privacy/", 0, 2),
        ("/accounts/login/", 0, 2),  # signed in: redirected away
        ("/accounts/signup/", 0, 2),
        ("/accounts/password/reset/", 0, 2),
        ("/accounts/delete/", 0, 2),  # anonymous: redirected to log in
        ("/accounts/report-name/", 0, 2),
        ("/accounts/password/change/", 0, 2),
        ("/healthz", 0, 0),
        ("/readyz", 1, 1),
    ],
)
def test_page_queries_are_pinned(client, alice_client, django_assert_num_queries, url, anonymous, signed_in):
    with django_assert_num_queries(anonymous):
        assert client.get(url).status_code in (200, 302)
    with django_assert_num_queries(signed_in):
        assert alice_client.get(url).status_code in (200, 302)
