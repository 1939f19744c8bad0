"""Hostile input to every form: never a 500, always a clear message, never a partial write.

Hypothesis posts random and hostile values (huge strings, NUL bytes, wrong types, missing
fields, dates far in the past and future, unknown choices, repeated fields) to every form of
the project. Each example runs in its own rolled-back transaction (hypothesis' Django TestCase),
on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from urllib.parse import quote

from django.apps import apps
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from rehab.models import DailyLog, PsfsActivity
from screening import flow, rules
from screening.services import ANSWERS_KEY, DEFERRED_KEY, DONE_KEY
from tests.factories import PASSWORD, make_check, make_log, make_plan, make_screening, make_user

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))

WORDS = [
    "",
    " ",
    "-1",
    "0",
    "10",
    "11",
    "601",
    "1e9",
    "3.5",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "1900-01-01",
    "yes",
    "no",
    "unsure",
    "maybe",
    "none",
    "local",
    "whole_knee",
    "running",
    "skiing",
    "calf_swelling",
    "Europe/London",
    "Mars/Olympus",
    "on",
    "1",
    "/rehab/",
    "https://evil.example/",
    "١٢",
    "🦵",
]
HOSTILE = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=40),
    st.text(max_size=10).map(lambda s: s + "\x00" + s),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(str),
    st.just("x" * 100_000),
)
VALUE = st.one_of(HOSTILE, st.lists(HOSTILE, min_size=1, max_size=3))

#: What a WSGI server can hand over in a header: Latin-1 text (no NUL; no ";" inside a cookie).
HEADER_TEXT = st.text(alphabet=st.characters(max_codepoint=255, exclude_characters="\x00;"), max_size=60)

ERROR_MARKERS = ('class="errorlist', 'role="alert"', "Please ", "can't", "can’t")


def form_data(fields: list[str]):
    return st.dictionaries(st.sampled_from([*fields, "unexpected_field"]), VALUE, max_size=len(fields) + 1)


def row_counts() -> dict[str, int]:
    labels = [
        "accounts.User",
        "screening.Screening",
        "rehab.Plan",
        "rehab.DailyLog",
        "rehab.Check",
        "rehab.Completion",
        "rehab.ActivityEntry",
        "rehab.Target",
        "rehab.PsfsActivity",
        "rehab.PsfsScore",
    ]
    return {label: apps.get_model(label).objects.count() for label in labels}


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class FormFuzzCase(TestCase):
    """Each test posts `data` to one form and checks the three promises."""

    @classmethod
    def setUpTestData(cls) -> None:
        # The exercise library, as the migration loads it: a browser test's flush (live_server
        # runs transactional tests) empties it for every test that runs after.
        from rehab.library import load_catalogue
        from rehab.models import Exercise

        load_catalogue(Exercise)

    def post_and_check(self, client: Client, url: str, data: dict, *, success_codes=(302,)) -> None:
        before = row_counts()
        logs_before = list(DailyLog.objects.values())
        response = client.post(url, data)
        assert response.status_code < 500, (url, data, response.status_code)
        if response.status_code not in success_codes:
            html = response.content.decode(errors="replace")
            assert response.status_code in (200, 400, 404), (url, response.status_code)
            if response.status_code == 200:
                assert any(marker in html for marker in ERROR_MARKERS), f"no message for {data!r} at {url}"
            assert row_counts() == before, f"partial write for {data!r} at {url}"
            assert list(DailyLog.objects.values()) == logs_before

    def logged_in(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    # --- accounts ---------------------------------------------------------------------------

    @FUZZ
    @given(data=form_data(["username", "email", "password1", "password2", "time_zone", "health_consent", "next"]))
    def test_signup(self, data):
        self.post_and_check(Client(), "/accounts/signup/", data)

    @FUZZ
    @given(data=form_data(["username", "password", "next"]))
    def test_login(self, data):
        make_user("fuzzy")
        self.post_and_check(Client(), "/accounts/login/", data)

    @FUZZ
    @given(data=form_data(["time_zone"]))
    def test_time_zone(self, data):
        self.post_and_check(self.logged_in(make_user("fuzzy")), "/accounts/settings/", data)

    @FUZZ
    @given(data=form_data(["email_on", "remind_at", "email"]))
    def test_reminder_settings(self, data):
        self.post_and_check(self.logged_in(make_user("fuzzy")), "/reminders/", data)

    @FUZZ
    @given(data=form_data(["email_on", "remind_at", "email"]), again=st.booleans())
    def test_reminder_settings_with_a_pending_address(self, data, again):
        """A person with a confirmed and a pending address: hostile settings, perhaps twice."""
        user = make_user("fuzzy")
        user.reminders_by_email, user.reminder_email = True, "kept@example.org"
        user.reminder_email_confirmed_at = timezone.now()
        user.pending_reminder_email, user.reminder_confirm_hash = "pending@example.org", "0" * 64
        user.save()
        client = self.logged_in(user)
        for _ in range(2 if again else 1):
            self.post_and_check(client, "/reminders/", data)
        user.refresh_from_db()
        assert user.reminder_email == "kept@example.org"  # settings never move the confirmed address

    @FUZZ
    @given(token=st.one_of(st.sampled_from(WORDS), st.text(max_size=300)), data=form_data(["List-Unsubscribe"]))
    def test_token_urls(self, token, data):
        """Made-up tokens in every token URL: a 404, never a 500, nothing changed."""
        user = make_user("fuzzy")
        user.reminders_by_email = True
        user.save()
        quoted = quote(token, safe="") or "x"
        client = Client()
        for url in (f"/reminders/confirm/{quoted}/", f"/reminders/unsubscribe/{quoted}/", f"/calendar/{quoted}.ics"):
            assert client.get(url).status_code == 404, url
            assert client.post(url, data).status_code in (404, 405), url
        user.refresh_from_db()
        assert user.reminders_by_email is True

    @FUZZ
    @given(data=form_data(["report_name"]))
    def test_report_name(self, data):
        self.post_and_check(self.logged_in(make_user("fuzzy")), "/accounts/report-name/", data)

    @FUZZ
    @given(data=form_data(["password"]))
    def test_delete_account(self, data):
        data.pop("password", None) if data.get("password") == PASSWORD else None
        self.post_and_check(self.logged_in(make_user("fuzzy")), "/accounts/delete/", data)

    @FUZZ
    @given(data=form_data(["old_password", "new_password1", "new_password2"]))
    def test_password_change(self, data):
        self.post_and_check(self.logged_in(make_user("fuzzy")), "/accounts/password/change/", data)

    @FUZZ
    @given(data=form_data(["email"]))
    def test_password_reset(self, data):
        self.post_and_check(Client(), "/accounts/password/reset/", data)

    @FUZZ
    @given(data=form_data(["next"]))
    def test_sign_out_everywhere(self, data):
        from accounts.models import Session

        user = make_user("fuzzy")
        elsewhere = self.logged_in(user)
        client = self.logged_in(user)
        response = client.post("/accounts/sessions/end-others/", data)
        assert response.status_code == 302, response.status_code
        assert response["Location"] == "/accounts/settings/#sessions-heading"  # never where `next` says
        assert Session.objects.filter(user=user).count() == 1
        assert elsewhere.get("/accounts/settings/").status_code == 302

    @FUZZ
    @given(
        form=st.sampled_from(
            [
                ("/accounts/login/", ["username", "password"]),
                ("/accounts/delete/", ["password"]),
                ("/accounts/password/change/", ["old_password", "new_password1", "new_password2"]),
                ("/accounts/password/reset/", ["email"]),
            ]
        ),
        data=st.data(),
    )
    def test_the_throttled_forms_posted_again_and_again(self, form, data):
        """Hostile input six times over: each answer is a page with a message (the throttle's
        after a few), never a 500, and nothing is written but the throttle's counts."""
        url, fields = form
        user = make_user("fuzzy", email="fuzzy@example.org")
        client = Client() if url in ("/accounts/login/", "/accounts/password/reset/") else self.logged_in(user)
        posted = data.draw(form_data(fields))
        for field in fields:
            if posted.get(field) == PASSWORD:
                posted.pop(field)  # a right password would end the test early (log in, delete, change)
        before = row_counts()
        for _ in range(6):
            response = client.post(url, posted)
            assert response.status_code in (200, 302, 429), (url, posted, response.status_code)
            if response.status_code != 302:
                html = response.content.decode(errors="replace")
                assert any(marker in html for marker in ERROR_MARKERS), f"no message for {posted!r} at {url}"
            if response.status_code == 429:
                assert int(response["Retry-After"]) > 0
        assert row_counts() == before

    @FUZZ
    @given(
        peer=st.one_of(st.sampled_from(["10.0.0.1", "", "::1", "not-an-address"]), HEADER_TEXT),
        forwarded=st.one_of(
            st.sampled_from(["", ",", "1.2.3.4, 10.0.0.1", "[::1]:80", "unknown, 1.2.3.4", " , ,"]),
            HEADER_TEXT,
            st.lists(st.ip_addresses().map(str), max_size=4).map(", ".join),
        ),
        device=st.one_of(st.none(), HEADER_TEXT, st.just("x" * 5000)),
    )
    def test_hostile_client_addresses_and_device_cookies(self, peer, forwarded, device):
        """Whatever the peer, X-Forwarded-For or device cookie say, a log-in is judged, never a 500."""
        from django.test import override_settings

        make_user("fuzzy")
        client = Client(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
        if device is not None:
            client.cookies["itbcare_device"] = device
        with override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "::1"]):
            for password in ("guess", PASSWORD):
                response = client.post("/accounts/login/", {"username": "fuzzy", "password": password})
                assert response.status_code in (200, 302), response.status_code

    # --- screening --------------------------------------------------------------------------

    @FUZZ
    @given(page=st.sampled_from([*(spec.id for spec in flow.PAGE_SPECS), "check"]), data=st.data())
    def test_screening_pages(self, page, data):
        client = Client()
        ids = [spec.id for spec in flow.PAGE_SPECS]
        earlier = ids[: ids.index(page)] if page in ids else ["about", "urgent"]
        answers = {"age": 40, "activity": "running", "injury_onset": "yes", "injury_recent": "yes"}
        answers.update({qid: "no" for p in earlier for qid in flow.SPECS_BY_ID[p].question_ids if qid not in answers})
        session = client.session
        session[ANSWERS_KEY] = {k: v for k, v in answers.items() if flow.PAGE_OF[k] in earlier}
        if page == "check":  # urgent_today fixed on the first urgent page, its blanks deferred
            session[ANSWERS_KEY] = {"age": 40, "activity": "running", "cannot_bear_weight": "yes"}
            session[DEFERRED_KEY] = ["deformity", "open_wound"]
        session[DONE_KEY] = earlier
        session.save()
        client.cookies["sessionid"] = session.session_key
        fields = [q.id for q in rules.QUESTIONS if flow.PAGE_OF[q.id] == page or page == "check"] + ["none_of_these"]
        url = "/screening/" if page == "about" else f"/screening/{page}/"
        self.post_and_check(client, url, data.draw(form_data(fields)))

    # --- rehab ------------------------------------------------------------------------------

    @FUZZ
    @given(data=form_data(["start_date", "activity"]))
    def test_start_plan(self, data):
        user = make_user("fuzzy")
        make_screening(user)
        self.post_and_check(self.logged_in(user), "/rehab/start/", data)

    @FUZZ
    @given(data=form_data(["activity"]))
    def test_plan_settings(self, data):
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
        self.post_and_check(self.logged_in(user), "/rehab/plan/settings/", data)

    @FUZZ
    @given(
        data=form_data(
            [
                "pain_worst",
                "pain_morning",
                "rested",
                "cross_training_minutes",
                "session_done",
                "pain_during",
                "stopped_early",
                "swelling",
                "nsaid",
                "new_symptoms",
                "notes",
            ]
        ),
        phase=st.sampled_from(["rest", "return"]),
        offset=st.integers(min_value=-3, max_value=20),
    )
    def test_daily_log(self, data, phase, offset):
        user = make_user("fuzzy")
        today = timezone.localdate()
        plan = make_plan(user, start_date=today - timedelta(days=15))
        make_log(plan, today - timedelta(days=1), pain_worst=3, notes="kept as it was")
        if phase == "return":
            make_check(plan, plan.start_date + timedelta(days=13))
        day = today - timedelta(days=offset)
        self.post_and_check(self.logged_in(user), f"/rehab/log/{day.isoformat()}/", data)

    @FUZZ
    @given(
        data=form_data(
            [
                "pain_worst",
                "rested",
                "activities-TOTAL_FORMS",
                "activities-INITIAL_FORMS",
                *(
                    f"activities-{i}-{name}"
                    for i in (0, 1, 10)
                    for name in ("kind", "duration_min", "distance_km", "rpe")
                ),
            ]
        ),
        total=st.sampled_from(["2", "11", "-1", "x", None]),
    )
    def test_daily_log_activities(self, data, total):
        """The activity formset (load.md §1): hostile rows and management forms."""
        user = make_user("fuzzy")
        today = timezone.localdate()
        plan = make_plan(user, start_date=today - timedelta(days=5))
        make_log(plan, today - timedelta(days=1), pain_worst=3, notes="kept as it was")
        if total is not None:
            data = {"activities-TOTAL_FORMS": total, **data}
        self.post_and_check(self.logged_in(user), f"/rehab/log/{(today - timedelta(days=1)).isoformat()}/", data)

    @FUZZ
    @given(
        data=form_data(
            [
                "target_running_minutes",
                "target_running_km",
                "target_cycling_minutes",
                "target_gym_minutes",
                "target_gym_km",
                "build_days",
            ]
        )
    )
    def test_target(self, data):
        """The usual week (load.md §2)."""
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=5))
        self.post_and_check(self.logged_in(user), "/rehab/target/", data)

    @FUZZ
    @given(
        data=form_data(
            ["date", "check_new_symptoms", "check_daily_pain", "check_walk_30", "check_squat_pain", "check_hop_pain"]
        )
    )
    def test_check(self, data):
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=20))
        self.post_and_check(self.logged_in(user), "/rehab/check/", data)

    @FUZZ
    @given(data=form_data(["name_1", "name_2", "name_3"]))
    def test_psfs_names(self, data):
        """The function score's activities."""
        user = make_user("fuzzy")
        plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
        PsfsActivity.objects.create(plan=plan, position=2, name="Walk down stairs")
        self.post_and_check(self.logged_in(user), "/rehab/function/activities/", data)

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(["score_a", "score_b", "score_c", "score_x"]), VALUE, max_size=4))
    def test_psfs_rating(self, data):
        """The function score's 0–10 ratings (`score_<activity id>`)."""
        user = make_user("fuzzy")
        plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
        ids = {
            key: PsfsActivity.objects.create(plan=plan, position=n, name=f"Activity {n}").pk
            for n, key in enumerate(("score_a", "score_b", "score_c"), start=1)
        }
        ids["score_x"] = 999999  # nobody's activity
        posted = {f"score_{ids[key]}": value for key, value in data.items()}
        self.post_and_check(self.logged_in(user), "/rehab/function/", posted)

    @FUZZ
    @given(data=form_data(["done", "next"]), slug=st.sampled_from(["clamshell", "calf-stretch", "no-such"]))
    def test_exercise_toggle(self, data, slug):
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
        url = f"/rehab/done/{timezone.localdate().isoformat()}/{slug}/"
        response = self.logged_in(user).post(url, data)
        assert response.status_code in (302, 404), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith("/"), "never redirects off-site"

    @FUZZ
    @given(
        data=form_data(["pain_worst", "rested", "notes", "from", "done", "write_key", "saved_at", "sent_at"]),
        own=st.sampled_from(["account", "key", "all", "none"]),
        url=st.sampled_from(["log", "done"]),
    )
    def test_offline_replay(self, data, own, url):
        """A write sent from the offline queue (rehab/replay.py) with hostile fields: a JSON answer
        (applied, or a notice: 403/409/422), never a 500, nothing written unless applied."""
        import uuid

        from kit.offline import account_key

        user = make_user("fuzzy")
        today = timezone.localdate()
        make_plan(user, start_date=today - timedelta(days=5))
        if own in ("account", "all"):
            data["account"] = account_key(user)
        if own in ("key", "all"):
            data |= {"write_key": str(uuid.uuid4()), "saved_at": "1", "sent_at": "60000"}
        path = f"/rehab/log/{today.isoformat()}/" if url == "log" else f"/rehab/done/{today.isoformat()}/clamshell/"
        before = row_counts()
        response = self.logged_in(user).post(path, data, headers={"X-Offline-Replay": "1"})
        assert response.status_code in (200, 403, 409, 422), (data, response.status_code)
        assert response["Content-Type"] == "application/json"
        if response.status_code != 200:
            assert response.json()["outcome"] in ("other_account", "conflict", "invalid", "refused")
            assert row_counts() == before, f"partial write for {data!r}"

    @FUZZ
    @given(
        day=st.one_of(
            st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(1899, 12, 31), date(2200, 1, 1)]),
            st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
        ),
        slug=st.sampled_from(["clamshell", "no-such"]),
        data=form_data(["pain_worst", "done", "next"]),
    )
    def test_dates_in_urls(self, day, slug, data):
        """Any date in a URL, up to the calendar's ends: a page or a 404, never a 500."""
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
        client = self.logged_in(user)
        for url in (f"/rehab/log/{day.isoformat()}/", f"/rehab/done/{day.isoformat()}/{slug}/"):
            assert client.get(url).status_code in (200, 302, 404, 405), url
            self.post_and_check(client, url, data, success_codes=(302,))
        month = f"{day.year:04d}-{day.month:02d}"
        response = client.get("/rehab/timeline/", {"month": month})
        assert response.status_code == 200, (month, response.status_code)

    @FUZZ
    @given(month=VALUE)
    def test_timeline_month(self, month):
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
        response = self.logged_in(user).get("/rehab/timeline/", {"month": month})
        assert response.status_code == 200, (month, response.status_code)

    # --- imports ----------------------------------------------------------------------------

    @FUZZ
    @given(data=form_data(["files", "csrfmiddlewaretoken"]))
    def test_import_upload(self, data):
        """Text where files belong, and stray fields: a message, never a job."""
        from imports.models import ImportJob

        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=5))
        self.post_and_check(self.logged_in(user), "/rehab/import/", data)
        assert not ImportJob.objects.exists()

    @FUZZ
    @given(data=form_data(["include"]))
    def test_import_confirm(self, data):
        """Hostile "import anyway" choices write only what the preview offered."""
        from imports.models import ImportJob

        user = make_user("fuzzy")
        plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=5))
        start = timezone.now() - timedelta(days=20)
        found = {"id": "gpx:abc:0", "source": "gpx", "start": start.isoformat(), "moving_s": 1800}
        found.update(distance_m=5000.0, sport="running", kind="running", file="a.gpx", device="")
        job = ImportJob.objects.create(
            user=user, state=ImportJob.State.READY, result={"activities": [found], "problems": [], "ignored": 0}
        )
        response = self.logged_in(user).post(f"/rehab/import/{job.pk}/confirm/", data)
        assert response.status_code == 302
        assert list(plan.imported.values_list("external_id", flat=True)) == ["gpx:abc:0"]

    @FUZZ
    @given(
        data=form_data(["target_running_minutes", "target_running_km", "target_cycling_minutes", "build_days"]),
        when=VALUE,
    )
    def test_import_usual_week(self, data, when):
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=5))
        client = self.logged_in(user)
        assert client.get("/rehab/import/usual-week/", {"pain_began": when}).status_code == 200
        self.post_and_check(client, "/rehab/import/usual-week/", data)

    # --- reports ----------------------------------------------------------------------------

    @FUZZ
    @given(data=form_data(["sections", "date_from", "date_to"]))
    def test_report_options(self, data):
        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=5))
        response = self.logged_in(user).get("/rehab/report/", data)
        assert response.status_code == 200, (data, response.status_code)

    @FUZZ
    @given(data=form_data(["days", "include_notes"]))
    def test_share_link(self, data):
        from reports.models import ShareLink

        user = make_user("fuzzy")
        make_plan(user, start_date=timezone.localdate() - timedelta(days=5))
        self.post_and_check(self.logged_in(user), "/rehab/share/", data, success_codes=(200,))
        if ShareLink.objects.exists():
            assert str(ShareLink.objects.get().expires_at - ShareLink.objects.get().created_at) in (
                "1 day, 0:00:00",
                "7 days, 0:00:00",
                "30 days, 0:00:00",
            )
