"""Upload → worker → preview → confirm, as the person sees it, and who may see what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from imports import limits
from imports.models import ImportJob, ImportUpload
from rehab import snapshots
from rehab.models import ActivityEntry, DailyLog, PlanSnapshot
from tests.factories import make_log
from tests.imports.builders import fit_bytes, gpx_bytes, strava_row, strava_zip, tcx_bytes
from tests.imports.conftest import at, import_files, upload


def test_the_upload_page_needs_a_plan(alice_client, bob_client, plan):
    assert alice_client.get("/rehab/import/").status_code == 200
    assert bob_client.get("/rehab/import/").status_code == 404  # Bob has no plan


def test_nothing_is_saved_before_the_person_confirms_and_the_files_are_deleted_once_read(alice_client, plan):
    day = plan.start_date - timedelta(days=20)
    job = import_files(alice_client, ("run.gpx", gpx_bytes(at(day), 42, 7.5)))
    assert job.state == ImportJob.State.READY
    assert not ImportUpload.objects.exists()
    assert not ActivityEntry.objects.exists()
    html = alice_client.get(f"/rehab/import/{job.pk}/").content.decode()
    assert "What we found" in html and "Import 1 activity" in html
    assert "“running” → Running" in html
    assert ">42<" in html and ">7.5<" in html


def test_confirming_writes_each_activity_once_with_its_source_and_a_second_import_adds_nothing(alice_client, plan):
    history = plan.start_date - timedelta(days=20)
    files = [
        ("run.gpx", gpx_bytes(at(history), 42, 7.5)),
        ("ride.tcx", tcx_bytes(at(history + timedelta(days=1)), [(3600, 20_000.0)], sport="Biking")),
        ("hike.fit", fit_bytes(at(history + timedelta(days=2)), 5400.0, 9000.0, sport=17)),
    ]
    job = import_files(alice_client, *files)
    response = alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    assert response.status_code == 302
    rows = list(
        ActivityEntry.objects.order_by("date").values_list(
            "date", "kind", "duration_min", "distance_km", "source", "log"
        )
    )
    assert rows == [
        (history, "running", 42, Decimal("7.5"), "gpx", None),
        (history + timedelta(days=1), "cycling", 60, Decimal("20.0"), "tcx", None),
        (history + timedelta(days=2), "hiking", 90, Decimal("9.0"), "fit", None),
    ]
    assert all(entry.plan_id == plan.pk and entry.external_id for entry in ActivityEntry.objects.all())
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.summary["written"] == 3

    again = import_files(alice_client, *files)
    html = alice_client.get(f"/rehab/import/{again.pk}/").content.decode()
    assert html.count("Already imported") == 3 and "Import 0 activities" in html
    alice_client.post(f"/rehab/import/{again.pk}/confirm/")
    assert ActivityEntry.objects.count() == 3


def test_the_database_refuses_the_same_external_id_twice_in_a_plan(plan):
    values = {"plan": plan, "date": plan.start_date - timedelta(days=3), "started_at": timezone.now(), "source": "gpx"}
    ActivityEntry.objects.create(position=0, kind="running", duration_min=30, external_id="gpx:abc:0", **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityEntry.objects.create(position=0, kind="running", duration_min=31, external_id="gpx:abc:0", **values)


def test_duplicates_are_marked_within_the_upload_and_against_what_is_there(alice_client, plan):
    day = plan.start_date - timedelta(days=15)
    first = import_files(alice_client, ("a.gpx", gpx_bytes(at(day, 7, 0), 30, 5.0)))
    alice_client.post(f"/rehab/import/{first.pk}/confirm/")
    job = import_files(
        alice_client,
        ("same-run-other-file.gpx", gpx_bytes(at(day, 7, 1), 31, 5.1)),  # 1 min later: the same run
        ("b.gpx", gpx_bytes(at(day + timedelta(days=1), 8, 0), 40, 6.0)),
        ("b-again.tcx", tcx_bytes(at(day + timedelta(days=1), 8, 2), [(2400, 6000.0)])),  # within 2 min of b
        ("c.gpx", gpx_bytes(at(day + timedelta(days=1), 8, 3), 20, 3.0)),  # 3 min later: another run
    )
    html = alice_client.get(f"/rehab/import/{job.pk}/").content.decode()
    assert html.count("Already there: an imported activity") == 1
    assert html.count("Also in this upload") == 1
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    assert sorted(ActivityEntry.objects.values_list("duration_min", flat=True)) == [20, 30, 40]


def test_inside_the_plan_an_activity_joins_that_days_log_and_the_plan_state_counts_it(alice_client, plan):
    logged = plan.start_date + timedelta(days=3)
    not_logged = plan.start_date + timedelta(days=4)
    log = make_log(plan, logged, pain_worst=2, rested=False)
    make_log(plan, logged - timedelta(days=1), pain_worst=2)
    job = import_files(
        alice_client,
        ("a.gpx", gpx_bytes(at(logged), 25, 4.0)),
        ("b.gpx", gpx_bytes(at(not_logged), 25, 4.0)),
    )
    html = alice_client.get(f"/rehab/import/{job.pk}/").content.decode()
    assert "Yes, inside your plan" in html
    assert "log that day first" in html
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    (entry,) = ActivityEntry.objects.all()
    assert entry.log_id == log.pk and entry.date == logged and entry.position == 0
    today = timezone.localdate()
    stored = snapshots.cached(PlanSnapshot.objects.get(plan=plan), today)[0]
    assert stored is not None and stored == snapshots.replay(plan, today)
    day = next(d for d in stored.days if d.date == logged)
    assert day.logged


def test_a_run_on_a_day_logged_as_no_session_is_not_added(alice_client, plan):
    day = plan.start_date + timedelta(days=2)
    make_log(plan, day, pain_worst=1, session_done=False)
    job = import_files(alice_client, ("a.gpx", gpx_bytes(at(day), 25, 4.0)))
    assert "says you had no session" in alice_client.get(f"/rehab/import/{job.pk}/").content.decode()
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    assert not ActivityEntry.objects.exists()


def test_in_build_back_a_run_joins_a_day_only_with_its_session_pain(alice_client, plan):
    """An imported run makes a build-back day a session; the plan never scores one whose pain it
    wasn't told (it would read as a failed session and step back)."""
    from tests.browser.support import building_user

    user = building_user()
    client = type(alice_client)()
    client.force_login(user)
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    DailyLog.objects.filter(plan=user.plan, date=yesterday).update(
        session_done=True, pain_during=1, stopped_early=False
    )
    from tests.factories import stale

    stale(user.plan)
    job = import_files(
        client,
        ("today.gpx", gpx_bytes(at(today, 0, 1), 20, 3.0)),
        ("yesterday.gpx", gpx_bytes(at(yesterday), 20, 3.0)),
    )
    assert "first answer how it went on that day" in client.get(f"/rehab/import/{job.pk}/").content.decode()
    client.post(f"/rehab/import/{job.pk}/confirm/")
    assert list(user.plan.imported.values_list("date", flat=True)) == [yesterday]
    state = snapshots.state_of(user.plan, today)
    assert not any(event.rule == "E2" for event in state.events if event.date >= yesterday)


