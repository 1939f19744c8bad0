"""The calendar feed: built from the plan's derived state on every request (nothing stored).

Calendars sync to third parties, so titles and text hold no pain values, no notes and no
diagnosis words beyond "ITB Care".
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from rehab.ladders import session_text
from rehab.progression import ACTIVE, PAUSED
from rehab.selectors import PlanPage

PLAN_DAYS = 30
LOG_DAYS_AHEAD = 14


def plan_key(plan) -> str:
    """A stable, opaque identity of the plan for UIDs (no user id, independent of the link)."""
    message = f"plan:{plan.pk}:{plan.created_at.isoformat()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def _alarm(minutes_before: int, text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", timedelta(minutes=-minutes_before))
    return alarm


def _event(*, kind: str, day: date, key: str, summary: str, description: str, stamp: datetime, start, end) -> Event:
    event = Event()
    event.add("uid", f"{kind}-{day.isoformat()}-{key}@itbcare")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    event.add_component(_alarm(0 if isinstance(start, datetime) else -9 * 60, summary))
    return event


def build_feed(page: PlanPage | None, *, zone: str, remind_at: time, now: datetime, today_url: str) -> bytes:
    """The ICS text for a person's plan (an empty calendar without a plan)."""
    tz = ZoneInfo(zone)
    cal = Calendar()
    cal.add("prodid", "-//ITB Care//Plan calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "ITB Care")
    cal.add("x-wr-timezone", zone)
    if page is not None:
        plan, state = page.plan, page.state
        key = plan_key(plan)
        stamp = now.astimezone(ZoneInfo("UTC")).replace(microsecond=0)
        end_date = plan.start_date + timedelta(days=PLAN_DAYS - 1)
        if state.status in (ACTIVE, PAUSED):
            first = max(state.today, plan.start_date)
            last = min(state.today + timedelta(days=LOG_DAYS_AHEAD - 1), end_date)
            day = first
            while day <= last:
                start = datetime.combine(day, remind_at, tzinfo=tz)
                number = (day - plan.start_date).days + 1
                cal.add_component(
                    _event(
                        kind="log",
                        day=day,
                        key=key,
                        summary=_("ITB Care: daily log"),
                        description=_(
                            "Day %(day)d of %(total)d of your ITB Care plan. Log today, it takes a minute: %(url)s"
                        )
                        % {"day": number, "total": PLAN_DAYS, "url": today_url},
                        stamp=stamp,
                        start=start,
                        end=start + timedelta(minutes=15),
                    )
                )
                day += timedelta(days=1)
        if state.status == ACTIVE:
            if state.check_due_date is not None:
                due = state.check_due_date
                cal.add_component(
                    _event(
                        kind="check",
                        day=due,
                        key=key,
                        summary=_("ITB Care: day-14 check"),
                        description=_("Your day-14 check is due. Open %(url)s") % {"url": today_url},
                        stamp=stamp,
                        start=due,
                        end=due + timedelta(days=1),
                    )
                )
            if state.next_session_date is not None and state.level:
                when = state.next_session_date
                cal.add_component(
                    _event(
                        kind="session",
                        day=when,
                        key=key,
                        summary=_("ITB Care: session day"),
                        description=session_text(plan.activity, state.level),
                        stamp=stamp,
                        start=when,
                        end=when + timedelta(days=1),
                    )
                )
        cal.add_component(
            _event(
                kind="end",
                day=end_date,
                key=key,
                summary=_("ITB Care: last day of the plan"),
                description=_("The last day of your %(total)d-day plan.") % {"total": PLAN_DAYS},
                stamp=stamp,
                start=end_date,
                end=end_date + timedelta(days=1),
            )
        )
    cal.add_missing_timezones()
    return cal.to_ical()
