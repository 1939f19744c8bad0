"""One log per plan and date, even under concurrent saves; the database itself keeps the rules
(plan.md, "Daily log": "One log per plan per date (a database constraint)")."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from rehab import services
from rehab.models import DailyLog
from tests.factories import make_log, make_plan, make_user

ROUNDS = 8


def in_thread(work):
    """Run `work` in a new thread (with its own database connection) and return its result."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised in the test thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


@pytest.fixture
def threads_database(transactional_db, tmp_path):
    """A database that threads can write to concurrently.

    PostgreSQL: the test database itself. SQLite: pytest-django's test database is a shared-cache
    in-memory one, where a second writer fails at once with "database table is locked" instead of
    waiting (the busy timeout does not apply to shared-cache locks). So the migrated test database
    is copied to a file, and threads opened from now on use it, with the project's own SQLite
    options (WAL, BEGIN IMMEDIATE, a 20 s busy timeout), as in production. Everything that touches
    it must then run in a thread (`in_thread`): this thread's connection stays on the in-memory one.
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "threads.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)
    try:
        assert in_thread(_database_file) == str(path), "threads now open the file database"
        yield
    finally:
        connection.settings_dict["NAME"] = original


def _database_file() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return cursor.fetchone()[2]


def race(plan, day, payloads: list[dict]) -> list[BaseException]:
    """Run `log_save` for `day` once per payload, in threads released together by a barrier."""
    barrier = threading.Barrier(len(payloads))
    errors: list[BaseException] = []

    def save(data: dict) -> None:
        try:
            barrier.wait(timeout=10)
            services.log_save(plan=plan, day=day, data=data)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return errors


def test_two_concurrent_saves_of_the_same_date_end_in_exactly_one_row(threads_database):
    plan = in_thread(
        lambda: make_plan(make_user("alice"), start_date=timezone.localdate() - timedelta(days=ROUNDS + 1))
    )
    for round_ in range(ROUNDS):
        day = plan.start_date + timedelta(days=round_)
        first = {"pain_worst": 3, "rested": True, "notes": "first"}
        second = {"pain_worst": 7, "rested": False, "notes": "second"}
        errors = race(plan, day, [first, second])
        assert errors == [], f"round {round_}: a save failed: {errors!r}"
        rows = in_thread(
            lambda day=day: list(
                DailyLog.objects.filter(plan=plan, date=day).values_list("pain_worst", "rested", "notes")
            )
        )
        assert len(rows) == 1, f"round {round_}: {rows}"
        assert rows[0] in {(3, True, "first"), (7, False, "second")}, "one save wins whole, not a mix of both"
    assert in_thread(lambda: DailyLog.objects.filter(plan=plan).count()) == ROUNDS


@pytest.mark.django_db
def test_the_database_refuses_a_second_log_for_the_same_plan_and_date():
    plan = make_plan(make_user("alice"))
    make_log(plan, plan.start_date)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyLog.objects.create(plan=plan, date=plan.start_date, pain_worst=5)
    assert DailyLog.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db
def test_the_same_date_on_two_plans_is_fine():
    first = make_plan(make_user("alice"))
    second = make_plan(make_user("bob"), start_date=first.start_date)
    make_log(first, first.start_date)
    make_log(second, first.start_date)
    assert DailyLog.objects.filter(date=first.start_date).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["pain_worst", "pain_morning", "pain_during"])
def test_the_database_refuses_a_pain_of_11(field):
    plan = make_plan(make_user("alice"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyLog.objects.create(plan=plan, date=plan.start_date, **{"pain_worst": 2, field: 11})
    assert not DailyLog.objects.exists()


@pytest.mark.django_db
def test_the_database_accepts_a_pain_of_10():
    plan = make_plan(make_user("alice"))
    DailyLog.objects.create(plan=plan, date=plan.start_date, pain_worst=10, pain_morning=10, pain_during=10)
    assert DailyLog.objects.get().pain_worst == 10


@pytest.mark.django_db
def test_the_database_refuses_more_than_600_minutes_of_cross_training_and_an_unknown_swelling():
    plan = make_plan(make_user("alice"))
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyLog.objects.create(plan=plan, date=plan.start_date, pain_worst=2, cross_training_minutes=601)
    with pytest.raises(IntegrityError), transaction.atomic():
        DailyLog.objects.create(plan=plan, date=plan.start_date, pain_worst=2, swelling="huge")
    assert not DailyLog.objects.exists()
