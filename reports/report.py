"""The clinician report: plain data for one printable page, built from `selectors.export_data` and the screens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.dates import WEEKDAYS as DAY_NAMES
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from rehab import selectors
from rehab.buildback import WEEKDAYS, Week
from rehab.charts import OUTCOME_WORDS, activity_text
from rehab.explain import describe_all
from rehab.exports import _check_result
from rehab.forms import RED_FLAG_CHOICES
from rehab.selectors import PlanPage
from screening import versions
from screening.models import Screening
from screening.rules import ACTIVITIES, NO, UNSURE, YES, Outcome

from .forms import DEFAULT_SECTIONS
from .psfs import psfs_section

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 180, 32, 24, 16, 34
#: At most this many dates under the chart's time axis (they stay readable on a phone and in print).
MAX_DATE_TICKS = 7
CHECK_RESULT_WORDS = {
    "pass": gettext_noop("Passed"),
    "extend": gettext_noop("Rest extended"),
    "refer": gettext_noop("See a clinician"),
    "paused": gettext_noop("Paused (warning sign)"),
    "not_counted": gettext_noop("Not counted"),
}
SIGN_WORDS = dict(RED_FLAG_CHOICES)
#: The screen's outcomes as a clinician reads them (the result page speaks to the person).
OUTCOME_FOR_CLINICIAN = {
    Outcome.EMERGENCY: gettext_lazy("Emergency care advised"),
    Outcome.URGENT_TODAY: gettext_lazy("Same-day medical advice advised"),
    Outcome.CLINICIAN_SOON: gettext_lazy("A check with a clinician within days advised"),
    Outcome.NOT_TYPICAL: gettext_lazy("Not typical of IT band pain: a routine check advised"),
    Outcome.ITBS_LIKELY: gettext_lazy("Answers fit IT band syndrome (not a diagnosis): the 30-day plan was offered"),
}
#: The reasons that are not one answer, in the third person.
DERIVED_FOR_CLINICIAN = {
    "age_under_16": gettext_lazy("Under 16 (growing bones)"),
    "ottawa_age": gettext_lazy("Aged 55 or over with an injury in the last 7 days (Ottawa knee rule)"),
    "child_cannot_bear_weight": gettext_lazy("Under 16 and unable to bear weight, or very severe pain"),
    "too_few_supporting": gettext_lazy("Too few answers matched the usual pattern of IT band pain"),
}
ANSWER_WORDS = {YES: gettext_lazy("Yes"), NO: gettext_lazy("No"), UNSURE: gettext_lazy("Not sure")}
#: The daily log's warning signs, short and in the third person (values are screening ids).
WARNING_WORDS = {
    "hot_swollen_fever": gettext_lazy("hot swollen knee with fever or feeling unwell"),
    "chest_or_breathing": gettext_lazy("chest pain, breathlessness or coughing blood"),
    "foot_cold_or_numb": gettext_lazy("foot cold, pale, numb or weak"),
    "calf_swelling": gettext_lazy("painful swollen calf or thigh"),
    "locked_knee": gettext_lazy("knee locked"),
    "catching_giving_way": gettext_lazy("knee catching or giving way"),
    "night_or_rest_pain": gettext_lazy("pain at night or at rest"),
    "numbness_shin_foot": gettext_lazy("numbness or tingling down the shin or foot"),
}
SWELLING_WORDS = {
    "local": gettext_lazy("local swelling over the outside bump"),
    "whole_knee": gettext_lazy("whole knee swollen"),
}
PHASE_WORDS = {
    "rest": gettext_lazy("rest phase"),
    "return": gettext_lazy("return-to-activity phase"),
    "build": gettext_lazy("building back to the usual week"),
    "complete": gettext_lazy("plan finished"),
}
STATUS_WORDS = {
    "active": gettext_lazy("active"),
    "paused": gettext_lazy("paused until a clinician has checked the knee"),
    "referred": gettext_lazy("referred to a clinician"),
    "complete": gettext_lazy("complete"),
}
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
    x_ticks: list[tuple[float, date]] = field(default_factory=list)
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
    marks = [(x(d), "C", HEIGHT - BOTTOM + 13) for d in sorted(set(check_days)) if first <= d <= last]
    marks += [(x(d), "!", TOP - 4) for d in sorted(set(event_days)) if first <= d <= last]
    days = max(0, (last - first).days)
    step = max(1, -(-days // (MAX_DATE_TICKS - 1)))
    ticks = [first + timedelta(days=n) for n in range(0, days + 1, step)]
    if (last - ticks[-1]).days * 2 >= step:  # the last day gets a tick of its own, unless it would crowd
        ticks.append(last)
    return Chart(WIDTH, HEIGHT, series, [(y(v), v) for v in (0, 5, 10)], marks, [(x(d), d) for d in ticks])


def _screening_row(s: Screening) -> dict:
    """One screen for a clinician, in the words of the rules version that asked it (a 2026.2
    screen keeps its own): the outcome, what decided it, the red flags reported and the red flags
    the person's answers ruled out (answered No; "not sure" counts as yes, so it rules out nothing)."""
    words = versions.wording(s.version)
    flags = words.red_flags(s.answers)
    decided = [
        str(DERIVED_FOR_CLINICIAN[r])
        if r in DERIVED_FOR_CLINICIAN
        else _("%(answer)s: %(question)s") % {"answer": _answer(s.answers.get(r, NO)), "question": words.question(r)}
        for r in s.reasons
    ]
    return {
        "date": s.taken_at,
        "version": s.version,
        "outcome": str(OUTCOME_FOR_CLINICIAN[Outcome(s.outcome)]),
        "age": s.answers.get("age"),
        "activity": dict(ACTIVITIES).get(s.answers.get("activity"), ""),
        "decided": decided,
        "reported": [(text, _answer(answer)) for qid, text, answer in flags if answer != NO and qid not in s.reasons],
        "ruled_out": [text for _qid, text, answer in flags if answer == NO],
        "ruled_out_count": None,
    }


