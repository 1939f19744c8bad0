"""`reverse()` remembered: a URL depends only on its name and arguments, the URL conf and the
script prefix, so each is worked out once per process (Django's `reverse` costs ~40 µs, and a
plan page's navigation has six). Safe to lose; cleared when a test swaps the URL conf."""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=512)
def _reverse(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args or None, urlconf=urlconf)


def cached_reverse(name: str, *args) -> str:
    return _reverse(name, args, get_script_prefix(), get_urlconf())


@receiver(setting_changed)
def _forget(setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
