"""The client's real address, read from X-Forwarded-For only when a trusted proxy sent it.

Behind a reverse proxy every request comes from the proxy's address; the proxy names the client
in `X-Forwarded-For`. Anybody can send that header, so it is believed only when the direct peer
(`REMOTE_ADDR`) is one of `settings.TRUSTED_PROXIES` (addresses or networks). Each proxy appends
the address it saw, so the header is read from the right: the first address that is not itself a
trusted proxy is the client. Everything left of it was written by the client and is ignored.
When the header is missing or unreadable the peer itself is the answer: all those requests then
share the proxy's address, which throttles more, never less.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str] | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """ "10.0.0.1", "10.0.0.0/8", "::1" → networks; a wrong value raises ValueError."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


@cache
def _trusted(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(values)


def parse_address(value: str) -> IPAddress | None:
    """An address as a proxy writes it ("203.0.113.5", "[2001:db8::1]:443", "203.0.113.5:1234"),
    or None. IPv4-mapped IPv6 addresses become IPv4."""
    value = value.strip()
    if value.startswith("["):  # "[v6]" or "[v6]:port"
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # "v4:port"
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the direct peer is one of `TRUSTED_PROXIES` (so the headers it sets are believed)."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return peer is not None and _is_trusted(peer, networks)


def client_address(request: HttpRequest) -> str:
    """The client's address as text ("" when the request has none, as in some tests)."""
    peer = parse_address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            # The nearest proxy always writes a real address; anything else means the header
            # is not what a trusted proxy sent. Stay with the proxy's own address.
            return str(peer)
        if not _is_trusted(address, networks):
            return str(address)
    return str(peer)  # every hop was one of ours


def address_group(address: str) -> str:
    """What one client controls: an IPv4 address, or an IPv6 /64 (one household or server usually
    holds a whole /64, so a throttle per single IPv6 address would be trivial to step around)."""
    parsed = parse_address(address)
    if parsed is None:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
