from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rehab.selectors import plan_page

from . import services
from .calendar import build_feed
from .models import CalendarFeed, ReminderSettings


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed: reachable only through its token (a wrong one is a 404)."""
    if len(token) > 64:
        raise Http404
    link = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    user = link.user
    zone = user.time_zone or "UTC"
    now = timezone.now()
    today = now.astimezone(ZoneInfo(zone)).date()
    remind = ReminderSettings.objects.filter(user=user).values_list("remind_at", flat=True).first()
    body = build_feed(
        plan_page(user, today=today),
        zone=zone,
        remind_at=remind or services.DEFAULT_REMIND_AT,
        now=now,
        today_url=services.absolute(reverse("rehab:today")),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    response["Content-Disposition"] = 'inline; filename="itbcare.ics"'
    return response


@login_required
@require_POST
def new_feed_link(request: HttpRequest) -> HttpResponse:
    """Make a new calendar link; the old one answers 404 from now on."""
    services.new_feed_link(user=request.user)
    return redirect(reverse("accounts:settings") + "#calendar-heading")
