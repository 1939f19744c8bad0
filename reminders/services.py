from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rehab import selectors
from rehab.models import DailyLog, Plan
from rehab.progression import COMPLETE, PLAN_DAYS, REFERRED

from .models import CalendarFeed, ReminderSent, new_token

logger = logging.getLogger(__name__)
User = get_user_model()
#: The email reminder preferences on the user row.
REMINDER_FIELDS = ("reminders_by_email", "remind_at", "reminder_email", "reminder_email_confirmed_at")


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


# --- Email reminders -----------------------------------------------------------------------------

CONFIRM_SALT = "reminders.confirm"
UNSUBSCRIBE_SALT = "reminders.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3  # a confirmation link works for three days


def confirm_token(*, user, email: str) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"u": user.pk, "e": email})


def read_confirm_token(token: str) -> dict | None:
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign_object(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None


def unsubscribe_token(*, user) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(user.pk))


def read_unsubscribe_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


@transaction.atomic
def save_reminder_settings(*, user, email_on: bool, remind_at: time, email: str) -> bool:
    """Save the choice; a new address gets a confirmation link first. True if one was sent."""
    prefs = User.objects.select_for_update().get(pk=user.pk)
    prefs.reminders_by_email = email_on
    prefs.remind_at = remind_at
    needs_confirming = email_on and email and email != prefs.reminder_email
    if email != prefs.reminder_email:
        prefs.reminder_email, prefs.reminder_email_confirmed_at = "", None
    prefs.save(update_fields=[*REMINDER_FIELDS])
    for name in REMINDER_FIELDS:  # the request's user shows what was saved
        setattr(user, name, getattr(prefs, name))
    if needs_confirming:
        link = absolute(reverse("reminders:confirm", kwargs={"token": confirm_token(user=user, email=email)}))
        with translation.override(user.language or translation.get_language()):
            body = render_to_string("reminders/email/confirm.txt", {"link": link})
            subject = _("ITB Care: confirm your reminder address")
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return bool(needs_confirming)


def confirm_email(*, user_pk, email: str) -> bool:
    return bool(
        User.objects.filter(pk=user_pk).update(reminder_email=email, reminder_email_confirmed_at=timezone.now())
    )


def unsubscribe(*, user_pk) -> None:
    User.objects.filter(pk=user_pk).update(reminders_by_email=False)


def reminder_message(*, user, email: str, day: int) -> EmailMultiAlternatives:
    """The daily reminder, in the person's account language (no browser asks for this one)."""
    with translation.override(user.mail_language):
        unsubscribe_url = absolute(reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user=user)}))
        context = {
            "day": day,
            "total": PLAN_DAYS,
            "today_url": absolute(reverse("rehab:today")),
            "unsubscribe_url": unsubscribe_url,
        }
        message = EmailMultiAlternatives(
            subject=_("ITB Care: day %(day)d of %(total)d, time for today's log") % {"day": day, "total": PLAN_DAYS},
            body=render_to_string("reminders/email/reminder.txt", context),
            to=[email],
            headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        message.attach_alternative(render_to_string("reminders/email/reminder.html", context), "text/html")
        return message


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Send each due reminder once; returns how many this run sent.

    The ReminderSent row is inserted first, in the same transaction as the send: a second runner
    hits the unique constraint (and skips), and a failed send rolls the row back.
    """
    now = now or timezone.now()
    sent = 0
    for user in User.objects.filter(reminders_by_email=True, reminder_email_confirmed_at__isnull=False):
        local = now.astimezone(ZoneInfo(user.time_zone or "UTC"))
        if local.time() < user.remind_at:
            continue
        today = local.date()
        plan = Plan.objects.filter(user=user).first()
        if plan is None or not (plan.start_date <= today <= plan.start_date + timedelta(days=29)):
            continue
        if DailyLog.objects.filter(plan=plan, date=today).exists():
            continue
        with timezone.override(local.tzinfo):  # the person's dates, as their pages read them
            page = selectors.plan_page(user, today)
        if page is None or page.state.status in (REFERRED, COMPLETE):
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(user=user, date=today)
                reminder_message(user=user, email=user.reminder_email, day=page.state.day).send()
        except IntegrityError:
            continue  # another runner sent it
        except Exception:  # noqa: BLE001 - the row rolled back; the next run tries again
            logger.exception("reminder to user %s failed", user.pk)
            continue
        sent += 1
    return sent
