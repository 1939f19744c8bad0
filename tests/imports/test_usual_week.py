"""The usual week from imported history, against a hand computation, and its page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from imports.usual import Entry, usual_week
from rehab.models import ActivityEntry, Target
from tests.factories import make_plan, make_screening
from tests.imports.conftest import at

P = date(2026, 10, 1)


def d(days_before: int) -> date:
    return P - timedelta(days=days_before)


#: (days before the pain, kind, minutes, km). Weeks before P: W1 = P−7..P−1 … W6 = P−42..P−36.
HISTORY = [
    (42, "running", 40, "8"),
    (40, "running", 40, "8"),
    (38, "running", 40, "8"),  # W6: 120 min running
    (35, "running", 50, "10"),
    (33, "running", 50, "10"),
    (31, "running", 50, "10"),
    (30, "cycling", 60, "20"),  # W5: 150 running, 60 cycling
    # W4 (P−28..P−22): a rest week, nothing
    (21, "running", 50, "10"),
    (19, "running", 60, "12"),
    (17, "running", 70, "14"),  # W3: 180
    (14, "running", 60, "12"),
    (12, "running", 70, "14"),
    (10, "running", 70, "14"),
    (9, "cycling", 45, "15"),  # W2: 200 running, 45 cycling
    (7, "running", 80, "16"),  # 80 > 1.1 × 70 (the longest in P−37..P−8): a spike
    (5, "running", 40, "8"),
    (3, "running", 40, "8"),  # W1: 160
    (2, "walking", 100, "7"),  # walking is not knee-bending
    (0, "running", 90, "15"),  # the day the pain began: not before it
]


def entries():
    return [Entry(day=d(n), kind=kind, minutes=m, km=Decimal(km)) for n, kind, m, km in HISTORY]


def test_the_usual_week_matches_a_hand_computation():
    usual = usual_week(entries(), pain_began=P, activity="running")
    # The history starts on P−42, so 6 whole weeks are covered (W7 would start on P−49).
    assert [w.start for w in usual.weeks] == [d(7 * i) for i in range(6, 0, -1)]
    assert [w.minutes.get("running", 0) for w in usual.weeks] == [120, 150, 0, 180, 200, 160]
    assert [w.knee_minutes for w in usual.weeks] == [120, 210, 0, 180, 245, 160]
    # running: 810 / 6 = 135; cycling 105 / 6 = 17.5, rounded half up to 18
    assert usual.minutes == {"running": 135, "cycling": 18}
    # km: running 162 / 6 = 27.0; cycling 35 / 6 = 5.83 → 5.8
    assert usual.km == {"running": Decimal("27.0"), "cycling": Decimal("5.8")}
    assert usual.enough


def test_a_spike_is_found_only_where_the_history_reaches_30_days_back():
    usual = usual_week(entries(), pain_began=P, activity="running")
    # P−19 (60 after a longest of 50) would be one too, but the history doesn't reach P−49.
    assert [(s.day, s.minutes, s.longest, s.after_break) for s in usual.spikes] == [(d(7), 80, 70, False)]


def test_fewer_than_four_weeks_is_not_enough():
    recent = [e for e in entries() if e.day >= d(21)]
    usual = usual_week(recent, pain_began=P, activity="running")
    assert len(usual.weeks) == 3 and not usual.enough


def test_the_first_run_after_a_month_off_is_a_spike_against_level_8():
    history = [Entry(d(60), "cycling", 30), Entry(d(10), "running", 30)]  # 30 > 1.1 × 20 (level 8)
    (spike,) = usual_week(history, pain_began=P, activity="running").spikes
    assert (spike.day, spike.longest, spike.after_break) == (d(10), 20, True)


# --- The page -------------------------------------------------------------------------------


def _alice_with_history(alice):
    start = timezone.localdate() - timedelta(days=5)
    screen = make_screening(alice, taken_at=at(start, 9))
    plan = make_plan(alice, start_date=start, screening=screen)
    pain = start  # the first knee check was on the plan's first day
    for n, (days, kind, minutes, km) in enumerate(HISTORY):
        day = pain - timedelta(days=days)
        if day >= start:
            continue
        ActivityEntry.objects.create(
            plan=plan,
            date=day,
            started_at=at(day),
            position=0,
            kind=kind,
            duration_min=minutes,
            distance_km=Decimal(km),
            source="strava",
            external_id=f"strava:{n}",
        )
    return plan


def test_the_page_offers_the_usual_week_and_points_out_the_spike(alice, alice_client):
    _alice_with_history(alice)
    html = alice_client.get("/rehab/import/usual-week/").content.decode()
    assert "Your usual week: running 135 min, 27.0 km." in " ".join(html.split())
    assert 'name="target_running_minutes" value="135"' in html
    assert 'name="target_running_km" value="27.0"' in html
    assert 'name="target_cycling_minutes"' in html and 'name="target_cycling_minutes" value' not in html  # 18 < 20
    assert "your run lasted 80 minutes: more than 10% longer than your longest in the 30 days before (70" in html
    assert "something you did wrong" in html
    assert html.count("<tr><td>") == 6  # the six weeks as table rows


def test_saving_the_offer_sets_the_build_back_goal(alice, alice_client):
    plan = _alice_with_history(alice)
    data = {"target_running_minutes": "140", "target_running_km": "27.0", "build_days": ["tue", "thu", "sat"]}
    response = alice_client.post("/rehab/import/usual-week/", data)
    assert response.status_code == 302 and response["Location"] == "/rehab/build/"
    target = Target.objects.get(plan=plan)
    assert (target.activity, target.minutes, target.km, target.set_on) == (
        "running",
        140,
        Decimal("27.0"),
        timezone.localdate(),
    )


def test_the_pain_start_can_be_moved(alice, alice_client):
    plan = _alice_with_history(alice)
    later = plan.start_date - timedelta(days=7)
    html = alice_client.get(f"/rehab/import/usual-week/?pain_began={later.isoformat()}").content.decode()
    assert html.count("<tr><td>") == 5  # one week fewer between the first activity and the new day
    bad = alice_client.get("/rehab/import/usual-week/?pain_began=2999-01-01").content.decode()
    assert "on or before your plan started" in bad
