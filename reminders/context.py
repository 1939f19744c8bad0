from __future__ import annotations

from django.urls import reverse

from .services import absolute, feed_link


def calendar_context(user) -> dict:
    """The calendar links for the account settings page."""
    link = feed_link(user=user)
    url = absolute(reverse("reminders:feed", kwargs={"token": link.token}))
    return {"calendar_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def next_reminder(prefs, *, logged_today: bool) -> dict:
    """For today's page: when the next email reminder is due (None when email reminders are off).
    `prefs`: the person's reminder settings (`rehab.selectors.plan_reminders`, read with the plan)."""
    if prefs is None or not prefs.email_on or prefs.confirmed_at is None:
        return {"next_reminder": None}
    return {"next_reminder": {"at": prefs.remind_at, "today": not logged_today}}
