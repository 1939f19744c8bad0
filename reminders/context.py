from __future__ import annotations

from django.urls import reverse

from .services import absolute, feed_link


def calendar_context(user) -> dict:
    """The calendar links for the account settings page."""
    link = feed_link(user=user)
    url = absolute(reverse("reminders:feed", kwargs={"token": link.token}))
    return {"calendar_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
