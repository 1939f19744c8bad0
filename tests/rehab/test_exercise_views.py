"""Exercise check-offs (`POST /rehab/done/<date>/<slug>/`), htmx in place or a plain POST, and the
exercise library pages (plan.md, "Exercises"; exercises.md)."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.test.html import Element, parse_html

from rehab.catalogue import EXERCISES
from rehab.models import Completion
from rehab.timing import GET_READY_SECONDS, Timing, timing
from tests.factories import make_completion, make_history, make_plan, make_user, warm
from tests.rehab.support import TODAY
from tests.rehab.support import elements as _elements
from tests.rehab.support import text as _text

pytestmark = pytest.mark.usefixtures("frozen_clock")
HTMX = {"HX-Request": "true"}


def item(response, slug: str) -> Element:
    root = parse_html(response.content.decode())
    found = [e for e in _elements(root) if dict(e.attributes).get("data-exercise") == slug]
    assert len(found) == 1, f"one element with data-exercise={slug!r}"
    return found[0]


def adherence(response) -> str:
    root = parse_html(response.content.decode())
    found = [html.unescape(_text(e)) for e in _elements(root) if dict(e.attributes).get("id") == "adherence"]
    assert len(found) == 1, "one adherence line"
    return found[0].strip()


def done_url(day: date, slug: str) -> str:
    return f"/rehab/done/{day.isoformat()}/{slug}/"


@pytest.fixture
def plan(alice):
    """Alice on day 1 of rest: the five stretches are due."""
    return make_plan(alice, start_date=TODAY)


# --- Ticking and unticking --------------------------------------------------------------------


def test_ticking_an_exercise_creates_one_completion_and_ticking_again_keeps_one(plan, alice_client):
    alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1"})
    alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1"})
    assert list(Completion.objects.values_list("plan_id", "date", "exercise_id")) == [(plan.pk, TODAY, "calf-stretch")]


def test_unticking_removes_the_completion(plan, alice_client):
    make_completion(plan, TODAY, "calf-stretch")
    make_completion(plan, TODAY, "figure-4-stretch")
    alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "0"})
    assert list(Completion.objects.values_list("exercise_id", flat=True)) == ["figure-4-stretch"]


def test_unticking_what_was_never_ticked_is_harmless(plan, alice_client):
    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "0"})
    assert response.status_code == 302
    assert not Completion.objects.exists()


def test_a_past_day_of_the_plan_can_be_ticked(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=4))
    alice_client.post(done_url(plan.start_date, "hip-flexor-stretch"), {"done": "1"})
    assert Completion.objects.get().date == plan.start_date


# --- Without htmx: post, then redirect ----------------------------------------------------------


def test_without_htmx_it_redirects_to_todays_page_showing_the_exercise_done(plan, alice_client):
    before = alice_client.get("/rehab/")
    assert dict(item(before, "calf-stretch").attributes)["data-done"] == "false"

    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": "/rehab/"})
    assert (response.status_code, response["Location"]) == (302, "/rehab/#exercise-calf-stretch")

    after = alice_client.get("/rehab/")
    tick = item(after, "calf-stretch")
    assert dict(tick.attributes)["data-done"] == "true"
    assert "✓ Done" in _text(tick)
    assert adherence(after) == "Week 1: 1 of 5 exercises done (20%)."


def test_without_htmx_it_returns_to_a_safe_next_page(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=2))
    back = f"/rehab/log/{plan.start_date.isoformat()}/"
    response = alice_client.post(done_url(plan.start_date, "calf-stretch"), {"done": "1", "next": back})
    assert response["Location"] == back + "#exercise-calf-stretch"


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example/rehab/", "http://evil.example", "javascript:alert(1)", ""]
)
def test_without_htmx_an_unsafe_or_missing_next_falls_back_to_today(plan, alice_client, unsafe):
    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": unsafe})
    assert (response.status_code, response["Location"]) == (302, "/rehab/#exercise-calf-stretch")


# --- With htmx: the list swapped in place --------------------------------------------------------


def test_with_htmx_it_returns_the_exercise_list_fragment_with_the_button_done(plan, alice_client):
    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": "/rehab/"}, headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert not content.lstrip().lower().startswith("<!doctype"), "a fragment, not a whole page"
    assert "<html" not in content
    assert content.count('id="exercises"') == 1
    tick = item(response, "calf-stretch")
    assert dict(tick.attributes)["data-done"] == "true"
    assert "✓ Done" in _text(tick)
    undo = [dict(e.attributes) for e in _elements(tick) if dict(e.attributes).get("name") == "done"]
    assert undo == [{"type": "hidden", "name": "done", "value": "0"}], "pressing again undoes it"
    assert dict(item(response, "figure-4-stretch").attributes)["data-done"] == "false"
    assert "Wall calf stretch marked done." in html.unescape(content)


def test_with_htmx_the_weeks_adherence_changes_with_each_tick(plan, alice_client):
    assert adherence(alice_client.get("/rehab/")) == "Week 1: 0 of 5 exercises done (0%)."

    first = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1"}, headers=HTMX)
    assert adherence(first) == "Week 1: 1 of 5 exercises done (20%)."
    second = alice_client.post(done_url(TODAY, "figure-4-stretch"), {"done": "1"}, headers=HTMX)
    assert adherence(second) == "Week 1: 2 of 5 exercises done (40%)."
    undone = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "0"}, headers=HTMX)
    assert adherence(undone) == "Week 1: 1 of 5 exercises done (20%)."
    assert dict(item(undone, "calf-stretch").attributes)["data-done"] == "false"


def test_the_optional_foam_roll_is_never_counted_in_adherence(plan, alice_client):
    response = alice_client.post(done_url(TODAY, "foam-roll-lateral-thigh"), {"done": "1"}, headers=HTMX)
    assert response.status_code == 200
    assert adherence(response) == "Week 1: 0 of 5 exercises done (0%)."


def test_adherence_counts_the_whole_plan_week_so_far(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=2))  # days 1, 2 (5 due each) and 3 (10 due)
    make_completion(plan, plan.start_date, "calf-stretch")
    response = alice_client.post(done_url(TODAY, "clamshell"), {"done": "1"}, headers=HTMX)
    assert adherence(response) == "Week 1: 2 of 20 exercises done (10%)."


# --- Refused ------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize(
    "path",
    [
        "/rehab/done/2026-11-26/calf-stretch/",  # the day before the plan started
        "/rehab/done/2026-11-28/calf-stretch/",  # tomorrow
        "/rehab/done/2026-02-30/calf-stretch/",  # no such date
        "/rehab/done/2026-11-27/moonwalk/",  # no such exercise
    ],
    ids=["before-start", "tomorrow", "impossible-date", "unknown-slug"],
)
def test_a_date_outside_the_plan_or_an_unknown_exercise_is_not_found(plan, alice_client, path, headers):
    response = alice_client.post(path, {"done": "1"}, headers=headers)
    assert response.status_code == 404
    assert not Completion.objects.exists()


def test_get_is_not_allowed(plan, alice_client):
    assert alice_client.get(done_url(TODAY, "calf-stretch")).status_code == 405
    assert not Completion.objects.exists()


def test_just_after_midnight_in_auckland_the_new_day_can_be_ticked(db):
    with time_machine.travel(datetime(2026, 11, 27, 12, 30, tzinfo=UTC), tick=False):  # 01:30, 28 Nov
        kiri = make_user("kiri", time_zone="Pacific/Auckland")
        make_plan(kiri, start_date=date(2026, 11, 28))
        client = Client()
        client.force_login(kiri)
        ticked = client.post(done_url(date(2026, 11, 28), "calf-stretch"), {"done": "1"}, headers=HTMX)
        refused = client.post(done_url(date(2026, 11, 29), "calf-stretch"), {"done": "1"}, headers=HTMX)
    assert ticked.status_code == 200
    assert "Today's exercises" in ticked.content.decode()
    assert refused.status_code == 404
    assert list(Completion.objects.values_list("date", flat=True)) == [date(2026, 11, 28)]


# --- The exercise library -----------------------------------------------------------------------


def test_the_library_lists_every_exercise_with_a_link_to_its_page(alice_client):
    response = alice_client.get("/rehab/exercises/")
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    for exercise in EXERCISES:
        assert exercise["name"] in content
        assert f'href="/rehab/exercises/{exercise["slug"]}/"' in content


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e["slug"] for e in EXERCISES])
def test_an_exercise_page_shows_steps_dosage_progression_regression_pain_and_a_drawing(alice_client, exercise):
    response = alice_client.get(f"/rehab/exercises/{exercise['slug']}/")
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert f"<h1>{exercise['name']}</h1>" in content
    for step in (*exercise["steps"], *exercise["steps_rest"]):
        assert f"<li>{step}</li>" in content
    for text in (exercise["dosage"], exercise["progression"], exercise["regression"], exercise["pain_note"]):
        assert text in content
    if exercise["dosage_return"]:
        assert exercise["dosage_return"] in content
    assert "If it hurts" in content
    root = parse_html(response.content.decode())
    images = [dict(e.attributes) for e in _elements(root) if e.name == "img"]
    drawings = [i for i in images if f"img/exercises/{exercise['slug']}" in i.get("src", "")]
    assert len(drawings) == 1
    assert drawings[0].get("alt", "").strip(), "the drawing has alt text"
    assert exercise["name"] in html.unescape(drawings[0]["alt"])


def test_an_unknown_exercise_page_is_not_found(alice_client):
    assert alice_client.get("/rehab/exercises/moonwalk/").status_code == 404


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/rehab/done/2026-11-27/calf-stretch/"),
        ("get", "/rehab/done/2026-11-27/calf-stretch/"),
        ("get", "/rehab/exercises/"),
        ("get", "/rehab/exercises/calf-stretch/"),
    ],
)
def test_an_anonymous_visitor_is_sent_to_log_in(client, db, method, path):
    response = getattr(client, method)(path)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={path}")
    assert not Completion.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_bob_without_a_plan_gets_not_found_and_alices_ticks_stay(plan, bob_client, headers):
    make_completion(plan, TODAY, "calf-stretch")
    for done in ("1", "0"):
        response = bob_client.post(done_url(TODAY, "calf-stretch"), {"done": done}, headers=headers)
        assert response.status_code == 404
    assert list(Completion.objects.values_list("plan_id", "exercise_id")) == [(plan.pk, "calf-stretch")]


# --- Query counts --------------------------------------------------------------------------------

#: Measured: session + user, plan + logs + checks, screens, the exercise library with the week's
#: completions (one LEFT JOIN), then one INSERT … ON CONFLICT DO NOTHING (tick) or one DELETE.
#: Issue 13: the plan is read with its stored state (no logs, checks, screens); a tick is not an
#: engine input, so it writes no snapshot.
TICK_QUERIES = 5  # session, user, plan + snapshot, library + week (one join), insert
UNTICK_QUERIES = 5  # the same, with a delete


def history(user, days: int):
    plan = make_plan(user, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)  # ticks two stretches every day, not the clamshell
    warm(plan)  # the page everybody gets after the day's first
    return plan


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("days", [7, 365])
def test_a_tick_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days, headers):
    history(alice, days)
    with django_assert_num_queries(TICK_QUERIES):
        alice_client.post(done_url(TODAY, "clamshell"), {"done": "1"}, headers=headers)
    with django_assert_num_queries(UNTICK_QUERIES):
        alice_client.post(done_url(TODAY, "clamshell"), {"done": "0"}, headers=headers)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("days", [7, 365])
def test_a_tick_stays_within_8_queries(alice, alice_client, django_assert_max_num_queries, days, headers):
    history(alice, days)
    with django_assert_max_num_queries(8):
        alice_client.post(done_url(TODAY, "clamshell"), {"done": "1"}, headers=headers)


# --- Issue 12: dosage in the lists, a visible Undo, Mark done on the exercise page ---------------


def visible_text(node) -> str:
    """Text a sighted person sees: without `visually-hidden` spans and aria-hidden marks."""
    parts = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(child)
        elif not {"visually-hidden"} & set((dict(child.attributes).get("class") or "").split()) and not dict(
            child.attributes
        ).get("aria-hidden"):
            parts.append(visible_text(child))
    return " ".join(" ".join(parts).split())


def buttons(node) -> list[str]:
    return [visible_text(e) for e in _elements(node) if e.name == "button"]


def by_id(response, element_id: str) -> Element:
    root = parse_html(response.content.decode())
    everything = [root, *_elements(root)] if isinstance(root, Element) else list(_elements(root))
    found = [e for e in everything if dict(e.attributes).get("id") == element_id]
    assert len(found) == 1, f"one element with id {element_id!r}"
    return found[0]


def test_todays_list_shows_each_exercises_sets_reps_or_hold(plan, alice_client):
    response = alice_client.get("/rehab/")
    by_slug = {e["slug"]: e for e in EXERCISES}
    for slug in ("figure-4-stretch", "calf-stretch"):
        assert by_slug[slug]["dosage"] in html.unescape(_text(item(response, slug)))


def test_the_library_shows_each_exercises_dosage_and_its_return_phase_dosage(alice_client):
    content = html.unescape(alice_client.get("/rehab/exercises/").content.decode())
    for exercise in EXERCISES:
        assert exercise["dosage"] in content
        if exercise["dosage_return"]:
            assert exercise["dosage_return"] in content


def test_a_done_exercise_shows_a_visible_undo_not_a_hidden_hint(plan, alice_client):
    make_completion(plan, TODAY, "calf-stretch")
    response = alice_client.get("/rehab/")
    tick = item(response, "calf-stretch")
    assert buttons(tick) == ["Undo"]
    assert "Done" in visible_text(tick)
    assert "Press to undo" not in response.content.decode()
    assert buttons(item(response, "figure-4-stretch")) == ["Mark done"]


@pytest.mark.parametrize("page", ["/rehab/", "/rehab/log/2026-11-27/", "/rehab/exercises/calf-stretch/"])
def test_without_javascript_a_tick_returns_to_the_exercise_it_ticked(plan, alice_client, page):
    form_next = [
        dict(e.attributes)["value"]
        for e in _elements(by_id(alice_client.get(page), "exercise-calf-stretch"))
        if dict(e.attributes).get("name") == "next"
    ]
    assert form_next == [f"{page}#exercise-calf-stretch"]

    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": form_next[0]})
    path, anchor = response["Location"].split("#")
    assert (path, anchor) == (page, "exercise-calf-stretch")
    landed = by_id(alice_client.get(path), anchor)  # the anchor names a real element there
    assert dict(landed.attributes)["data-done"] == "true"
    assert buttons(landed) == ["Undo"]


def test_a_next_with_its_own_anchor_still_returns_to_the_exercise(plan, alice_client):
    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": "/rehab/#top"})
    assert response["Location"] == "/rehab/#exercise-calf-stretch"


def test_the_exercise_page_has_mark_done_for_today_and_undo(plan, alice_client):
    response = alice_client.get("/rehab/exercises/calf-stretch/")
    mark = by_id(response, "exercise-calf-stretch")
    assert buttons(mark) == ["Mark done"]
    assert "Due today." in _text(mark)
    assert f'action="{done_url(TODAY, "calf-stretch")}"' in response.content.decode()

    alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": "/rehab/exercises/calf-stretch/"})
    assert buttons(by_id(alice_client.get("/rehab/exercises/calf-stretch/"), "exercise-calf-stretch")) == ["Undo"]
    alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "0", "next": "/rehab/exercises/calf-stretch/"})
    assert not Completion.objects.exists()


def test_an_exercise_not_due_today_can_still_be_marked_but_says_it_does_not_count(plan, alice_client):
    mark = by_id(alice_client.get("/rehab/exercises/clamshell/"), "exercise-clamshell")  # day 1: stretches only
    assert "Not due today" in _text(mark)
    assert buttons(mark) == ["Mark done"]


def test_with_htmx_the_exercise_page_swaps_only_its_mark_block(plan, alice_client):
    headers = {**HTMX, "HX-Target": "exercise-calf-stretch"}
    next_ = "/rehab/exercises/calf-stretch/#exercise-calf-stretch"
    response = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "1", "next": next_}, headers=headers)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content and 'id="exercises"' not in content
    mark = by_id(response, "exercise-calf-stretch")
    assert buttons(mark) == ["Undo"]
    assert "Wall calf stretch marked done." in html.unescape(content)
    forms = [dict(e.attributes) for e in _elements(mark) if e.name == "form"]
    assert forms[0]["data-hx-target"] == "#exercise-calf-stretch"

    undone = alice_client.post(done_url(TODAY, "calf-stretch"), {"done": "0", "next": next_}, headers=headers)
    assert buttons(by_id(undone, "exercise-calf-stretch")) == ["Mark done"]
    assert not Completion.objects.exists()


def test_without_a_plan_the_exercise_page_has_no_mark_done(bob_client):
    content = bob_client.get("/rehab/exercises/calf-stretch/").content.decode()
    assert "/rehab/done/" not in content and 'id="exercise-calf-stretch"' not in content


def timer_box(response) -> dict[str, str]:
    found = [dict(e.attributes) for e in _elements(parse_html(response.content.decode())) if e.name == "section"]
    boxes = [a for a in found if "data-exercise-timer" in a]
    assert len(boxes) == 1
    return boxes[0]


def test_a_stretch_page_has_a_hold_timer_with_a_get_ready_countdown_hidden_until_javascript(alice_client):
    response = alice_client.get("/rehab/exercises/figure-4-stretch/")
    box = timer_box(response)
    assert (box["data-exercise-timer"], box["data-count"], box["data-ready"]) == ("hold", "20", str(GET_READY_SECONDS))
    assert "hidden" in box
    assert "js/exercise-timer" in response.content.decode()


def test_a_strength_page_has_a_rep_counter(alice_client):
    box = timer_box(alice_client.get("/rehab/exercises/clamshell/"))
    assert (box["data-exercise-timer"], box["data-count"]) == ("reps", "10")


def test_in_the_return_phase_the_timer_follows_the_return_dosage(alice, alice_client):
    from tests.rehab.support import return_at_level_3

    return_at_level_3(alice)
    box = timer_box(alice_client.get("/rehab/exercises/side-plank/"))  # legs straight: 2–3 × 15–20 s
    assert (box["data-exercise-timer"], box["data-count"]) == ("hold", "15")


@pytest.mark.parametrize(
    "dosage, expected",
    [
        ("Hold 20–30 s; 3 times per side; 1–2 times a day.", Timing("hold", 20)),
        ("1–2 minutes per area; once a day or before runs.", Timing("hold", 60)),
        ("On your knees: 2 × 30 s, rising to 2 × 40 s; 3 days a week.", Timing("hold", 30)),
        ("Legs straight: 2–3 × 15–20 s; then with a top-leg lift, 2–3 × 10; 3 days a week.", Timing("hold", 15)),
        ("2 × 10–20; at least 3–4 days a week.", Timing("reps", 10, ready=0)),
        ("2–3 × 8–12 per side; 3 days a week.", Timing("reps", 8, ready=0)),
        ("2–3 × 15 steps each way; 3 days a week.", Timing("reps", 15, ready=0)),
        ("As comfortable.", None),
    ],
)
def test_timing_reads_the_hold_or_the_reps_from_the_dosage(dosage, expected):
    assert timing(dosage) == expected


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e["slug"] for e in EXERCISES])
def test_every_catalogue_dosage_gives_a_timer_of_the_right_kind(exercise):
    found = timing(exercise["dosage"])
    assert found is not None
    if exercise["kind"] in ("stretch", "mobility"):
        assert found.mode == "hold"


DETAIL_QUERIES = 4  # session, user, plan + snapshot, library + week (one join)
DETAIL_NO_PLAN_QUERIES = 4  # session, user, the plan look-up, the exercise


@pytest.mark.parametrize("days", [7, 365])
def test_the_exercise_page_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    history(alice, days)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert alice_client.get("/rehab/exercises/clamshell/").status_code == 200


def test_the_exercise_page_without_a_plan_takes_a_fixed_number_of_queries(alice_client, django_assert_num_queries):
    with django_assert_num_queries(DETAIL_NO_PLAN_QUERIES):
        assert alice_client.get("/rehab/exercises/clamshell/").status_code == 200