def _answer(value) -> str:
    return str(ANSWER_WORDS.get(value, value))


def _yes_no(value: bool | None) -> str:
    return "–" if value is None else (_("Yes") if value else _("No"))


def daily_rows(logs: list) -> list[dict]:
    """One row per logged day, oldest first: the values the chart draws, as text (a screen reader
    and a clinician skimming the PDF read them here)."""
    rows = []
    for log in sorted(logs, key=lambda log: log.date):
        session = _yes_no(log.session_done)
        if log.session_done and log.stopped_early:
            session = _("Yes, stopped early")
        warnings = [str(WARNING_WORDS.get(flag, flag)) for flag in log.new_symptoms]
        if log.swelling in SWELLING_WORDS:
            warnings.append(str(SWELLING_WORDS[log.swelling]))
        rows.append(
            {
                "date": log.date,
                "worst": log.pain_worst,
                "during": "–" if log.pain_during is None else log.pain_during,
                "morning": "–" if log.pain_morning is None else log.pain_morning,
                "rested": _yes_no(log.rested),
                "session": session,
                "activities": "; ".join(activity_text(a) for a in log.activities),
                "warnings": "; ".join(warnings),
            }
        )
    return rows


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
    rows = [_screening_row(s) for s in ([started] if started else []) + later]
    for row in rows[:-1]:  # the latest check lists its ruled-out red flags; the earlier ones count them
        row["ruled_out_count"], row["ruled_out"] = len(row["ruled_out"]), []
    weeks = page.state.adherence(page.done, first, last)
    return {
        "plan": plan,
        "state": state,
        "name": user.report_name,
        "phase": str(PHASE_WORDS.get(state.phase, state.phase)),
        "status": str(STATUS_WORDS.get(state.status, state.status)),
        "days": (last - first).days + 1,
        "daily": daily_rows(logs),
        "sections": sections,
        "first": first,
        "last": last,
        "started": rows[0] if started else None,
        "later": rows[1:] if started else rows,
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
        "psfs": psfs_section(page, first, last),
    }
