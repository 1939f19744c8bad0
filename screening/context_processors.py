"""The emergency number on every page: the base template's emergency line is a `tel:` link."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import emergency_numbers


def emergency_call_for(request: HttpRequest) -> dict:
    """The ambulance number for this person: account country (or its time zone's), else the
    browser language's region, else 112 with a note that it works from most mobile phones."""
    if request.user.is_authenticated:
        country = request.user.effective_country
    else:
        country = emergency_numbers.country_from_accept_language(request.headers.get("Accept-Language"))
    number = emergency_numbers.number_for(country)
    note = "" if number else emergency_numbers.FALLBACK_NOTE
    number = number or emergency_numbers.FALLBACK_NUMBER
    return {"number": number, "words": emergency_numbers.in_words(number), "note": note}


def emergency_call(request: HttpRequest) -> dict:
    # Lazy: a page that never shows the line (an htmx partial, a download) reads nothing for it.
    return {"emergency_call": SimpleLazyObject(lambda: emergency_call_for(request))}
