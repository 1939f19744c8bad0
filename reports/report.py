"""The clinician report: plain data for one printable page, built from `selectors.export_data` and the screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.dates import WEEKDAYS as DAY_NAMES
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rehab import selectors
from rehab.buildback import WEEKDAYS, Week
from rehab.charts import OUTCOME_WORDS, activity_text
from rehab.explain import describe_all
from rehab.exports import _check_result
from rehab.forms import RED_FLAG_CHOICES
from rehab.selectors import PlanPage
from screening import versions
from screening.models import Screening
from screening.rules import Outcome

from .forms import DEFAULT_SECTIONS

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 170, 32, 10, 16, 22
CHECK_RESULT_WORDS = {
    "pass": gettext_noop("Passed"),
    "extend": gettext_noop("Rest extended"),
    "refer": gettext_noop("See a clinician"),
    "paused": gettext_noop("Paused (warning sign)"),
    "not_counted": gettext_noop("Not counted"),
}
#: The plan's status and phase in words (the codes are a contract; people read these).
STATUS_WORDS = {
    "active": gettext_noop("Active"),
    "paused": gettext_noop("Paused"),
    "referred": gettext_noop("See a clinician"),
    "complete": gettext_noop("Complete"),
}
PHASE_WORDS = {
    "rest": gettext_noop("Rest"),
    "return": gettext_noop("Return"),
    "build": gettext_noop("Build-back"),
    "complete": gettext_noop("Complete"),
}
SIGN_WORDS = dict(RED_FLAG_CHOICES)
CHANGING = {"E1", "E2", "E3", "E4", "E5", "check_pass", "check_extend", "check_refer", "resume", "complete"}


@dataclass
class Series:
    css: str
    label: str
    color: str  # as SVG attributes too: WeasyPrint does not apply page CSS inside inline SVG
    dash: str
    points: list[tuple[float, float, int]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _v) in enumerate(self.points))


@dataclass
class Chart:
    width: int
    height: int
    series: list[Series]
    y_ticks: list[tuple[float, int]]
    marks: list[tuple[float, str, float]]  # x, label, label y
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def pain_chart(logs: list, first: date, last: date, check_days: list[date], event_days: list[date]) -> Chart:
    """Worst, during and morning pain by date, with checks (C) and plan-changing events (!) marked."""
    span = max(1, (last - first).days)

    def x(day: date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span

    def y(value: int) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (10 - value) / 10

    series = [
        Series("line-worst", _("Worst pain in the day"), "#d7263d", "none"),
        Series("line-during", _("Pain during sessions"), "#1f5fbf", "6 4"),
        Series("line-morning", _("Pain in the morning"), "#2e7d32", "2 3"),
    ]
    for log in logs:
        for s, value in zip(series, (log.pain_worst, log.pain_during, log.pain_morning), strict=True):
            if value is not None:
                s.points.append((x(log.date), y(value), value))
    marks = [(x(d), "C", HEIGHT - 6) for d in sorted(set(check_days)) if first <= d <= last]
    marks += [(x(d), "!", TOP - 4) for d in sorted(set(event_days)) if first <= d <= last]
    return Chart(WIDTH, HEIGHT, series, [(y(v), v) for v in (0, 5, 10)], marks)


def _screening_row(s: Screening) -> dict:
    outcome = Outcome(s.outcome)
    return {
        "date": s.taken_at,
        "heading": outcome.heading,
        # In the words of the rules version that gave them (a 2026.2 screen keeps its own).
        "reasons": [versions.reason_text(r, s.version) for r in s.reasons],
    }


def _week_row(week: Week) -> dict:
    if week.outcome is None:
        outcome = _("stopped: plan paused") if week.interrupted else _("this week, so far")
    else:
        outcome = str(OUTCOME_WORDS.get(week.outcome, week.outcome))
    if week.build == 1:
        label = _("Week %(index)s") % {"index": week.index}
    else:
        label = _("Build %(build)s, week %(index)s") % {"build": week.build, "index": week.index}
    return {
        "label": label,
        "first": week.start,
        "last": week.end,
        "target": week.target_minutes,
        "done": week.done_minutes,
        "pain": week.max_pain_during,
        "outcome": outcome,
    }


def activity_section(page: PlanPage, first: date, last: date) -> dict | None:
    """The goal, the build-back weeks and the days' activity entries within first..last, from what
    `selectors.export_data` already read (no query); None when there is none of them (old reports unchanged)."""
    goal = page.goal
    weeks = [_week_row(w) for w in page.state.weeks if w.end >= first and w.start <= last]
    days = [
        (day, [activity_text(a) for a in log.activities])
        for day, log in sorted(page.logs.items())
        if first <= day <= last and log.activities
    ]
    if goal is None and not weeks and not days:
        return None
    goal_row = None
    if goal is not None:
        goal_row = {
            "minutes": goal.minutes,
            "km": goal.km,
            "days": ", ".join(str(DAY_NAMES[WEEKDAYS.index(code)]) for code in WEEKDAYS if code in goal.build_days),
        }
    return {"goal": goal_row, "weeks": weeks, "days": days}


def build(user, *, sections=None, date_from: date | None = None, date_to: date | None = None, notes=None):
    """The report for `user`'s plan, or None without a plan. Five queries, whatever the history."""
    page: PlanPage | None = selectors.export_data(user)
    if page is None:
        return None
    sections = set(DEFAULT_SECTIONS if sections is None else sections)
    if notes is not None:  # a share link decides about notes, not the options form
        sections.discard("notes")
        if notes:
            sections.add("notes")
    state, plan = page.state, page.plan
    first = max(date_from or plan.start_date, plan.start_date)
    last = min(date_to or state.today, state.today)
    within = lambda d: first <= d <= last  # noqa: E731
    logs = [log for day, log in page.logs.items() if within(day)]
    checks = [c for day, c in page.checks.items() if within(day)]
    events = [e for e in state.events if within(e.date)]
    words = describe_all(state, events, plan.activity)
    screenings = list(Screening.objects.filter(user=user).order_by("taken_at"))
    started = next((s for s in screenings if s.pk == plan.screening_id), None)
    later = [s for s in screenings if s.taken_at > plan.created_at and s.pk != plan.screening_id]
    weeks = page.state.adherence(page.done, first, last)
    return {
        "plan": plan,
        "state": state,
        "status_words": _(STATUS_WORDS[state.status]),
        "phase_words": _(PHASE_WORDS[state.phase]),
        "sections": sections,
        "first": first,
        "last": last,
        "started": _screening_row(started) if started else None,
        "later": [_screening_row(s) for s in later],
        "chart": pain_chart(
            logs, first, last, [c.date for c in checks], [e.date for e in events if e.rule in CHANGING]
        ),
        "checks": [
            {
                "date": c.date,
                "answers": c.answers(),
                "result": _(CHECK_RESULT_WORDS[_check_result(page, c)]),
                "new_signs": [str(SIGN_WORDS.get(code, code)) for code in c.new_symptoms],
                "walk_30": _("Yes") if c.walk_30 else _("No"),
            }
            for c in checks
        ],
        "events": list(zip((e.date for e in events), words, strict=True)),
        "weeks": weeks,
        "rest_kept": sum(1 for log in logs if log.rested),
        "rest_logged": sum(1 for log in logs if log.rested is not None),
        "nsaid_days": sum(1 for log in logs if log.nsaid),
        "logged_days": len(logs),
        "notes": [(log.date, log.notes) for log in logs if log.notes],
        "activity": activity_section(page, first, last),
    }
