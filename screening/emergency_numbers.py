"""Ambulance numbers by country (ISO 3166-1 alpha-2), and the country to use for a person.

Sources to check it against: the European Commission's "112 — the single European emergency
number" for the EU/EEA, and elsewhere each country's health service or government, as collected
in Wikipedia's "List of emergency telephone numbers". Compiled 2026-12-02 from those published
numbers without a live look-up here (this workplace has no web access): the examples screening.md
fixes are tested; every other row must be re-checked against the sources before release. Where a country has a
separate ambulance number (e.g. JP 119, CN 120, BR 192, ZA 10177) that number is used, not the
police one. screening.md (Emergency number) lists examples that tests hold this table to.

Pure data and functions: no request, no database.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

from django.utils.translation import gettext_lazy as _

#: Used when the country is unknown: it works from mobile phones in most countries.
FALLBACK_NUMBER = "112"
FALLBACK_NOTE = _("112 works from mobile phones in most countries.")

#: EU and EEA countries and Switzerland, where 112 reaches the ambulance.
_EU_112 = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH".split()

AMBULANCE: dict[str, str] = {
    **dict.fromkeys(_EU_112, "112"),
    "GB": "999",
    "IE": "112",
    "US": "911",
    "CA": "911",
    "MX": "911",
    "AU": "000",
    "NZ": "111",
    "IN": "112",
    "JP": "119",
    "KR": "119",
    "CN": "120",
    "BR": "192",
    "ZA": "10177",
    "AR": "107",
    "CL": "131",
    "CO": "123",
    "PE": "106",
    "TR": "112",
    "UA": "103",
    "IL": "101",
    "AE": "998",
    "SA": "997",
    "EG": "123",
    "NG": "112",
    "KE": "999",
    "SG": "995",
    "MY": "999",
    "HK": "999",
    "TW": "119",
    "TH": "1669",
    "PH": "911",
    "ID": "118",
    "VN": "115",
    "PK": "1122",
    "RU": "103",
}

_WORDS = {
    "0": _("zero"),
    "1": _("one"),
    "2": _("two"),
    "3": _("three"),
    "4": _("four"),
    "5": _("five"),
    "6": _("six"),
    "7": _("seven"),
    "8": _("eight"),
    "9": _("nine"),
}


def number_for(country: str | None) -> str | None:
    """The ambulance number of `country`, or None when we don't know it."""
    return AMBULANCE.get((country or "").upper())


def in_words(number: str) -> str:
    """ "999" → "nine, nine, nine": said digit by digit, as a person would dial it."""
    return ", ".join(str(_WORDS[digit]) for digit in number)


@cache
def _zone_countries() -> dict[str, str]:
    """Time zone → country from tzdata's zone.tab (ships with the `tzdata` package)."""
    text = (importlib.resources.files("tzdata.zoneinfo") / "zone.tab").read_text(encoding="utf-8")
    mapping: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            mapping[fields[2]] = fields[0]
    return mapping


def country_for_zone(zone: str | None) -> str:
    """The country of a time zone ("Europe/London" → "GB"), or "" when it has none."""
    return _zone_countries().get(zone or "", "")


def country_from_accept_language(header: str | None) -> str:
    """The region of the first language tag that has one ("en-GB,en;q=0.8" → "GB"), else ""."""
    for part in (header or "").split(","):
        tag = part.split(";")[0].strip()
        pieces = tag.replace("_", "-").split("-")
        for piece in pieces[1:]:
            if len(piece) == 2 and piece.isalpha():
                return piece.upper()
    return ""


@cache
def _country_names() -> dict[str, str]:
    """ISO code → English name, from tzdata's iso3166.tab."""
    text = (importlib.resources.files("tzdata.zoneinfo") / "iso3166.tab").read_text(encoding="utf-8")
    rows = (line.split("\t", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {code: name.strip() for code, name in rows}


def country_name(country: str | None) -> str:
    """ "GB" → "Britain (UK)" as tzdata names it; the code itself when unknown; "" for none."""
    code = (country or "").upper()
    return _country_names().get(code, code)
