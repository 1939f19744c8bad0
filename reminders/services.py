from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
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

from accounts import mail_limits
from rehab import selectors
from rehab.models import DailyLog, Plan
from rehab.progression import COMPLETE, PLAN_DAYS, REFERRED

from .models import CalendarFeed, ReminderSent, hash_token, new_token

logger = logging.getLogger(__name__)
User = get_user_model()
#: The email reminder preferences on the user row.
REMINDER_FIELDS = (
    "reminders_by_email",
    "remind_at",
    "reminder_email",
    "reminder_email_confirmed_at",
    "pending_reminder_email",
    "reminder_confirm_hash",
)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def feed_link(*, user) -> CalendarFeed | None:
    """The person's calendar link, if they made one (its token is not stored: it cannot be shown
    again)."""
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def new_feed_link(*, user) -> str:
    """Make the person's calendar link, replacing (and so stopping) any older one; returns the
    token, which is shown once and stored only as its SHA-256."""
    token = new_token()
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": hash_token(token)})
    return token


def delete_feed_link(*, user) -> bool:
    return CalendarFeed.objects.filter(user=user).delete()[0] > 0


def open_feed(token: str) -> CalendarFeed | None:
    if len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token_hash=hash_token(token)).first()


# --- Email reminders -----------------------------------------------------------------------------

CONFIRM_SALT = "reminders.confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3  # a confirmation link works for three days


def confirm_token(nonce: str) -> str:
    """The confirmation link's token: a random one-time nonce (256 bits) and the time, signed. It
    names no address and no person: the account holds the nonce's SHA-256 beside the pending
    address, and the address shows only on the confirm page."""
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(nonce)


def _read_confirm_token(token: str) -> str | None:
    if len(token) > 200:
        return None
    try:
        return signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None


def pending_confirmation(token: str):
    """The person whose newest confirmation link this is (with `pending_reminder_email` to show),
    or None: a forged, expired, used or superseded link."""
    nonce = _read_confirm_token(token)
    if nonce is None:
        return None
    return User.objects.filter(reminder_confirm_hash=hash_token(nonce)).exclude(pending_reminder_email="").first()


@transaction.atomic
def confirm_email(token: str) -> str | None:
    """Confirm the pending address of this link's person and use the link up; the address, or
    None if the link is not (or no longer) the person's newest."""
    nonce = _read_confirm_token(token)
    if nonce is None:
        return None
    prefs = (
        User.objects.select_for_update()
        .filter(reminder_confirm_hash=hash_token(nonce))
        .exclude(pending_reminder_email="")
        .first()
    )
    if prefs is None:
        return None
    email = prefs.pending_reminder_email
    prefs.reminder_email, prefs.reminder_email_confirmed_at = email, timezone.now()
    prefs.pending_reminder_email, prefs.reminder_confirm_hash = "", ""
    prefs.save(update_fields=[*REMINDER_FIELDS])
    return email


@dataclass(frozen=True)
class SettingsSaved:
    """What saving the reminder settings did: `asked` a confirmation was mailed, or `refused` (a
    mail limit; then nothing was saved)."""

    asked: bool = False
    refused: mail_limits.Refusal | None = None


