"""Shared by the knee check's tests: the pages and their ids (copied from screening.md), the
answer sets, taking a whole screen through the step POSTs, and reading pages back."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from screening import flow, rules
from screening.models import Screening
from tests.factories import ITBS_ANSWERS

START = "/screening/"
RESULT_PREFIX = "/screening/result/"
PLEASE_ANSWER = "Please answer this question."
AGE_RANGE = "Please enter your age in whole years, from 1 to 120."

#: Ids per page, copied from screening.md's steps so a renamed control fails here. The urgent
#: step is split into three pages and the warning and pattern steps into two and three (2026.3:
#: at most 6 questions a page); every emergency question is on the first two urgent pages.
URGENT_PAGES = {
    "urgent": [
        "deformity",
        "foot_cold_or_numb",
        "compartment_signs",
        "open_wound",
        "fracture_no_injury",
        "cannot_bear_weight",
    ],
    "urgent-body": [
        "hot_swollen_fever",
        "chest_or_breathing",
        "saddle_numbness",
        "calf_swelling",
        "hot_swollen_knee",
        "blood_thinner_swelling",
    ],
    "urgent-joint": ["locked_knee", "rapid_swelling", "groin_pain_with_load"],  # + child_limp_hip under 16
}
URGENT_IDS = [qid for ids in URGENT_PAGES.values() for qid in ids]
PAGE_IDS = {
    **URGENT_PAGES,
    "injury": ["injury_onset", "injury_recent", "blow_inside_knee"],
    "ottawa": ["ottawa_walk", "ottawa_bend", "ottawa_fibula", "ottawa_kneecap"],
    "warning": [
        "catching_giving_way",
        "night_or_rest_pain",
        "pain_not_activity_related",
        "bone_spot_pain",
        "no_improvement",
    ],
    "warning-health": ["weight_loss_cancer", "numbness_shin_foot", "several_joints", "recent_knee_surgery"],
    "pattern": [
        "pain_outside",
        "repetitive_onset",
        "pain_front",
        "pain_below_kneecap",
        "pain_inside",
        "pain_joint_line",
    ],
    "pattern-activity": [
        "comes_on_at_distance",
        "recent_increase",
        "worse_downhill",
        "straight_knee_eases",
        "worse_sitting_bent",
    ],
    "pattern-feel": ["sharp_burning", "tender_bump", "whole_knee_swelling", "pain_back_outside", "back_pain_radiating"],
}
STEP_IDS = {
    "urgent": URGENT_IDS,
    "injury": PAGE_IDS["injury"],
    "ottawa": PAGE_IDS["ottawa"],
    "warning": PAGE_IDS["warning"] + PAGE_IDS["warning-health"],
    "pattern": PAGE_IDS["pattern"] + PAGE_IDS["pattern-activity"] + PAGE_IDS["pattern-feel"],
}

#: A recent injury with every Ottawa check negative: six steps, ends in clinician_soon.
RECENT_INJURY_ANSWERS: dict[str, object] = {
    **ITBS_ANSWERS,
    "injury_onset": "yes",
    "injury_recent": "yes",
    "blow_inside_knee": "no",
    "ottawa_walk": "no",
    "ottawa_bend": "no",
    "ottawa_fibula": "no",
    "ottawa_kneecap": "no",
}

#: One answer set per outcome, each a small change to the itbs_likely answers.
OUTCOME_ANSWERS: dict[str, dict[str, object]] = {
    "emergency": {**ITBS_ANSWERS, "deformity": "yes"},
    "urgent_today": {**ITBS_ANSWERS, "calf_swelling": "yes"},
    "clinician_soon": {**ITBS_ANSWERS, "night_or_rest_pain": "yes"},
    "not_typical": {**ITBS_ANSWERS, "pain_front": "yes"},
    "itbs_likely": dict(ITBS_ANSWERS),
}


# --- helpers (shared) -------------------------------------------------------------------------

#: More than the most pages any screen shows (11, or 12 with two check pages and Ottawa).
MAX_PAGES = 16


def step_url(page_id: str) -> str:
    return START if page_id == "about" else f"/screening/{page_id}/"


page_url = step_url


def step_of(url: str) -> str:
    return "about" if url == START else url.removeprefix("/screening/").strip("/")


def answers_for(page_id: str, answers: dict) -> dict[str, str]:
    """The POST data for one page: the given answers to that page's questions, as strings (a
    check page asks urgent questions, so it gets the urgent ones)."""
    ids = [q.id for q in rules.QUESTIONS if q.step == "urgent"] if page_id.startswith("check") else None
    ids = ids or list(flow.SPECS_BY_ID[page_id].question_ids)
    return {qid: str(answers[qid]) for qid in ids if qid in answers}


def take_screen(client, answers: dict, *, until: str | None = None) -> tuple[str, list[str]]:
    """Post `answers` page by page wherever the pages send us; stop at the result or at `until`.

    Returns the last Location (the result URL, or the URL of page `until`) and the pages posted.
    """
    url, posted = START, []
    for _ in range(MAX_PAGES):
        page_id = step_of(url)
        if page_id == until:
            return url, posted
        response = client.post(url, answers_for(page_id, answers))
        assert response.status_code == 302, f"page {page_id!r} refused the answers: {errors_in(response)}"
        posted.append(page_id)
        url = response["Location"]
        if url.startswith(RESULT_PREFIX):
            return url, posted
    raise AssertionError(f"the screen never ended; last URL {url}")


def stored(result_url: str) -> Screening:
    return Screening.objects.get(pk=result_url.removeprefix(RESULT_PREFIX).strip("/"))


def errors_in(response) -> list[str]:
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    parser = _Elements()
    parser.feed(html)
    return [attrs for name, attrs in parser.found if name == tag]


def radios(html: str, name: str) -> dict[str, bool]:
    """value -> checked, for the radio inputs called `name`."""
    return {
        attrs["value"]: "checked" in attrs
        for attrs in elements(html, "input")
        if attrs.get("type") == "radio" and attrs.get("name") == name
    }


def fieldset_of(html: str, name: str) -> str:
    for block in re.findall(r"<fieldset\b.*?</fieldset>", html, re.S):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no fieldset holds the control {name!r}")


def html_of(response) -> str:
    return response.content.decode()


#: The emergency questions (screening.md 2026.3), as test_rules.py checks them.
URGENT_EMERGENCY = [
    "deformity",
    "foot_cold_or_numb",
    "compartment_signs",
    "hot_swollen_fever",
    "open_wound",
    "chest_or_breathing",
    "saddle_numbness",
    "fracture_no_injury",
]


class _Table(HTMLParser):
    """Rows of every <table> as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(html)
    return parser.rows
