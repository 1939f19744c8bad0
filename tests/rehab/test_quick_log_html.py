"""Today's quick log (`rehab/partials/quick_log.html`): not logged, logged (folded), invalid (errors
shown, sections open), a session day (the session questions and the activity rows), a held plan, a
streak and rest days kept, with and without htmx's announcement; the log page's form; the activity
rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.factories import make_check, make_log, make_plan

TODAY = timezone.localdate()


@pytest.mark.parametrize("shape", ["rest", "logged", "session", "held", "streak"])
def test_the_quick_log_shows_each_state_of_the_day(alice, alice_client, shape):
    if shape == "rest":
        make_plan(alice, start_date=TODAY - timedelta(days=3))
    elif shape == "logged":
        plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
        make_log(plan, TODAY, pain_worst=4, rested=True, notes='knee <"ok">', swelling="local")
    elif shape == "session":
        plan = make_plan(alice, start_date=TODAY - timedelta(days=15))
        for n in range(14):
            make_log(plan, plan.start_date + timedelta(days=n), pain_worst=1, rested=True)
        make_check(plan, plan.start_date + timedelta(days=13))
    elif shape == "held":
        plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
        make_log(plan, TODAY - timedelta(days=1), pain_worst=2, new_symptoms=["locking"])
    else:
        plan = make_plan(alice, start_date=TODAY - timedelta(days=9))
        for n in range(9):
            make_log(plan, plan.start_date + timedelta(days=n), pain_worst=2, rested=n % 3 != 0)
    page = alice_client.get("/rehab/").content.decode()
    assert 'id="today-log"' in page
    if shape == "session":
        assert 'name="session_done"' in page and 'class="log-activities"' in page
    if shape == "logged":
        assert '<details class="quick-edit">' in page and "Logged: worst pain 4 out of 10." in page
    if shape != "held":
        # an invalid save: the errors by the fields, everything typed kept, the sections open
        bad = {"from": "today", "pain_worst": "12", "notes": "x" * 3000, "nsaid": "yes", "new_symptoms": ["nope"]}
        response = alice_client.post(f"/rehab/log/{TODAY}/", bad, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        region = response.content.decode()
        assert 'class="log-more" open' in region and 'role="alert"' in region
        # a save through htmx: today's region again, announced, the saved log folded
        saved = {"from": "today", "pain_worst": "3", "rested": "yes", "session_done": "no"}
        response = alice_client.post(f"/rehab/log/{TODAY}/", saved, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        region = response.content.decode()
        assert "data-focus-after-swap" in region and "Logged: worst pain 3 out of 10." in region


def test_the_activity_rows_show_their_entries_and_errors(db):
    from decimal import Decimal

    from rehab.buildback import Activity
    from rehab.forms import activity_formset

    entries = (Activity(kind="running", duration_min=30, distance_km=Decimal("5.2"), rpe=4),)
    bad = {
        "activities-TOTAL_FORMS": "2",
        "activities-INITIAL_FORMS": "0",
        "activities-0-kind": "running",
        "activities-0-duration_min": "abc",
        "activities-1-kind": "cycling",
        "activities-1-duration_min": "2000",
    }
    for formset in (
        activity_formset(None),
        activity_formset(None, suggested=25),
        activity_formset(None, entries=entries),
        activity_formset(bad, entries=entries),
    ):
        if formset.is_bound:
            assert not formset.is_valid()
        rows = render_to_string("rehab/partials/activities.html", {"formset": formset})
        assert rows.count('class="activity-row') == formset.total_form_count()
    assert "field-error" in rows and "errorlist" in rows


@pytest.mark.parametrize("days", [3, 16])
def test_the_log_pages_form_shows_the_days_questions_and_errors(alice, alice_client, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    for n in range(min(days - 1, 14)):
        make_log(plan, plan.start_date + timedelta(days=n), pain_worst=1, rested=True)
    if days > 14:
        make_check(plan, plan.start_date + timedelta(days=13))
    yesterday = TODAY - timedelta(days=1)
    for method, url, data in (
        ("get", f"/rehab/log/{TODAY}/", None),
        ("get", f"/rehab/log/{yesterday}/", None),
        ("post", f"/rehab/log/{TODAY}/", {"pain_worst": "11", "notes": "<b>", "activities-TOTAL_FORMS": "1",
                                          "activities-INITIAL_FORMS": "0", "activities-0-duration_min": "x"}),
    ):  # fmt: skip
        response = alice_client.post(url, data) if method == "post" else alice_client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert 'class="log-form"' in page and 'id="activities"' in page
    assert 'role="alert"' in page
