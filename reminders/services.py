from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import transaction

from .models import CalendarFeed, new_token

DEFAULT_REMIND_AT = time(20, 0)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def feed_link(*, user) -> CalendarFeed:
    link, _created = CalendarFeed.objects.get_or_create(user=user)
    return link


@transaction.atomic
def new_feed_link(*, user) -> CalendarFeed:
    link, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        link.token = new_token()
        link.save(update_fields=["token", "created_at"])
    return link
