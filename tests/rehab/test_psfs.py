"""The function score (PSFS) pages: naming the activities, rating them, when the score is
offered (plan start or the day after, the day-14 check, day 30, build-back's start and every 4
weeks in it, and whenever the person chooses), the words on today's page, the timeline and the
plan page, the rows read, and the queries they take."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from rehab import rows, selectors, services
from rehab.models import DailyLog, PsfsActivity, PsfsScore
from tests.factories import make_check, make_history, make_log, make_plan, stale, store_entries, warm
from tests.rehab.support import BUILD_DAYS, START, W1, W2, W3, W4, d, p_logs, p_run, weeks

URL, NAMES = "/rehab/function/", "/rehab/function/activities/"


def text_of(response) -> str:
    """The page's words: tags dropped, entities read, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body)).replace(" .", ".").replace(" :", ":")


def at(when: date):
    return time_machine.travel(datetime.combine(when, time(10), tzinfo=UTC), tick=False)


def name(plan, *names: str) -> list[PsfsActivity]:
    return services.psfs_name(plan=plan, names=dict(enumerate(names, start=1)), today=timezone_today())


def timezone_today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def rate(plan, day: date, *scores: int) -> None:
    rated = PsfsActivity.objects.filter(plan=plan, retired_on__isnull=True).order_by("position")
    services.psfs_rate(plan=plan, day=day, scores={a.id: s for a, s in zip(rated, scores, strict=True)})


def offered(client) -> bool:
    """Whether today's page offers the function score (its button)."""
    page = client.get("/rehab/").content.decode()
    return 'id="outcome-today"' in page and 'href="/rehab/function/"' in page.split('id="outcome-today"')[1]


# --- Naming and rating ----------------------------------------------------------------------------


def test_without_activities_the_score_asks_for_their_names_first(alice, alice_client):
    make_plan(alice)
    response = alice_client.get(URL)
    assert (response.status_code, response["Location"]) == (302, NAMES)
    assert "Activities your knee makes hard" in text_of(alice_client.get(NAMES))


def test_naming_then_rating_three_activities(alice, alice_client):
    plan = make_plan(alice)
    response = alice_client.post(NAMES, {"name_1": "Run 10 km", "name_2": "Walk down stairs", "name_3": "Cycle"})
    assert (response.status_code, response["Location"]) == (302, URL)
    page = alice_client.get(URL)
    assert [t for t in ("Run 10 km", "Walk down stairs", "Cycle") if t in text_of(page)] == [
        "Run 10 km",
        "Walk down stairs",
        "Cycle",
    ]
    assert "0 = unable to do it" in text_of(page) and "0 = no pain" not in text_of(page)
    ids = list(PsfsActivity.objects.filter(plan=plan).order_by("position").values_list("id", flat=True))
    response = alice_client.post(URL, {f"score_{ids[0]}": "3", f"score_{ids[1]}": "4", f"score_{ids[2]}": "4"})
    assert (response.status_code, response["Location"]) == (302, "/rehab/")
    saved = {(s.activity_id, s.date, s.score) for s in PsfsScore.objects.filter(plan=plan)}
    assert saved == {(ids[0], plan.start_date, 3), (ids[1], plan.start_date, 4), (ids[2], plan.start_date, 4)}
    # Rating today again changes today's row, it adds none.
    alice_client.post(URL, {f"score_{ids[0]}": "5", f"score_{ids[1]}": "4", f"score_{ids[2]}": "4"})
    assert PsfsScore.objects.filter(plan=plan).count() == 3
    assert PsfsScore.objects.get(activity_id=ids[0]).score == 5


def test_a_missing_rating_is_asked_for_by_its_field_and_the_others_are_kept(alice, alice_client):
    plan = make_plan(alice)
    first, second = name(plan, "Run", "Stairs")
    response = alice_client.post(URL, {f"score_{first.id}": "7", f"score_{second.id}": "11"})
    assert response.status_code == 200
    assert "Please choose a number from 0 to 10." in text_of(response)
    assert f'value="7" required id="id_score_{first.id}_7" checked' in response.content.decode()
    assert not PsfsScore.objects.exists()


def test_at_least_one_activity_must_be_named(alice, alice_client):
    make_plan(alice)
    response = alice_client.post(NAMES, {"name_1": "  ", "name_2": "", "name_3": ""})
    assert response.status_code == 200 and "Please name at least one activity" in text_of(response)
    assert not PsfsActivity.objects.exists()


def test_activities_are_kept_renamed_only_by_the_person_and_retired_with_their_scores(alice, alice_client):
    plan = make_plan(alice, start_date=timezone_today() - timedelta(days=3))
    run, stairs = name(plan, "Run 10 km", "Stairs")
    rate(plan, plan.start_date, 2, 5)
    assert 'value="Run 10 km"' in alice_client.get(NAMES).content.decode()  # kept, shown to edit
    alice_client.post(NAMES, {"name_1": "Run 10 km on the flat", "name_2": "", "name_3": "Squat"})
    run.refresh_from_db()
    stairs.refresh_from_db()
    assert (run.name, run.retired_on, stairs.retired_on) == ("Run 10 km on the flat", None, timezone_today())
    assert PsfsScore.objects.filter(activity=stairs).count() == 1  # its score stays in the history
    rated = [(a.position, a.name) for a in PsfsActivity.objects.filter(plan=plan, retired_on__isnull=True)]
    assert rated == [(1, "Run 10 km on the flat"), (3, "Squat")]
    table = text_of(alice_client.get(URL))
    assert "Stairs (no longer rated)" in table


