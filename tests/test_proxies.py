"""The client's address (kit/proxies.py): X-Forwarded-For believed only from trusted proxies,
read from the right."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kit.proxies import address_group, client_address, parse_address

PROXY = "10.0.0.1"


def address(settings, peer: str, forwarded: str | None = None, trusted=(PROXY,)) -> str:
    settings.TRUSTED_PROXIES = list(trusted)
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    assert address(settings, "203.0.113.5", "198.51.100.1", trusted=()) == "203.0.113.5"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_name_another_client(settings):
    assert address(settings, "203.0.113.5", "198.51.100.1") == "203.0.113.5"


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(settings):
    assert address(settings, PROXY, "198.51.100.1") == "198.51.100.1"


def test_what_the_client_wrote_left_of_it_is_ignored(settings):
    assert address(settings, PROXY, "1.2.3.4, 5.6.7.8, 198.51.100.1") == "198.51.100.1"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address(settings):
    forwarded = "1.2.3.4, 198.51.100.1, 10.0.0.7, 10.0.0.8"
    assert address(settings, PROXY, forwarded, trusted=("10.0.0.0/24",)) == "198.51.100.1"


def test_only_proxies_in_the_chain_gives_the_peer(settings):
    assert address(settings, PROXY, "10.0.0.2", trusted=("10.0.0.0/24",)) == PROXY


@pytest.mark.parametrize("forwarded", ["", "   ", "not-an-address", "198.51.100.1, garbage", "unknown"])
def test_a_missing_or_unreadable_header_gives_the_proxy_itself(settings, forwarded):
    assert address(settings, PROXY, forwarded) == PROXY


def test_no_header_at_all_gives_the_proxy_itself(settings):
    assert address(settings, PROXY) == PROXY


@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("198.51.100.1:4711", "198.51.100.1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("::ffff:198.51.100.1", "198.51.100.1"),
    ],
)
def test_ports_brackets_and_mapped_addresses_are_read(settings, forwarded, expected):
    assert address(settings, PROXY, forwarded) == expected


def test_an_ipv6_proxy_network_is_trusted_too(settings):
    assert address(settings, "fd00::5", "2001:db8::9", trusted=("fd00::/8",)) == "2001:db8::9"


def test_a_request_without_an_address_has_none(settings):
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) == ""


def test_an_ipv6_client_is_grouped_by_its_64_and_ipv4_stays_whole():
    assert address_group("2001:db8:1:2:aaaa::1") == address_group("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_group("2001:db8:1:3::1") != address_group("2001:db8:1:2::1")
    assert address_group("198.51.100.1") == "198.51.100.1"


def test_parse_address_refuses_what_is_not_an_address():
    assert parse_address("[2001:db8::1") is None
    assert parse_address("example.org") is None
    assert parse_address("999.1.1.1") is None
