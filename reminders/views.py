from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import throttle
from rehab import selectors

from . import services
from .calendar import build_feed
from .forms import ReminderSettingsForm


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The private calendar feed: reachable only through its token (a wrong one is a 404)."""
    link = services.open_feed(token)
    if link is None:
        raise Http404
    user = link.user
    zone = user.time_zone or "UTC"
    now = timezone.now()
    today = now.astimezone(ZoneInfo(zone)).date()
    # The person's dates, as their pages read them, and their account language (no browser asks).
    with timezone.override(ZoneInfo(zone)), translation.override(user.mail_language):
        page = selectors.plan_page(user, today)
        body = build_feed(
            page,
            zone=zone,
            remind_at=user.remind_at,
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
    """Make a new calendar link (the old one answers 404 from now on) and show it, this once:
    only its hash is kept."""
    token = services.new_feed_link(user=request.user)
    url = services.absolute(reverse("reminders:feed", kwargs={"token": token}))
    context = {"calendar_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}
    return render(request, "reminders/calendar_new.html", context)


@login_required
@require_POST
def delete_feed_link(request: HttpRequest) -> HttpResponse:
    """Stop the calendar link: calendars subscribed to it get a 404 from now on."""
    if services.delete_feed_link(user=request.user):
        messages.success(request, _("Your calendar link no longer works. Make a new one any time."))
    return redirect(reverse("accounts:settings") + "#calendar-heading")


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    prefs = request.user
    initial = {
        "email_on": prefs.reminders_by_email,
        "remind_at": prefs.remind_at,
        "email": prefs.pending_reminder_email or prefs.reminder_email or prefs.email,
    }
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = services.save_reminder_settings(
            user=request.user,
            email_on=form.cleaned_data["email_on"],
            remind_at=form.cleaned_data["remind_at"],
            email=form.cleaned_data["email"],
        )
        if saved.refused:  # a mail limit: nothing saved, the form as it was with the reason
            form.add_error("email", saved.refused.message())
            response = render(request, "reminders/settings.html", {"form": form, "prefs": prefs})
            return throttle.mark_throttled(response, saved.refused.retry_after)
        if saved.asked:
            messages.success(request, _("We sent you a link: open it to confirm your address."))
        else:
            messages.success(request, _("Reminder settings saved."))
        return redirect("reminders:settings")
    return render(request, "reminders/settings.html", {"form": form, "prefs": prefs})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The confirmation link: GET names the address and asks for one click (link scanners don't
    confirm), POST confirms and uses the link up. A forged, expired, used or superseded link is a
    404."""
    if request.method == "POST":
        email = services.confirm_email(token)
        if email is None:
            raise Http404
        return render(request, "reminders/confirmed.html", {"email": email})
    prefs = services.pending_confirmation(token)
    if prefs is None:
        raise Http404
    return render(request, "reminders/confirm.html", {"email": prefs.pending_reminder_email})


@csrf_exempt  # RFC 8058 one-click: mail providers POST without a session or CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners don't unsubscribe), POST turns reminders off and voids every
    unsubscribe link of the person: an unknown, used or too old link is a 404."""
    if request.method == "POST":
        if not services.unsubscribe(token):
            raise Http404
        return render(request, "reminders/unsubscribed.html")
    if not services.unsubscribe_link_works(token):
        raise Http404
    return render(request, "reminders/unsubscribe.html")
