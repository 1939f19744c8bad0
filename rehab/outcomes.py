"""What the numbers mean, in words: the function score (PSFS) and the worst pain against what
counts (`rehab/change.py` decides; this file only reads a page's rows and says it), the trend
sentence at the top of the timeline and the report, and when the function score is asked.

No database: everything comes from a page already read (`selectors.PlanPage`: its state, its
`pain` rows of week 1 and the last 7 days, its `psfs` rows), so the words and the chart stand on
the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .change import (
    BETTER,
    NO_CLEAR_CHANGE,
    NOTHING_YET,
    TOO_FEW_DAYS,
    WORSE,
    Change,
    average,
    function_change,
    pain_change,
    shown,
)
from .progression import PlanState
from .rows import Psfs, Span

#: When the function score is asked (plan start, the day-14 check, day 30, build-back's start and
#: every 4 weeks in it), each with the words that offer it.
START, CHECK, DAY_30, BUILD_START, BUILD_WEEKS = "start", "check", "day_30", "build_start", "build_weeks"
FIRST = "first"
MOMENTS = {
    START: gettext_lazy("Before the plan gets going, rate how well you can do the activities your knee makes hard."),
    #: Any later moment when nothing was ever rated.
    FIRST: gettext_lazy(
        "Rate how well you can do the activities your knee makes hard: rating them now and later shows "
        "whether the plan is working."
    ),
    CHECK: gettext_lazy("It's the day-14 check: rate your activities again to see what has changed."),
    DAY_30: gettext_lazy("It's day 30: rate your activities again to see what the plan has changed."),
    BUILD_START: gettext_lazy(
        "You are starting to build back: rate your activities so the next weeks can be compared."
    ),
    BUILD_WEEKS: gettext_lazy("Four more weeks of building back: rate your activities again."),
}
BUILD_EVERY = timedelta(weeks=4)
WEEK = timedelta(days=7)


def moments(state: PlanState) -> list[tuple[date, str]]:
    """Every moment the function score is asked, up to today, in date order (one a date: on a
    date that is two moments, build-back's words win over the plan day's)."""
    start = state.start_date
    found = {start: START, start + timedelta(days=13): CHECK, start + timedelta(days=29): DAY_30}
    builds: dict[int, date] = {}
    for week in state.weeks:
        builds[week.build] = min(builds.get(week.build, week.start), week.start)
    for first in builds.values():
        found[first] = BUILD_START
        when = first + BUILD_EVERY
        while when <= state.today:
            found[when] = BUILD_WEEKS
            when += BUILD_EVERY
    return sorted(item for item in found.items() if item[0] <= state.today)


def psfs_due(state: PlanState, psfs: Psfs) -> str | None:
    """The moment whose rating is still missing (the latest one passed, with no rating on or
    after its date), or None. With no rating at all, any moment after the start is `FIRST` (its
    words ask for a first rating, not for one "again")."""
    passed = moments(state)
    if not passed:
        return None
    when, moment = passed[-1]
    last = psfs.last_date
    if last is None:
        return moment if moment == START else FIRST
    return moment if last < when else None


# --- Pain: week 1 against the last 7 days -----------------------------------------------------


def pain_spans(state: PlanState) -> tuple[Span, ...]:
    """The dates whose worst pain the words read: the plan's week 1 and the last 7 days."""
    start, today = state.start_date, state.today
    return ((start, start + WEEK - timedelta(days=1)), (today - WEEK + timedelta(days=1), today))


def pain_weeks(state: PlanState, pain: dict[date, int]) -> Change:
    """Week 1's worst pain against the last 7 days' (`NOTHING_YET` until they no longer overlap,
    from day 14)."""
    start, today = state.start_date, state.today
    if today - start < timedelta(days=13):
        return Change(NOTHING_YET)
    first = [value for day, value in pain.items() if start <= day < start + WEEK]
    last = [value for day, value in pain.items() if today - WEEK < day <= today]
    return pain_change(first, last)


# --- Function: the first rating against the latest --------------------------------------------


@dataclass(frozen=True)
class FunctionScore:
    """The first and latest ratings compared (on the activities rated both times)."""

    change: Change
    first: date | None = None
    last: date | None = None
    #: The latest date's average over every activity rated that day (one rating only).
    latest: str = ""


def function_score(psfs: Psfs) -> FunctionScore:
    dates = list(psfs.scores)
    if not dates:
        return FunctionScore(Change(NOTHING_YET))
    first, last = dates[0], dates[-1]
    latest = shown(average(psfs.scores[last].values()))
    if first == last:
        return FunctionScore(Change(NOTHING_YET), first, last, latest)
    return FunctionScore(function_change(psfs.scores[first], psfs.scores[last]), first, last, latest)


# --- The words ----------------------------------------------------------------------------------


