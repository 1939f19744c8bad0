"""Fixtures every browser test may use."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.support import PHONE


@pytest.fixture
def phone(browser: Browser, live_server):
    contexts: list[BrowserContext] = []

    def make(user=None, *, javascript: bool = True, locale: str | None = None) -> Page:
        """A 390 px phone's page, signed in as `user` (None: signed out), in `locale` if given."""
        options = {**PHONE, "java_script_enabled": javascript} | ({"locale": locale} if locale else {})
        context = browser.new_context(**options)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(8000)
        return page

    yield make
    for context in contexts:
        context.close()