@transaction.atomic
def save_reminder_settings(*, user, email_on: bool, remind_at: time, email: str) -> SettingsSaved:
    """Save the choice. A new address is pending (reminders keep going to the confirmed one)
    until the person opens the one-time link mailed to it; asking again voids the older link, and
    turning reminders off or going back to the confirmed address voids any link."""
    prefs = User.objects.select_for_update().get(pk=user.pk)
    needs_confirming = bool(email_on and email and email != prefs.reminder_email)
    if needs_confirming and (refused := mail_limits.count("reminder_confirm", address=email, user=prefs)):
        return SettingsSaved(refused=refused)
    prefs.reminders_by_email = email_on
    prefs.remind_at = remind_at
    nonce = secrets.token_urlsafe(32) if needs_confirming else ""
    prefs.pending_reminder_email = email if needs_confirming else ""
    prefs.reminder_confirm_hash = hash_token(nonce) if needs_confirming else ""
    prefs.save(update_fields=[*REMINDER_FIELDS])
    if not email_on:  # off by choice: the unsubscribe links in earlier emails are no longer needed
        ReminderSent.objects.filter(user=prefs).exclude(unsubscribe_hash="").update(unsubscribe_hash="")
    for name in REMINDER_FIELDS:  # the request's user shows what was saved
        setattr(user, name, getattr(prefs, name))
    if needs_confirming:
        link = absolute(reverse("reminders:confirm", kwargs={"token": confirm_token(nonce)}))
        with translation.override(user.language or translation.get_language()):
            body = render_to_string("reminders/email/confirm.txt", {"link": link})
            subject = _("ITB Care: confirm your reminder address")
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return SettingsSaved(asked=needs_confirming)


#: An unsubscribe link works this long after its email (and until one of the person's is used).
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)


def _unsubscribable(token: str):
    if len(token) > 64:
        return ReminderSent.objects.none()
    return ReminderSent.objects.filter(
        unsubscribe_hash=hash_token(token), started_at__gt=timezone.now() - UNSUBSCRIBE_MAX_AGE
    )


def unsubscribe_link_works(token: str) -> bool:
    return bool(token) and _unsubscribable(token).exists()


@transaction.atomic
def unsubscribe(token: str) -> bool:
    """Turn the person's reminders off and void every unsubscribe link they were sent (this one
    included); False if the link is unknown, used or too old."""
    row = _unsubscribable(token).select_for_update().first() if token else None
    if row is None:
        return False
    User.objects.filter(pk=row.user_id).update(reminders_by_email=False)
    ReminderSent.objects.filter(user_id=row.user_id).exclude(unsubscribe_hash="").update(unsubscribe_hash="")
    return True


def reminder_message(*, user, email: str, day: int, unsubscribe: str) -> EmailMultiAlternatives:
    """The reminder email, in the person's account language (no browser asks for this one);
    `unsubscribe` is this email's own unsubscribe token."""
    with translation.override(user.mail_language):
        unsubscribe_url = absolute(reverse("reminders:unsubscribe", kwargs={"token": unsubscribe}))
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
    """Send each due reminder at most once; returns how many this run sent.

    For each: a ReminderSent row in state "sending" is inserted and committed first (a second
    runner hits the unique constraint and skips), then the mail server is called, then the row
    says "sent". A send that fails with an error (the server refused or could not be reached)
    deletes the row, so the next run tries again; a run that stops between the two (a crash, a
    kill) leaves "sending", which `stuck_reminders` reports and nothing sends again: at most once.
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
        token = new_token()
        try:
            with transaction.atomic():
                row = ReminderSent.objects.create(
                    user=user, date=today, state=ReminderSent.SENDING, unsubscribe_hash=hash_token(token)
                )
        except IntegrityError:
            continue  # another runner has it
        try:
            reminder_message(user=user, email=user.reminder_email, day=page.state.day, unsubscribe=token).send()
        except Exception:  # noqa: BLE001 - nothing went out: the next run tries again
            logger.exception("reminder to user %s failed; the next run tries again", user.pk)
            ReminderSent.objects.filter(pk=row.pk, state=ReminderSent.SENDING).delete()
            continue
        ReminderSent.objects.filter(pk=row.pk).update(state=ReminderSent.SENT, sent_at=timezone.now())
        sent += 1
    return sent


#: A reminder still "sending" after this long belongs to a run that stopped mid-send.
STUCK_AFTER = timedelta(minutes=10)


def stuck_reminders(*, now: datetime | None = None) -> int:
    """Reminders a run began and never finished (it stopped between the mail server and the
    database): they may or may not have gone out, and are not sent again."""
    now = now or timezone.now()
    return ReminderSent.objects.filter(state=ReminderSent.SENDING, started_at__lt=now - STUCK_AFTER).count()
