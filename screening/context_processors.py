"""The emergency number on every page: the base template's emergency line is a `tel:` link."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import emergency_numbers

#: Where the country behind the number came from (the account page says so).
FROM_ACCOUNT, FROM_TIME_ZONE, FROM_LANGUAGE, UNKNOWN = "account", "time_zone", "language", "unknown"


def country_for(request: HttpRequest) -> tuple[str, str]:
    """(country, where it came from) for this person: the account's country, else the country of
    the account's time zone, else (also for anonymous people) the region of the browser's
    language, else ("", UNKNOWN). A zone of no country (UTC, Etc/…: what a sign-up without
    JavaScript gets) says nothing, so the language decides."""
    user = request.user
    if user.is_authenticated:
        country = getattr(user, "country", "") or ""
        if country:
            return country, FROM_ACCOUNT
        country = emergency_numbers.country_for_zone(getattr(user, "time_zone", ""))
        if country:
            return country, FROM_TIME_ZONE
    country = emergency_numbers.country_from_accept_language(request.headers.get("Accept-Language"))
    if country:
        return country, FROM_LANGUAGE
    return "", UNKNOWN


def emergency_call_for(request: HttpRequest) -> dict:
    """The ambulance number for this person (see `country_for`), else 112 with a note that it
    works from most mobile phones."""
    country, source = country_for(request)
    number = emergency_numbers.number_for(country)
    note = "" if number else emergency_numbers.FALLBACK_NOTE
    number = number or emergency_numbers.FALLBACK_NUMBER
    return {
        "number": number,
        "words": emergency_numbers.in_words(number),
        "note": note,
        "country": country,
        "country_name": emergency_numbers.country_name(country),
        "source": source,
    }


def emergency_call(request: HttpRequest) -> dict:
    # Lazy: a page that never shows the line (an htmx partial, a download) reads nothing for it.
    return {"emergency_call": SimpleLazyObject(lambda: emergency_call_for(request))}
