"""Shared by the browser tests."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page

from tests.factories import make_check, make_log, make_plan, make_user, store_entries


def sign_in(page: Page, live_server, user) -> None:
    """Give the browser a session for `user` (the log-in form has its own browser test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def building_user():
    """load.md's B02m shifted to end today: build-back week 3, 25 of 73 minutes done."""
    from dataclasses import replace as dc_replace
    from datetime import timedelta

    from django.utils import timezone

    from rehab import services
    from rehab.buildback import WEEKDAYS
    from tests.factories import make_check, make_plan, make_user
    from tests.rehab.support import START, W1, W2, p_logs, weeks

    user = make_user("bea")
    start = timezone.localdate() - timedelta(days=45)
    plan = make_plan(user, start_date=start)
    shift = start - START
    make_check(plan, start + timedelta(days=13))
    days = [WEEKDAYS[(start + timedelta(days=n - 1)).weekday()] for n in (30, 32, 34)]
    services.target_save(
        plan=plan, rows={"running": (80, None), "cycling": (60, None)}, build_days=days, today=start, set_on=start
    )
    store_entries(
        plan, [dc_replace(entry, date=entry.date + shift) for entry in p_logs(46, weeks(W1, W2, {44: 25}))], rpe=3
    )
    return user


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def rest_plan(name: str):
    user = make_user(name)
    plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=4))
    return user, plan


def session_plan(name: str):
    """Day 16: the check passed on day 14, level 1 passed then: today is a session at level 2."""
    user = make_user(name)
    today = timezone.localdate()
    plan = make_plan(user, start_date=today - timedelta(days=15))
    make_check(plan, today - timedelta(days=2))
    make_log(plan, today - timedelta(days=2), session_done=True, pain_during=1, stopped_early=False)
    return user, plan
