"""URL helpers: `cached_reverse` (a URL depends only on its name and arguments, the URL conf and the
script prefix, so each is worked out once per process; safe to lose, cleared when a test swaps the
URL conf) and `safe_next` (only ever redirect to our own pages)."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import url_has_allowed_host_and_scheme


@lru_cache(maxsize=512)
def _reverse(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


def cached_reverse(name: str, *args) -> str:
    return _reverse(name, args, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget(setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


def safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    """`value` if it is a path on this site ("/…"), else `default`."""
    value = value or ""
    if (
        value.startswith("/")
        and not value.startswith("//")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default
