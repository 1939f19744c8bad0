"""Writes sent from a phone's offline queue (rehab/replay.py, services.log_replay/tick_replay):
applied at most once by their key, a repeat told what the first was told, and never written over
a later entry of the same day from another device (the conflict rule)."""

from __future__ import annotations

import io
import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client

from accounts.models import User
from kit.offline import account_key
from rehab import services
from rehab.models import Completion, DailyLog, WriteKey
from tests.factories import make_log, make_plan, make_user
from tests.rehab.support import NOW, TODAY

URL = f"/rehab/log/{TODAY.isoformat()}/"
REPLAY = {"X-Offline-Replay": "1"}
MINUTE_MS = 60_000


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(alice, clock):
    return make_plan(alice, start_date=TODAY - timedelta(days=3))  # day 4: rest


def queued(key=None, *, waited_min: int = 10, phone_clock_ahead_min: int = 0, user="alice", **answers) -> dict:
    """A quick log as the offline queue sends it: saved `waited_min` minutes ago on the phone."""
    sent = int(NOW.timestamp() * 1000) + phone_clock_ahead_min * MINUTE_MS
    fields = {"from": "today", "pain_worst": "3", "rested": "yes", **answers}
    own = {"write_key": str(key or uuid.uuid4()), "saved_at": sent - waited_min * MINUTE_MS, "sent_at": sent}
    return {**fields, **own, "account": account_key(User.objects.get(username=user))}


def send(client: Client, data: dict, url: str = URL):
    return client.post(url, data, headers=REPLAY)


def the_log(plan) -> DailyLog:
    return DailyLog.objects.get(plan=plan, date=TODAY)


# --- Exactly once ---------------------------------------------------------------------------------


def test_a_queued_log_is_applied_and_dated_when_it_was_saved_on_the_phone(alice_client, plan):
    response = send(alice_client, queued(waited_min=25, notes="on the train"))
    assert response.status_code == 200
    assert response.json() == {"outcome": "applied", "day": TODAY.isoformat()}
    log = the_log(plan)
    assert (log.pain_worst, log.rested, log.notes) == (3, True, "on the train")
    assert log.entered_at == NOW - timedelta(minutes=25)


def test_a_repeat_is_told_what_the_first_was_told_and_changes_nothing(alice_client, plan):
    data = queued(pain_worst="3")
    first = send(alice_client, data)
    # Then the person changes the day online; the phone sends the same write again (lost answer).
    alice_client.post(URL, {"pain_worst": "5", "rested": "no"})
    assert the_log(plan).pain_worst == 5
    again = send(alice_client, data)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert the_log(plan).pain_worst == 5, "the repeat was not applied a second time"
    assert WriteKey.objects.filter(plan=plan).count() == 1


def test_the_key_is_unique_per_plan_in_the_database(plan):
    key = uuid.uuid4()
    WriteKey.objects.create(plan=plan, key=key, date=TODAY, outcome="applied")
    with pytest.raises(IntegrityError), transaction.atomic():
        WriteKey.objects.create(plan=plan, key=key, date=TODAY, outcome="applied")


def test_a_queued_tick_is_applied_once(alice_client, plan):
    url = f"/rehab/done/{TODAY.isoformat()}/clamshell/"
    data = {
        "done": "1",
        "next": "/rehab/",
        **{k: v for k, v in queued().items() if k in ("write_key", "saved_at", "sent_at", "account")},
    }
    first = send(alice_client, data, url)
    assert (first.status_code, first.json()["outcome"]) == (200, "applied")
    assert Completion.objects.filter(plan=plan, date=TODAY, exercise_id="clamshell").exists()
    alice_client.post(url, {"done": "0"})  # unticked online afterwards
    again = send(alice_client, data, url)
    assert again.json() == first.json()
    assert not Completion.objects.filter(plan=plan, date=TODAY, exercise_id="clamshell").exists()