def test_a_day_with_a_typed_in_run_asks_before_importing_another(alice_client, plan):
    day = plan.start_date + timedelta(days=2)
    log = make_log(plan, day, pain_worst=1)
    ActivityEntry.objects.create(log=log, position=0, kind="running", duration_min=24)
    job = import_files(alice_client, ("a.gpx", gpx_bytes(at(day), 25, 4.0)))
    html = alice_client.get(f"/rehab/import/{job.pk}/").content.decode()
    assert "You logged this kind by hand that day" in html and 'name="include"' in html
    external_id = job.result["activities"][0]["id"]
    alice_client.post(f"/rehab/import/{job.pk}/confirm/", {"include": [external_id]})
    assert list(ActivityEntry.objects.filter(log=log).values_list("position", "source")) == [(0, ""), (1, "gpx")]


def test_the_date_is_the_persons_own(alice, alice_client, plan):
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    day = plan.start_date - timedelta(days=30)
    late = at(day, 23, 30)  # 08:30 the next morning in Tokyo
    export = strava_zip([strava_row(7, late, "Run", 1800, 5000.0, "")], {})
    job = import_files(alice_client, ("export.zip", export))
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    assert ActivityEntry.objects.get().date == day + timedelta(days=1)


def test_bad_files_get_their_own_message_on_the_page_and_the_rest_import(alice_client, plan):
    day = plan.start_date - timedelta(days=15)
    job = import_files(alice_client, ("empty.gpx", b""), ("run.gpx", gpx_bytes(at(day), 30, 5.0)))
    html = alice_client.get(f"/rehab/import/{job.pk}/").content.decode()
    assert "Files that weren" in html and "empty.gpx" in html and "The file is empty." in html
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    assert ActivityEntry.objects.count() == 1