def test_a_second_activity_in_the_same_position_is_refused_by_the_database(alice):
    plan = make_plan(alice)
    name(plan, "Run")
    with pytest.raises(IntegrityError), transaction.atomic():
        PsfsActivity.objects.create(plan=plan, position=1, name="Other")
    with pytest.raises(IntegrityError), transaction.atomic():
        PsfsScore.objects.create(plan=plan, activity=PsfsActivity.objects.get(), date=plan.start_date, score=11)


def test_no_plan_no_function_score(alice_client):
    assert alice_client.get(URL).status_code == 404
    assert alice_client.get(NAMES).status_code == 404


# --- When it is offered -----------------------------------------------------------------------


@pytest.mark.parametrize("day, moment", [(1, "Before the plan gets going"), (2, "Before the plan gets going")])
def test_offered_at_plan_start_and_the_day_after(alice, alice_client, day, moment):
    with at(d(day)):
        make_plan(alice, start_date=START)
        assert offered(alice_client)
        assert moment in text_of(alice_client.get("/rehab/"))


def test_offered_once_per_moment_then_at_the_day_14_check_and_day_30(alice, alice_client):
    with at(d(1)):
        plan = make_plan(alice, start_date=START)
        name(plan, "Run")
        rate(plan, d(1), 3)
        assert not offered(alice_client)  # rated at the start: nothing asked until the check
    for day in (2, 13):
        with at(d(day)):
            stale(plan)
            assert not offered(alice_client)
    with at(d(14)):
        stale(plan)
        assert offered(alice_client)
        assert "It's the day-14 check" in text_of(alice_client.get("/rehab/"))
        rate(plan, d(14), 4)
        assert not offered(alice_client)
    with at(d(29)):
        stale(plan)
        assert not offered(alice_client)
    with at(d(30)):
        stale(plan)
        alice_client.force_login(alice)
        assert offered(alice_client) and "It's day 30" in text_of(alice_client.get("/rehab/"))


def test_whenever_the_person_chooses(alice, alice_client):
    with at(d(5)):
        plan = make_plan(alice, start_date=START)
        name(plan, "Run")
        rate(plan, d(1), 3)
        assert not offered(alice_client)
        for page in ("/rehab/timeline/", "/rehab/plan/"):
            assert 'href="/rehab/function/"' in alice_client.get(page).content.decode()
        assert alice_client.get(URL).status_code == 200


def _build_plan(alice, today: int):
    """Base P (load.md §6) in the database up to plan day `today`: build-back from day 30."""
    plan = make_plan(alice, start_date=START)
    make_check(plan, d(14))
    services.target_save(plan=plan, rows={"running": (240, None)}, build_days=BUILD_DAYS, today=d(1), set_on=d(1))
    sessions = weeks(W1, W2, W3, W4)
    store_entries(plan, p_logs(today, sessions))
    stale(plan)
    assert p_run(today, sessions).weeks[0].start == d(30)  # the engine's own build start
    return plan


def test_offered_at_the_start_of_build_back_and_every_4_weeks_in_it(alice, alice_client):
    with at(d(31)):
        plan = _build_plan(alice, 31)
        name(plan, "Run")
        for day in (1, 14):
            rate(plan, d(day), 3)
        assert offered(alice_client)  # build-back started on day 30 (also day 30: one moment)
        assert "You are starting to build back" in text_of(alice_client.get("/rehab/"))
        rate(plan, d(31), 5)
        assert not offered(alice_client)
    with at(d(57)):
        stale(plan)
        alice_client.force_login(alice)  # the session of day 31 has run out
        assert not offered(alice_client)
    with at(d(58)):
        stale(plan)
        alice_client.force_login(alice)
        assert offered(alice_client)  # 4 weeks after build-back's first day
        assert "Four more weeks of building back" in text_of(alice_client.get("/rehab/"))


# --- The words -------------------------------------------------------------------------------


def _pain_weeks(plan, first: list[int], last: list[int], today: date) -> None:
    for n, pain in enumerate(first):
        make_log(plan, plan.start_date + timedelta(days=n), pain_worst=pain, rested=True)
    for n, pain in enumerate(last):
        make_log(plan, today - timedelta(days=n), pain_worst=pain)