def function_words(score: FunctionScore) -> str:
    change = score.change
    values = {"before": shown(change.before), "after": shown(change.after)}
    if change.verdict == BETTER:
        return (
            _(
                "Your function score went from %(before)s to %(after)s: a real improvement (2 points or more, beyond "
                "what day-to-day variation explains)."
            )
            % values
        )
    if change.verdict == WORSE:
        return (
            _(
                "Your function score went from %(before)s to %(after)s: a real drop (2 points or more). If your knee "
                "keeps getting harder to use, get it checked by a physiotherapist or doctor."
            )
            % values
        )
    if change.verdict == NO_CLEAR_CHANGE:
        return (
            _(
                "Your function score went from %(before)s to %(after)s: no clear change yet (less than the 2 points "
                "that day-to-day variation can explain)."
            )
            % values
        )
    if score.latest:
        return _(
            "Your function score is %(score)s out of 10 (the average of your activities). Rating them again at "
            "the next check shows what has changed."
        ) % {"score": score.latest}
    return ""


def pain_words(change: Change) -> str:
    values = {"before": shown(change.before), "after": shown(change.after)}
    if change.verdict == BETTER:
        return (
            _(
                "Your worst pain averaged %(before)s in week 1 and %(after)s in the last 7 days: a clinically "
                "important drop."
            )
            % values
        )
    if change.verdict == WORSE:
        return (
            _(
                "Your worst pain averaged %(before)s in week 1 and %(after)s in the last 7 days: a clinically "
                "important rise. Follow today's advice, and get the knee checked if it keeps rising."
            )
            % values
        )
    if change.verdict == NO_CLEAR_CHANGE:
        return (
            _(
                "Your worst pain averaged %(before)s in week 1 and %(after)s in the last 7 days: no clear change yet "
                "(less than 2 points or 30%%)."
            )
            % values
        )
    if change.verdict == TOO_FEW_DAYS:
        return _(
            "Not enough logged days to compare your pain yet: it takes at least 3 in week 1 and 3 in the last 7 days."
        )
    return ""


def trend(state: PlanState, pain: Change, function: FunctionScore) -> str:
    """One sentence: worst pain, rest days kept, function ("Worst pain down from 5.1 in week 1 to
    2.0 in the last 7 days; 11 of 14 rest days kept; function 3.7 → 6.3"). Empty with nothing to say."""
    parts = []
    values = {"before": shown(pain.before), "after": shown(pain.after)}
    if pain.verdict == BETTER:
        parts.append(_("worst pain down from %(before)s in week 1 to %(after)s in the last 7 days") % values)
    elif pain.verdict == WORSE:
        parts.append(_("worst pain up from %(before)s in week 1 to %(after)s in the last 7 days") % values)
    elif pain.verdict == NO_CLEAR_CHANGE:
        parts.append(_("worst pain %(before)s in week 1, %(after)s in the last 7 days (no clear change)") % values)
    if state.rest_days_logged:
        parts.append(
            ngettext(
                "%(kept)s of %(logged)s rest day kept", "%(kept)s of %(logged)s rest days kept", state.rest_days_logged
            )
            % {"kept": state.rest_days_kept, "logged": state.rest_days_logged}
        )
    change = function.change
    values = {"before": shown(change.before), "after": shown(change.after)}
    if change.real:
        parts.append(_("function %(before)s → %(after)s") % values)
    elif change.verdict == NO_CLEAR_CHANGE:
        parts.append(_("function %(before)s → %(after)s (no clear change)") % values)
    elif function.latest:
        parts.append(_("function %(score)s") % {"score": function.latest})
    if not parts:
        return ""
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


@dataclass(frozen=True)
class Outcome:
    """Everything a page says about progress (templates/rehab/partials/outcome.html)."""

    trend: str
    pain: Change
    function: FunctionScore
    pain_words: str
    function_words: str
    #: The moment whose function score is still to be given (`MOMENTS`), or None.
    due: str | None
    #: Whether any activity is named yet (the offer links to naming them first).
    named: bool
    #: Whether the latest function score was given today.
    rated_today: bool = False

    @property
    def due_words(self) -> str:
        return str(MOMENTS[self.due]) if self.due else ""

    @property
    def changed(self) -> bool:
        """Worth saying on today's page: a real change of either, or a rating given today."""
        return self.pain.real or self.function.change.real or self.rated_today


def outcome(state: PlanState, pain: dict[date, int], psfs: Psfs) -> Outcome:
    change = pain_weeks(state, pain)
    function = function_score(psfs)
    return Outcome(
        trend=trend(state, change, function),
        pain=change,
        function=function,
        pain_words=pain_words(change),
        function_words=function_words(function),
        due=psfs_due(state, psfs),
        named=bool(psfs.rated),
        rated_today=function.last == state.today,
    )


@dataclass(frozen=True)
class PsfsTable:
    """The function score over time: one row per date, one column per activity (retired ones
    too, in their order), and the day's average over the activities rated that day."""

    activities: tuple
    #: (date, (score or None per activity), average as shown)
    rows: tuple[tuple[date, tuple[int | None, ...], str], ...]


def psfs_table(psfs: Psfs) -> PsfsTable:
    activities = tuple(item for item in psfs.activities if any(item.id in day for day in psfs.scores.values()))
    activities = activities or psfs.rated
    return PsfsTable(
        activities=activities,
        rows=tuple(
            (day, tuple(scores.get(item.id) for item in activities), shown(average(scores.values())))
            for day, scores in psfs.scores.items()
        ),
    )