def test_an_upload_over_the_size_limit_is_refused_with_a_message(alice_client, plan, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UPLOAD_BYTES", 50_000)
    data = gpx_bytes(at(plan.start_date - timedelta(days=5)), 60, 10.0, step_s=5)
    assert len(data) > 50_000
    response = upload(alice_client, ("big.gpx", data))
    assert response.status_code == 200
    assert "Please upload fewer at a time" in response.content.decode()
    assert "big.gpx" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_no_files_chosen_is_a_message_by_the_field(alice_client, plan):
    response = alice_client.post("/rehab/import/", {})
    assert response.status_code == 200 and "Please choose one or more files" in response.content.decode()


def test_one_import_is_read_at_a_time_per_person(alice_client, plan):
    data = gpx_bytes(at(plan.start_date - timedelta(days=5)), 30, 5.0)
    assert upload(alice_client, ("a.gpx", data)).status_code == 302
    response = upload(alice_client, ("b.gpx", data))
    assert response.status_code == 200 and "still being read" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_progress_is_polled_with_htmx_and_the_page_works_without_javascript(alice_client, plan):
    response = upload(alice_client, ("a.gpx", gpx_bytes(at(plan.start_date - timedelta(days=5)), 30, 5.0)))
    url = response["Location"]
    page = alice_client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'data-hx-trigger="load delay:1s"' in page and ">Reload</a>" in page
    part = alice_client.get(url + "?part=progress", headers={"HX-Request": "true"})
    assert part.status_code == 200 and 'id="import-progress"' in part.content.decode()
    assert "<html" not in part.content.decode()
    from imports import worker

    worker.run_once()
    done = alice_client.get(url + "?part=progress", headers={"HX-Request": "true"})
    assert done.headers.get("HX-Refresh") == "true"


def test_discarding_deletes_the_job(alice_client, plan):
    job = import_files(alice_client, ("a.gpx", gpx_bytes(at(plan.start_date - timedelta(days=5)), 30, 5.0)))
    assert alice_client.post(f"/rehab/import/{job.pk}/discard/").status_code == 302
    assert not ImportJob.objects.exists() and not ActivityEntry.objects.exists()


def test_another_person_never_sees_a_job_or_its_preview(alice_client, bob, bob_client, plan):
    from tests.factories import make_plan

    make_plan(bob)  # Bob has a plan of his own: still a 404 on Alice's job
    job = import_files(alice_client, ("a.gpx", gpx_bytes(at(plan.start_date - timedelta(days=5)), 30, 5.0)))
    for url in (f"/rehab/import/{job.pk}/", f"/rehab/import/{job.pk}/?part=progress"):
        assert bob_client.get(url).status_code == 404
    for url in (f"/rehab/import/{job.pk}/confirm/", f"/rehab/import/{job.pk}/discard/"):
        assert bob_client.post(url).status_code == 404
    assert ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.READY).exists()
    assert not ActivityEntry.objects.exists()


def test_a_second_confirm_writes_nothing_more(alice_client, plan):
    job = import_files(alice_client, ("a.gpx", gpx_bytes(at(plan.start_date - timedelta(days=5)), 30, 5.0)))
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    assert ActivityEntry.objects.count() == 1


@pytest.mark.parametrize("count", [3, 30])
def test_the_preview_page_takes_a_fixed_number_of_queries(alice_client, plan, django_assert_num_queries, count):
    start = plan.start_date - timedelta(days=40)
    files = [(f"{i}.gpx", gpx_bytes(at(start + timedelta(days=i)), 30, 5.0, step_s=60)) for i in range(count)]
    job = import_files(alice_client, *files)
    with django_assert_num_queries(6):  # session, user, job, plan, imported entries, typed entries
        response = alice_client.get(f"/rehab/import/{job.pk}/")
    assert response.status_code == 200


def test_the_log_target_and_build_pages_link_to_the_import(alice_client, plan):
    for url in (f"/rehab/log/{timezone.localdate()}/", "/rehab/target/", "/rehab/build/"):
        assert 'href="/rehab/import/"' in alice_client.get(url).content.decode(), url
    assert not DailyLog.objects.exists()


def test_the_upload_still_checks_the_csrf_token(alice, plan):
    """The view sets its size-limiting upload handler before Django reads the body, so the CSRF
    check runs inside it (csrf_protect), not in the middleware: it must still refuse."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert upload(client, ("a.gpx", gpx_bytes(at(plan.start_date - timedelta(days=5)), 30, 5.0))).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_export_and_fhir_say_where_an_imported_activity_came_from(alice_client, plan):
    """export/2 entries carry `source` (None when typed in); FHIR names the file and device."""
    from fhir.resources.R4B.bundle import Bundle

    day = plan.start_date + timedelta(days=2)
    log = make_log(plan, day, pain_worst=2, rested=False)
    ActivityEntry.objects.create(log=log, position=0, kind="cycling", duration_min=30)
    job = import_files(alice_client, ("morning.gpx", gpx_bytes(at(day), 25, 4.0)))
    alice_client.post(f"/rehab/import/{job.pk}/confirm/")
    (logged,) = [entry for entry in alice_client.get("/rehab/export.json").json()["logs"] if entry["date"] == str(day)]
    typed, imported = logged["activities"]
    assert typed["kind"] == "cycling" and typed["source"] is None
    assert imported["kind"] == "running" and imported["duration_min"] == 25
    assert imported["source"] == {"type": "gpx", "file": "morning.gpx", "device": "Builder watch"}
    bundle = alice_client.get("/rehab/export.fhir.json").json()
    Bundle.model_validate(bundle)
    observations = [e["resource"] for e in bundle["entry"] if e["resource"].get("effectiveDateTime") == day.isoformat()]
    devices = [o.get("device") for o in observations]
    assert devices.count(None) == 1 and {"display": "Builder watch (GPX file morning.gpx)"} in devices