def test_today_says_a_real_function_change_and_a_clinically_important_pain_drop(alice, alice_client):
    with at(d(20)):
        plan = make_plan(alice, start_date=START)
        run, stairs, cycle = name(plan, "Run", "Stairs", "Cycle")
        rate(plan, d(1), 3, 4, 4)
        rate(plan, d(14), 6, 6, 7)
        _pain_weeks(plan, [5, 5, 6, 5, 5, 5, 5], [2, 2, 2, 2], d(20))
        page = text_of(alice_client.get("/rehab/"))
        assert "Your function score went from 3.7 to 6.3: a real improvement" in page
        assert "Your worst pain averaged 5.1 in week 1 and 2.0 in the last 7 days: a clinically important drop" in page
        timeline = text_of(alice_client.get("/rehab/timeline/"))
        trend = (
            "Worst pain down from 5.1 in week 1 to 2.0 in the last 7 days; 7 of 11 rest days kept; function 3.7 → 6.3."
        )
        assert trend in timeline
        assert "Rest kept on 7 of 11 logged rest days." in timeline  # the same state as the timeline's own line
        assert trend in text_of(alice_client.get("/rehab/plan/"))


def test_within_noise_says_no_clear_change_and_today_stays_quiet(alice, alice_client):
    with at(d(20)):
        plan = make_plan(alice, start_date=START)
        name(plan, "Run")
        rate(plan, d(1), 4)
        rate(plan, d(14), 5)
        _pain_weeks(plan, [4, 4, 4], [3, 3, 3], d(20))
        assert 'id="outcome-today"' not in alice_client.get("/rehab/").content.decode()
        timeline = text_of(alice_client.get("/rehab/timeline/"))
        assert "Your function score went from 4.0 to 5.0: no clear change yet" in timeline
        assert "Your worst pain averaged 4.0 in week 1 and 3.0 in the last 7 days: no clear change yet" in timeline


def test_never_a_pain_change_from_fewer_than_3_logged_days(alice, alice_client):
    with at(d(20)):
        plan = make_plan(alice, start_date=START)
        _pain_weeks(plan, [8, 8, 8], [1, 1], d(20))
        today = text_of(alice_client.get("/rehab/"))
        assert "worst pain averaged" not in today and "clinically important" not in today
        # Never rated: the day-14 offer asks for a first rating, not "again".
        assert "Rate how well you can do the activities your knee makes hard" in today and "again" not in today
        timeline = text_of(alice_client.get("/rehab/timeline/"))
        assert "Not enough logged days to compare your pain yet" in timeline
        assert "clinically important" not in timeline and "Worst pain down" not in timeline


def test_a_rating_given_today_is_explained_on_todays_page(alice, alice_client):
    with at(d(3)):
        plan = make_plan(alice, start_date=START)
        name(plan, "Run", "Stairs")
        rate(plan, d(3), 3, 6)
        assert "Your function score is 4.5 out of 10" in text_of(alice_client.get("/rehab/"))


# --- Rows and queries --------------------------------------------------------------------------


def test_the_rows_read_equal_the_orm(alice):
    plan = make_plan(alice, start_date=date(2026, 1, 1))
    name(plan, "Run", "Stairs")
    rate(plan, date(2026, 1, 1), 1, 2)
    services.psfs_name(plan=plan, names={1: "Run far", 2: "", 3: "Hop"}, today=date(2026, 1, 10))
    rate(plan, date(2026, 1, 14), 4, 9)
    for n in range(40):
        make_log(plan, date(2026, 1, 1) + timedelta(days=n), pain_worst=n % 11)
    spans = ((date(2026, 1, 1), date(2026, 1, 7)), (date(2026, 2, 3), date(2026, 2, 9)))
    found = rows.read(plan.pk, pain=spans, psfs=True)
    expected_pain = {
        log.date: log.pain_worst
        for log in DailyLog.objects.filter(plan=plan)
        if any(first <= log.date <= last for first, last in spans)
    }
    assert found.pain == expected_pain and len(found.pain) == 14
    activities = PsfsActivity.objects.filter(plan=plan).order_by("position", "id")
    assert [(a.id, a.position, a.name, a.retired_on) for a in found.psfs.activities] == [
        (a.id, a.position, a.name, a.retired_on) for a in activities
    ]
    expected_scores: dict = {}
    for score in PsfsScore.objects.filter(plan=plan).order_by("date"):
        expected_scores.setdefault(score.date, {})[score.activity_id] = score.score
    assert found.psfs.scores == expected_scores
    assert [a.name for a in found.psfs.rated] == ["Run far", "Hop"]


PSFS_GET_QUERIES = 4  # session, user, the plan with its stored state, the function score and pain rows


@pytest.mark.parametrize("days", [7, 365])
def test_the_function_pages_take_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    today = timezone_today()
    plan = make_plan(alice, start_date=today - timedelta(days=days - 1))
    make_history(plan, days)
    name(plan, "Run", "Stairs", "Cycle")
    for n in range(0, days, 28):
        rate(plan, plan.start_date + timedelta(days=n), 3, 4, 5)
    warm(plan)
    with django_assert_num_queries(PSFS_GET_QUERIES):
        assert alice_client.get(URL).status_code == 200
    with django_assert_num_queries(PSFS_GET_QUERIES):
        assert alice_client.get(NAMES).status_code == 200
    assert selectors.outcome_page(alice).psfs.rated
