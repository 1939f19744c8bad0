"""Same-day (non-emergency) care by country, for the `urgent_today` result's main action.

Only national or near-national lines that give same-day medical advice by phone are listed,
each with where it comes from. Compiled 2026-12 from the services' own published pages, from
knowledge, without a live look-up here (this workplace has no web access): re-check every row
against its source before release. Where we are not sure a country has one such line, it is
left out and the result says "Call your doctor's practice or go to urgent care today" instead
of guessing a number. Ireland, for example, has no national line like 111: GP out-of-hours
services are regional, so its row names them without a number.

Pure data and a look-up: no request, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SameDayLine:
    country: str  # ISO 3166-1 alpha-2
    name: str  # what people call it, e.g. "NHS 111"
    number: str  # what to dial, digits only ("" when there is no single number)
    display: str  # the number as it is written locally, e.g. "1800 022 222"
    action: str  # the main action, in a few words
    note: str  # where it does not apply, or what it is; "" when nothing needs saying
    source: str  # where the row comes from


#: The generic main action where no row applies (the United States, for example: nurse lines
#: there belong to insurers and hospitals, not to one national service).
GENERIC_ACTION = _("Call your doctor's practice or go to urgent care today.")

LINES: dict[str, SameDayLine] = {
    line.country: line
    for line in (
        SameDayLine(
            "GB",
            "NHS 111",
            "111",
            "111",
            _("Call NHS 111 today: it is free, day and night."),
            _("In Northern Ireland, call your GP practice or the GP out-of-hours service instead."),
            "nhs.uk, “When to use NHS 111”; NHS 24 (Scotland) and NHS 111 Wales; 111 is free, day and night",
        ),
        SameDayLine(
            "AU",
            "healthdirect",
            "1800022222",
            "1800 022 222",
            _("Call healthdirect today: a registered nurse tells you where to go."),
            "",
            "healthdirect.gov.au, “Call the healthdirect helpline” (free, 24 hours)",
        ),
        SameDayLine(
            "NZ",
            "Healthline",
            "0800611116",
            "0800 611 116",
            _("Call Healthline today: free health advice, day and night."),
            "",
            "healthline.govt.nz / Health New Zealand Te Whatu Ora, “Healthline” (free, 24 hours)",
        ),
        SameDayLine(
            "CA",
            "811",
            "811",
            "811",
            _("Call 811 today to speak to a nurse (HealthLink BC, Health811 Ontario, Info-Santé Québec and others)."),
            _(
                "811 reaches a nurse in most provinces and territories; where it does not, call your doctor's office "
                "or go to urgent care today."
            ),
            "provincial health lines: HealthLink BC, Alberta Health Link, Health811 (Ontario), Info-Santé 811 "
            "(Québec) and the other provinces' 811 services",
        ),
        SameDayLine(
            "DE",
            "116 117",
            "116117",
            "116 117",
            _("Call the medical on-call service 116 117 today."),
            "",
            "116117.de, Kassenärztliche Bundesvereinigung (ärztlicher Bereitschaftsdienst, free)",
        ),
        SameDayLine(
            "AT",
            "1450",
            "1450",
            "1450",
            _("Call the health line 1450 today."),
            "",
            "1450.at, Gesundheitsnummer 1450 (all federal states)",
        ),
        SameDayLine(
            "SE",
            "1177",
            "1177",
            "1177",
            _("Call 1177 today for medical advice."),
            "",
            "1177.se, “Ring 1177 för sjukvårdsrådgivning”",
        ),
        SameDayLine(
            "NO",
            "116 117",
            "116117",
            "116 117",
            _("Call the out-of-hours doctor (legevakt) on 116 117 today."),
            "",
            "helsenorge.no, “Legevakt: ring 116 117”",
        ),
        SameDayLine(
            "IE",
            "",
            "",
            "",
            _("Call your GP today; if the surgery is closed, call your GP out-of-hours service."),
            "",
            "hse.ie, GP out-of-hours services (regional: there is no national number like 111)",
        ),
    )
}


def line_for(country: str | None) -> SameDayLine | None:
    """The same-day line of `country`, or None: then the generic action applies."""
    return LINES.get((country or "").upper())