def test_another_persons_write_with_the_same_key_is_their_own(alice_client, plan, alice):
    bob = make_user("bob")
    bob_plan = make_plan(bob, start_date=TODAY - timedelta(days=3))
    bob_client = Client()
    bob_client.force_login(bob)
    key = uuid.uuid4()
    assert send(alice_client, queued(key, pain_worst="2")).status_code == 200
    assert send(bob_client, queued(key, pain_worst="7", user="bob")).status_code == 200
    assert (the_log(plan).pain_worst, the_log(bob_plan).pain_worst) == (2, 7)


# --- The conflict rule ----------------------------------------------------------------------------


def test_a_day_changed_on_another_device_after_the_entry_was_made_is_kept(alice_client, plan):
    make_log(plan, TODAY, pain_worst=6, rested=False, entered_at=NOW - timedelta(minutes=5))
    data = queued(waited_min=10, pain_worst="2", notes="offline")
    response = send(alice_client, data)
    assert response.status_code == 409
    body = response.json()
    assert body["outcome"] == "conflict"
    assert "This day was changed on another device at 09:55; your offline entry was not applied." in body["html"]
    assert "2 out of 10" in body["html"] and "6 out of 10" in body["html"], "both entries shown"
    log = the_log(plan)
    assert (log.pain_worst, log.rested, log.notes) == (6, False, ""), "the server's entry is kept"
    # The notice's form applies the offline entry as the person saved it.
    assert f'action="{URL}"' in body["html"] and 'name="notes" value="offline"' in body["html"]
    fields = dict(body["fields"])
    alice_client.post(URL, fields)
    assert (the_log(plan).pain_worst, the_log(plan).notes) == (2, "offline")


def test_the_conflict_time_is_in_the_persons_time_zone(db, clock):
    alice = make_user("alice", time_zone="Australia/Sydney")  # 10:00 UTC is 21:00 there (UTC+11)
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=6, entered_at=NOW - timedelta(minutes=5))
    client = Client()
    client.force_login(alice)
    body = send(client, queued(waited_min=10)).json()
    assert "This day was changed on another device at 20:55;" in body["html"]


def test_an_entry_made_after_the_servers_is_applied(alice_client, plan):
    make_log(plan, TODAY, pain_worst=6, entered_at=NOW - timedelta(hours=1))
    assert send(alice_client, queued(waited_min=10, pain_worst="2")).status_code == 200
    assert the_log(plan).pain_worst == 2


def test_a_log_saved_before_entered_at_existed_is_judged_by_its_last_change(alice_client, plan):
    make_log(plan, TODAY, pain_worst=6)
    DailyLog.objects.filter(plan=plan).update(entered_at=None, updated_at=NOW - timedelta(minutes=2))
    assert send(alice_client, queued(waited_min=10)).status_code == 409


def test_two_entries_queued_on_one_phone_for_one_day_both_apply_in_order(alice_client, plan):
    assert send(alice_client, queued(waited_min=20, pain_worst="4")).status_code == 200
    assert send(alice_client, queued(waited_min=10, pain_worst="3")).status_code == 200
    assert the_log(plan).pain_worst == 3


def test_a_phone_whose_clock_is_wrong_still_dates_its_entry_right(alice_client, plan):
    """The phone's clock is 2 hours ahead: its entry made 10 minutes ago says 11:50 on the phone.
    Another device saved the day 5 minutes ago, after it: that one is kept."""
    make_log(plan, TODAY, pain_worst=6, entered_at=NOW - timedelta(minutes=5))
    assert send(alice_client, queued(waited_min=10, phone_clock_ahead_min=120)).status_code == 409
    assert the_log(plan).pain_worst == 6


def test_an_online_save_dates_the_log_now(alice_client, plan):
    alice_client.post(URL, {"pain_worst": "4", "rested": "yes"})
    assert the_log(plan).entered_at == NOW


# --- Nothing lost: what can't be applied comes back as a notice ---------------------------------------


def test_answers_that_no_longer_pass_the_form_come_back_with_their_values(alice_client, plan):
    response = send(alice_client, queued(pain_worst="11", notes="kept"))
    assert response.status_code == 422
    body = response.json()
    assert body["outcome"] == "invalid"
    assert 'name="notes" value="kept"' in body["html"] and "Open it on the log page" in body["html"]
    assert not DailyLog.objects.filter(plan=plan).exists()
    assert not WriteKey.objects.exists()


