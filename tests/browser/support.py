"""Shared by the browser tests."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page


def sign_in(page: Page, live_server, user) -> None:
    """Give the browser a session for `user` (the log-in form has its own browser test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