@pytest.mark.parametrize("broken", [{"write_key": "not-a-uuid"}, {"saved_at": "soon"}, {"sent_at": ""}])
def test_a_malformed_queue_field_is_refused_with_a_notice(alice_client, plan, broken):
    response = send(alice_client, {**queued(), **broken})
    assert response.status_code == 422
    assert response.json()["outcome"] == "refused"
    assert not DailyLog.objects.filter(plan=plan).exists()


def test_a_day_before_the_plan_is_refused_with_a_notice(alice_client, plan):
    day = plan.start_date - timedelta(days=1)
    response = send(alice_client, queued(), f"/rehab/log/{day.isoformat()}/")
    assert (response.status_code, response.json()["outcome"]) == (422, "refused")
    assert "can't log a day before it" in response.json()["message"]


def test_an_entry_saved_for_another_person_is_refused_and_stays_on_the_phone(alice_client, plan):
    make_plan(make_user("bob"), start_date=TODAY - timedelta(days=3))
    response = send(alice_client, queued(user="bob"))
    assert (response.status_code, response.json()) == (403, {"outcome": "other_account"})
    assert not DailyLog.objects.exists() and not WriteKey.objects.exists()


def test_a_replay_needs_a_session(client, plan):
    response = send(client, queued())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Two sendings at the same moment (PostgreSQL: the unique constraint settles it) -----------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_two_concurrent_sendings_of_one_write_apply_it_once():
    alice = make_user("alice")
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    rounds, answers, errors = 6, [], []
    for n in range(rounds):
        write = services.OfflineWrite(key=uuid.uuid4(), made_at=NOW, fields=(("pain_worst", str(n)),))
        barrier = threading.Barrier(2)

        def send_once(write=write, barrier=barrier, n=n):
            try:
                barrier.wait()
                data = {"pain_worst": n, "rested": True, "new_symptoms": [], "notes": ""}
                answers.append((n, services.log_replay(plan=plan, day=TODAY, data=data, write=write).answer))
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=send_once) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors, errors
    assert WriteKey.objects.filter(plan=plan).count() == rounds
    for n in range(rounds):
        told = [answer for m, answer in answers if m == n]
        assert len(told) == 2 and told[0] == told[1], "both sendings told the same"
    assert DailyLog.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL")
def test_a_sending_that_waits_on_the_key_does_not_write_after_a_later_change():
    """The first sending holds its key's row (transaction still open) while a second sending of
    the same key waits on the unique index; the first commits, the person then changes the day
    online; the waiting one must fail on the key and write nothing."""
    alice = make_user("alice")
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    key = uuid.uuid4()
    first_claimed, let_go, result = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                WriteKey.objects.create(
                    plan=plan, key=key, date=TODAY, outcome="applied", answer={"outcome": "applied"}
                )
                first_claimed.set()
                let_go.wait(5)
        finally:
            connection.close()

    def second():
        try:
            first_claimed.wait(5)
            write = services.OfflineWrite(key=key, made_at=NOW)
            data = {"pain_worst": 9, "rested": True, "new_symptoms": [], "notes": ""}
            result["answer"] = services.log_replay(plan=plan, day=TODAY, data=data, write=write).answer
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_claimed.wait(5)
    let_go.set()
    for thread in threads:
        thread.join()
    assert result["answer"] == {"outcome": "applied"}, "told what the first was told"
    assert not DailyLog.objects.filter(plan=plan).exists(), "the second sending wrote nothing"


def test_keys_older_than_a_month_are_purged(alice_client, plan):
    send(alice_client, queued())
    send(alice_client, queued())
    old = WriteKey.objects.order_by("pk").first()
    WriteKey.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(days=services.WRITE_KEY_DAYS + 1))
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "rehab: deleted 1 offline write keys." in out.getvalue()
    assert WriteKey.objects.count() == 1 and not WriteKey.objects.filter(pk=old.pk).exists()
