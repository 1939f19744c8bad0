"""Plain words for what the engine decided: every rule that changes the plan says so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.rules import OUTCOME_BY_CODE, Outcome

from .progression import (
    ACTIVE,
    CHECK_MAX_DAILY_PAIN,
    CHECK_MAX_HOP_PAIN,
    CHECK_MAX_SQUAT_PAIN,
    COMPLETE,
    MAX_LEVEL,
    PAUSED,
    PLAN_DAYS,
    REFERRED,
    REST,
    RETURN,
    SESSION_GAP,
    SHORT_REST_DAYS,
    WHOLE_KNEE,
    Event,
    PlanState,
    flag_outcome,
    most_urgent,
)

SESSION_NOUN = {
    "running": gettext_lazy("run"),
    "cycling": gettext_lazy("ride"),
    "hiking": gettext_lazy("walk"),
    "gym": gettext_lazy("session"),
    "other": gettext_lazy("session"),
}

ADVICE = {
    "E4": gettext_lazy(
        "Your knee needed a step back, so this is a week of rest before a new check. "
        "Consider seeing a physiotherapist or sports doctor: they can look at what is holding you back."
    ),
    "E6": gettext_lazy(
        "You have taken anti-inflammatory painkillers for more than 10 days in a row. Please ask a pharmacist "
        "or doctor about it, and don't use painkillers to keep training."
    ),
}


def describe(event: Event, activity: str, *, e4_count: int = 1) -> str:
    noun = SESSION_NOUN.get(activity, SESSION_NOUN["other"])
    level = event.level
    match event.rule:
        case "pass" if level == MAX_LEVEL:
            return _("Your %(noun)s at level %(level)s went well.") % {"noun": noun, "level": level}
        case "pass":
            return _("Your %(noun)s at level %(level)s went well, so next time moves up to level %(next)s.") % {
                "noun": noun,
                "level": level,
                "next": level + 1,
            }
        case "complete":
            return _("You have completed the plan. Build up gradually from here, and keep up the hip exercises.")
        case "E2":
            lower = max(1, level - 1)
            if "pain_above_3" in event.detail:
                text = _("Your pain went above 3 during the %(noun)s, so next time repeats level %(lower)s.")
            else:
                text = _("You stopped the %(noun)s early, so next time repeats level %(lower)s.")
            return text % {"noun": noun, "lower": lower}
        case "E3":
            why = (
                _("your morning pain rose by 2 or more")
                if "morning_pain" in event.detail
                else _("new swelling appeared on the outside of the knee")
            )
            return _(
                "Your knee flared up (%(why)s), so the next session moved to 2 days later, at level %(level)s."
            ) % {
                "why": why,
                "level": level,
            }
        case "E4" if e4_count >= 2:
            return _("Your knee has needed a step back twice now, so the plan stops here. Please see a clinician.")
        case "E4":
            why = (
                _("two sessions in a row were too much")
                if "two_failed" in event.detail
                else _("your knee flared up three times in a week")
            )
            return _("%(why)s, so the plan goes back to %(days)s days of rest, then a new check.") % {
                "why": why[:1].upper() + why[1:],
                "days": SHORT_REST_DAYS,
            }
        case "E1":
            outcome = OUTCOME_BY_CODE[_pause_outcome(event)]
            signs = "; ".join(
                OUTCOME_BY_CODE[flag.removeprefix("screen:")].heading
                if flag.startswith("screen:")
                else _flag_words(flag)
                for flag in event.detail
            )
            return _("You reported a warning sign (%(signs)s), so the plan was paused. %(heading)s: %(next)s") % {
                "signs": signs,
                "heading": outcome.heading,
                "next": outcome.next_step,
            }
        case "E5":
            return _(
                "Six weeks have passed without finishing the plan. Please see a clinician to check what is going on."
            )
        case "E6":
            return str(ADVICE["E6"])
        case "check_pass":
            return _("You passed the check, so the graded return began that day at level 1.")
        case "check_extend":
            return _(
                "Your pain is improving but not settled yet, so rest goes on for %(days)s more days, then a new check."
            ) % {"days": SHORT_REST_DAYS}
        case "check_refer":
            return _("Your knee is not improving as expected. Please see a clinician.")
        case "resume":
            return _(
                "Your new knee check fits IT band syndrome again, so the plan resumes: %(days)s days of rest, "
                "then a check."
            ) % {"days": SHORT_REST_DAYS}
    return event.rule


def _pause_outcome(event: Event) -> str:
    outcomes = []
    for flag in event.detail:
        if flag.startswith("screen:"):
            outcomes.append(flag.removeprefix("screen:"))
        else:
            outcomes.append(flag_outcome(flag))
    return most_urgent(outcomes) or Outcome.CLINICIAN_SOON


def _describe_plain(state: PlanState, events, activity: str) -> list[str]:
    """plan.md 2026.1 sentences for `events`, counting E4s so the second one reads as a referral."""
    e4s = [event for event in state.events if event.rule == "E4"]
    return [describe(event, activity, e4_count=e4s.index(event) + 1 if event in e4s else 1) for event in events]


# --- Today's page: one status line and at most one message per event (issue 12) -------------
#
# Everything below reads the engine's state for today and nothing else, so no message can
# contradict another or outlive its day: levels and dates are the state's own (the next
# session's level and date, the next check's date), never recomputed from the event.

GOOD, INFO, CAUTION, STOP = "good", "info", "caution", "stop"

#: The visible word (and a symbol) beside each kind, so meaning never rests on colour alone.
KIND_LABELS = {
    GOOD: gettext_lazy("Good news"),
    INFO: gettext_lazy("Note"),
    CAUTION: gettext_lazy("Take care"),
    STOP: gettext_lazy("Stop"),
}
KIND_ICONS = {GOOD: "✓", INFO: "i", CAUTION: "!", STOP: "×"}  # glyphs every system font has

#: What "resting" means for each activity, in everyday words.
REST_FROM = {
    "running": gettext_lazy("running"),
    "cycling": gettext_lazy("cycling"),
    "hiking": gettext_lazy("hiking"),
    "gym": gettext_lazy("squats and lunges"),
    "other": gettext_lazy("the activity that brings on the pain"),
}

CHECK_FALL_SHORT = {
    "daily_pain": gettext_lazy("Your worst everyday pain this week was %(value)s out of 10 (passing takes 1 or less)."),
    "walk_30": gettext_lazy("A brisk 30-minute walk was not pain-free (passing takes a pain-free walk)."),
    "squat_pain": gettext_lazy("Single-leg squats hurt %(value)s out of 10 (passing takes 2 or less)."),
    "hop_pain": gettext_lazy("Gentle hopping hurt %(value)s out of 10 (passing takes 2 or less)."),
}


@dataclass(frozen=True)
class Link:
    url: str
    label: str


class _KindWords:
    """The visible word and symbol of a message's `kind`, so meaning never rests on colour."""

    kind: str

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def icon(self) -> str:
        return KIND_ICONS[self.kind]


@dataclass(frozen=True)
class Message(_KindWords):
    """One message on today's page: the event (or advice) it comes from, its kind and words."""

    rule: str
    kind: str
    text: str
    links: tuple[Link, ...] = ()
    flare: bool = False  # the day's one flare message (`flare_on`)


@dataclass(frozen=True)
class Hold(_KindWords):
    """A paused or referred plan: why (named), and the way on."""

    status: str
    outcome: str  # the screening outcome whose colour and next step it takes
    heading: str
    causes: tuple[str, ...]
    next_step: str
    links: tuple[Link, ...]
    kind: str = STOP


def _on(day: date) -> str:
    return date_format(day, _("l j F"))


def day_heading(state: PlanState) -> str:
    """The page's heading: "Day n of 30" within the 30 days; after them (build-back, or a plan
    that went on), just "Day n"."""
    if state.day <= PLAN_DAYS:
        return _("Day %(day)s of %(total)s") % {"day": state.day, "total": PLAN_DAYS}
    return _("Day %(day)s") % {"day": state.day}


def status_line(state: PlanState, activity: str) -> str:
    """What today is, after the day number (the page's heading): the phase, the level and what
    today is for, in one line."""
    if state.status == PAUSED:
        return _("Your plan is paused: nothing is due until your knee has been checked.")
    if state.status == REFERRED:
        return _("The plan has stopped here: please see a clinician.")
    if state.status == COMPLETE:
        if state.weeks:  # completed by build-back (load.md §4)
            return _("Build-back is complete: you are back to your usual week.")
        return _("You have finished the graded return. Next: build back to your usual week.")
    rest_from = REST_FROM.get(activity, REST_FROM["other"])
    if state.phase == REST:
        if state.check_due:
            return _("Resting. Today is for your progress check.")
        return _("Resting. Today is for a break from %(rest_from)s and for your exercises.") % {"rest_from": rest_from}
    if state.phase == RETURN and state.level:
        where = _("Graded return, level %(level)s of %(top)s.") % {"level": state.level, "top": MAX_LEVEL}
        if state.session_due:
            today = _("Today is a session day.")
        elif state.days and state.days[-1].session_day:
            today = _("Today's session is done; today is for your stretches.")
        else:
            today = _("Today is a day between sessions, for your strength exercises.")
        return f"{where} {today}"
    if state.build is not None:
        return _("Build-back, week %(week)s: building back up to your usual %(rest_from)s.") % {
            "week": state.build.week_index,
            "rest_from": rest_from,
        }
    return _("Building back up to your usual %(rest_from)s.") % {"rest_from": rest_from}


#: Build-back events' kinds on today's page (their words are load.md's, from `build_message`).
BUILD_KINDS = {
    "build_start": GOOD,
    "week_up": GOOD,
    "week_at_goal": GOOD,
    "complete": GOOD,
    "week_hold": INFO,
    "week_missed": INFO,
    "week_absent": INFO,
    "week_down": CAUTION,
    "E2": CAUTION,
    "E3": CAUTION,
}


def today_messages(
    state: PlanState, activity: str, *, rested_today: bool | None = None, logs=None, build_days=None
) -> list[Message]:
    """At most one message per event that fired today, plus the advice still current.

    A paused or referred plan says why in its `hold` block instead, so the events that stopped
    it (E1, E5, a failed check, a second E4) add nothing here; a later event on the same day
    speaks for an earlier one it overrides (E3 over a pass, E4 over E2/E3, E1 over all).
    """
    events = state.events_on(state.today)
    rules = {event.rule for event in events}
    held = state.status in (PAUSED, REFERRED)
    noun = SESSION_NOUN.get(activity, SESSION_NOUN["other"])
    next_session = (
        _("your next %(noun)s is on %(day)s, at level %(level)s.")
        % {"noun": noun, "day": _on(state.next_session_date), "level": state.level}
        if state.next_session_date and state.level
        else ""
    )
    next_check = (
        _("your progress check is on %(day)s.") % {"day": _on(state.check_due_date)} if state.check_due_date else ""
    )
    messages: list[Message] = []
    handled: set[str] = set()
    flare = None if held else flare_on(state, state.today, activity, build_days=build_days)
    for event in events:
        rule = event.rule
        text, kind = "", INFO
        if held and rule in ("pass", "E2", "E3", "E4", "E1", "E5", "check_refer", "check_pass", "E6"):
            continue
        if rule in FLARE_RULES:  # one message for the day's flare, whatever fired it (E2, E3 or both)
            if flare is not None and "flare" not in handled:
                messages.append(Message(rule=flare.rule, kind=CAUTION, text=flare.text, flare=True))
                handled.add("flare")
            continue
        if _is_build_event(event, state):
            # L1/L2 are said once, as today's load advice in the build-back card.
            words = None if rule in ("L1", "L2") else build_message(event, state, activity, logs)
            if words:
                messages.append(Message(rule=rule, kind=BUILD_KINDS.get(rule, INFO), text=str(words).strip()))
            continue
        match rule:
            case "pass" if not rules & {"E3", "E4", "complete"} and next_session:
                text, kind = _("Your %(noun)s went well, so %(next)s") % {"noun": noun, "next": next_session}, GOOD
            case "complete":
                text, kind = describe(event, activity), GOOD
            case "E4":
                why = (
                    _("Two sessions in a row were too much")
                    if "two_failed" in event.detail
                    else _("Your knee flared up three times in a week")
                )
                text = _("%(why)s, so the plan goes back to %(days)s days of rest, then a new check.") % {
                    "why": why,
                    "days": SHORT_REST_DAYS,
                }
                if next_check:
                    text = f"{text} {next_check[:1].upper()}{next_check[1:]}"
                text = f"{text} {CONSIDER_CLINICIAN}"
                kind = CAUTION
                handled.add("E4")
            case "E6":
                text, kind = str(ADVICE["E6"]), CAUTION
                handled.add("E6")
            case "check_pass":
                if state.session_due:
                    text = _("You passed the check, so your graded return starts today with your first session.")
                else:
                    text = _("You passed the check, so your graded return has started.")
                kind = GOOD
            case "check_extend":
                text = _(
                    "Your pain is improving but not settled yet, so rest goes on for %(days)s more days: %(next)s"
                ) % {
                    "days": SHORT_REST_DAYS,
                    "next": next_check,
                }
            case "resume":
                text = _(
                    "Your new knee check fits IT band syndrome again, so the plan goes on: %(days)s days of rest, "
                    "then a check. %(next)s"
                ) % {"days": SHORT_REST_DAYS, "next": next_check[:1].upper() + next_check[1:]}
                kind = GOOD
        if text:
            messages.append(Message(rule=rule, kind=kind, text=text.strip()))
    for code in state.advice:
        if code not in handled and code in ADVICE:
            messages.append(Message(rule=code, kind=CAUTION, text=str(ADVICE[code])))
    if rested_today is False and state.phase == REST and state.status == ACTIVE:
        messages.append(Message(rule="rested_no", kind=INFO, text=str(REST_REMINDER)))
    return messages


CONSIDER_CLINICIAN = gettext_lazy(
    "Consider seeing a physiotherapist or sports doctor: they can look at what is holding you back."
)
REST_REMINDER = gettext_lazy(
    "Resting from the activity that hurts is hard, and one day doesn't undo your progress. "
    "Each rest day from now on helps the knee settle."
)


def _flag_words(flag: str) -> str:
    from .forms import RED_FLAG_CHOICES  # the daily list's own wording (forms import no explain)

    if flag == WHOLE_KNEE:
        return _("Swelling of the whole knee")
    return str(dict(RED_FLAG_CHOICES).get(flag, flag))


def report_link() -> Link:
    """The way to the report a clinician reads (`reports`), for the pause and referral messages."""
    return Link(reverse("reports:report"), _("Your report for a clinician (print, PDF or a link to share)"))


def hold(state: PlanState, *, logs: Mapping, checks: Mapping) -> Hold | None:
    """Why a paused or referred plan stopped, named, and the way on.

    `logs` and `checks` map dates to the saved rows (anything with `new_symptoms`, and for checks
    `daily_pain`, `walk_30`, `squat_pain`, `hop_pain`), already loaded for the page.
    """
    if state.status == PAUSED:
        return _paused(state, logs, checks)
    if state.status == REFERRED:
        return _referred(state, checks)
    return None


def _paused(state: PlanState, logs: Mapping, checks: Mapping) -> Hold:
    outcome = OUTCOME_BY_CODE[state.pause_outcome or Outcome.CLINICIAN_SOON]
    e1 = next((event for event in reversed(state.events) if event.rule == "E1"), None)
    when = e1.date if e1 else state.today
    causes: list[str] = []
    links: list[Link] = []
    screen = [flag for flag in state.pause_flags if flag.startswith("screen:")]
    flags = [flag for flag in state.pause_flags if not flag.startswith("screen:")]
    check = checks.get(when)
    # On one date the check comes before the log: if that day's check holds the flags, it paused.
    from_check = check is not None and set(check.new_symptoms) == set(flags)
    if screen:
        causes.append(
            _("Your knee check on %(day)s pointed to: %(heading)s.")
            % {"day": _on(when), "heading": OUTCOME_BY_CODE[screen[0].removeprefix("screen:")].heading}
        )
    for flag in flags:
        where = _("in your progress check") if from_check else _("in your log")
        causes.append(
            _("On %(day)s you reported %(where)s: “%(sign)s”.")
            % {"day": _on(when), "where": where, "sign": _flag_words(flag)}
        )
    if flags and not from_check and when in logs:
        links.append(
            Link(
                reverse("rehab:log", args=[when.isoformat()]),
                _("I ticked this by mistake: change the log of %(day)s") % {"day": _on(when)},
            )
        )
    links.insert(0, Link(reverse("screening:start"), _("Take the knee check again")))
    links.insert(1, report_link())
    next_step = _(
        "%(step)s Take your report for a clinician with you: it shows your knee checks and every day you "
        "logged. When a clinician has checked your knee, take the knee check again. If it fits IT band "
        "syndrome, the plan goes on with %(days)s days of rest and then a check."
    ) % {"step": outcome.next_step, "days": SHORT_REST_DAYS}
    return Hold(
        status=PAUSED,
        outcome=str(outcome.code),
        heading=_("Your plan is paused: %(heading)s") % {"heading": outcome.heading},
        causes=tuple(causes),
        next_step=next_step,
        links=tuple(links),
    )


def _referred(state: PlanState, checks: Mapping) -> Hold:
    why = next(
        (event for event in reversed(state.events) if event.rule in ("check_refer", "E5", "E4")),
        None,
    )
    causes: list[str] = []
    if why is not None and why.rule == "check_refer":
        check = checks.get(why.date)
        if check is not None:
            short = {
                "daily_pain": check.daily_pain > CHECK_MAX_DAILY_PAIN,
                "walk_30": not check.walk_30,
                "squat_pain": check.squat_pain > CHECK_MAX_SQUAT_PAIN,
                "hop_pain": check.hop_pain > CHECK_MAX_HOP_PAIN,
            }
            causes.append(_("Your progress check on %(day)s did not pass:") % {"day": _on(why.date)})
            causes += [
                CHECK_FALL_SHORT[name] % {"value": getattr(check, name)} for name, failed in short.items() if failed
            ]
        earlier = [e.rule for e in state.events if e.date < why.date]
        if any(rule in ("check_extend", "E4", "resume") for rule in earlier):
            causes.append(_("This was a check after extra rest, so the plan can't add more rest."))
        else:
            causes.append(_("Your worst pain had not come down by 2 points or more since the start of the plan."))
    elif why is not None and why.rule == "E5":
        causes.append(_("Six weeks have passed without finishing the plan."))
    elif why is not None:
        causes.append(
            _("Your knee has needed a step back twice now (on %(day)s the second time).") % {"day": _on(why.date)}
        )
    return Hold(
        status=REFERRED,
        outcome=str(Outcome.CLINICIAN_SOON),
        heading=_("Please see a clinician"),
        causes=tuple(causes),
        next_step=_(
            "Your knee is not improving as expected with this plan. A GP, sports doctor or physiotherapist can look "
            "at what is holding it back. Show them your report for a clinician: it lists your knee checks, every "
            "day you logged and what changed the plan."
        ),
        links=(report_link(), Link(reverse("rehab:timeline"), _("Your timeline"))),
    )


@dataclass(frozen=True)
class Streak:
    days: int  # days logged in a row, ending today (or yesterday while today is not logged yet)
    week_logged: int  # days logged in this plan week, up to today
    week_days: int  # days of this plan week up to today


def logging_streak(state: PlanState, *, week_first: date) -> Streak:
    """From the state alone (its days know which were logged): no query, no walk of the history."""
    today = state.today
    week_days = (today - week_first).days + 1
    logged = sum(1 for day in state.days_between(week_first, today) if day.logged)
    return Streak(days=state.log_streak, week_logged=logged, week_days=week_days)


# --- Build-back (load.md 2026.2 §5 "Messages") ---------------------------------------------------

#: Rules that are build-back's own; E2, E3 and `complete` read as build-back when the plan was in it.
BUILD_RULES = frozenset(
    {"build_start", "week_up", "week_hold", "week_down", "week_missed", "week_absent", "week_at_goal", "L1", "L2"}
)
SETBACK_NOTE = gettext_lazy("Setbacks are common, even with careful plans; this is a small step back.")
BUILD_ADVICE = {
    "L3": gettext_lazy("Your build-back hasn't moved up for 4 weeks. A physiotherapist can help find out why."),
}
BUILD_NOUN = {
    "running": gettext_lazy("running"),
    "cycling": gettext_lazy("cycling"),
    "hiking": gettext_lazy("hiking"),
    "gym": gettext_lazy("gym"),
    "other": gettext_lazy("knee-bending activity"),
}


def _weeks_by_key(state: PlanState) -> dict:
    return {(week.build, week.index): week for week in state.weeks}


def _is_build_event(event: Event, state: PlanState | None = None) -> bool:
    """Build-back's own rules; E2/E3 in build (a week's, or on a gap day: no level); `complete`
    after build-back weeks."""
    if event.rule in BUILD_RULES:
        return True
    if event.rule in ("E2", "E3"):
        return event.build is not None or event.level is None
    if event.rule == "complete" and state is not None:
        return any(week.start < event.date for week in state.weeks)
    return False


def build_message(event: Event, state: PlanState, activity: str, logs=None) -> str | None:
    """load.md's sentence for a build-back event (None for an event that isn't build-back's).

    `logs` (date → a log with `activities`), when given, lets L2 name the next session's limit
    from the very entry that fired it."""
    if not _is_build_event(event, state):
        return None
    weeks = _weeks_by_key(state)
    week = weeks.get((event.build, event.week))
    following = weeks.get((event.build, (event.week or 0) + 1))
    goal = state.build.goal_minutes if state.build else None
    if goal is None:  # the goal the weeks were capped at (at_goal weeks are at G)
        number = event.build or max((w.build for w in state.weeks), default=None)
        goal = max((w.target_minutes for w in state.weeks if w.build == number), default=0)
    noun = SESSION_NOUN.get(activity, SESSION_NOUN["other"])
    match event.rule:
        case "build_start":
            return _(
                "Level 8 done. Now we build back toward your usual %(goal)s minutes a week, starting with %(target)s "
                "minutes."
            ) % {"goal": goal, "target": week.target_minutes if week else "–"}
        case "week_up" if week and following:
            return _("Last week went well (%(done)s of %(target)s min, knee settled). This week: %(next)s minutes.") % {
                "done": week.done_minutes,
                "target": week.target_minutes,
                "next": following.target_minutes,
            }
        case "week_hold" if week:
            return _("This week repeats %(target)s minutes: %(why)s.") % {
                "target": week.target_minutes,
                "why": _hold_reason(event, week, weeks),
            }
        case "week_down" if following:
            return (
                _("Your load jumped and your knee pain rose in the same week, so this week drops to %(next)s minutes.")
                % {"next": following.target_minutes}
                + " "
                + str(SETBACK_NOTE)
            )
        case "week_missed" if week:
            return _("No sessions logged last week, so this week repeats %(target)s minutes.") % {
                "target": week.target_minutes
            }
        case "week_absent" if following:
            return _("No sessions logged last week, so this week restarts a little lower, at %(next)s minutes.") % {
                "next": following.target_minutes
            }
        case "week_at_goal":
            held = state.build.goal_weeks if state.build else 2
            return _("You're at your usual %(goal)s minutes. Pain-free weeks held: %(held)s of 2.") % {
                "goal": goal,
                "held": held,
            }
        case "E2" | "E3":
            if event.rule == "E2":
                why = _("Your pain went above 3 (or you stopped early)")
            else:
                why = _("Your knee was worse this morning")
            after = following.target_minutes if following else (week.target_minutes if week else None)
            if after is None or any(e.rule == "E4" and e.date == event.date for e in state.events):
                text = _("%(why)s: no %(activity)s tomorrow.") % {"why": why, "activity": noun}
            else:
                text = _("%(why)s: no %(activity)s tomorrow, then %(next)s minutes a week.") % {
                    "why": why,
                    "activity": noun,
                    "next": after,
                }
            return text + " " + str(SETBACK_NOTE)
        case "L1":
            ratio = _event_ratio(state, event)
            return _(
                "Your knee-bending activity this week is %(ratio)s× your recent weeks. Stick to the plan for a few days."
            ) % {"ratio": ratio}
        case "L2":
            allowed = _l2_allowed(event, state, activity, logs)
            if allowed is None:
                return _("That %(activity)s was over 10%% longer than your longest in 30 days.") % {"activity": noun}
            return _(
                "That %(activity)s was over 10%% longer than your longest in 30 days. Keep the next one under "
                "%(allowed)s minutes."
            ) % {"activity": noun, "allowed": allowed}
        case "complete":
            return _(
                "Two pain-free weeks at your usual %(goal)s minutes: build-back complete. Keep any increase gradual."
            ) % {"goal": goal}
    return None


def _l2_allowed(event: Event, state: PlanState, activity: str, logs) -> int | None:
    """⌊1.1 × the entry that fired L2⌋ (it is the new longest), else today's limit if the event
    is in the past (today's 30 days then hold it)."""
    from .buildback import L2_BOUND, floor

    log = logs.get(event.date) if logs else None
    minutes = [e.duration_min for e in getattr(log, "activities", ()) if e.kind == activity]
    if minutes:
        return floor(L2_BOUND * max(minutes))
    if state.build is not None and event.date < state.today:
        return state.build.longest_allowed_minutes
    return None


def _hold_reason(event: Event, week, weeks) -> str:
    if "rising" in event.detail:
        before = weeks.get((week.build, week.index - 1))
        p = before.max_pain_during if before and before.max_pain_during is not None else 0
        return _("your session pain rose from %(p)s to %(q)s") % {"p": p, "q": week.max_pain_during}
    if "spiky" in event.detail:
        return _("your knee-bending load jumped")
    return _("you did %(done)s of %(target)s") % {"done": week.done_minutes, "target": week.target_minutes}


def _event_ratio(state: PlanState, event: Event) -> str:
    if state.build is not None and state.build.load_ratio is not None and event.date == state.today:
        from .buildback import ratio_2dp

        return str(ratio_2dp(state.build.load_ratio))
    return _("over 1.3")


def build_advice(state: PlanState) -> list[str]:
    """Today's load advice in words (L1, L2, L3); E4 and E6 stay in `ADVICE`."""
    out = []
    build = state.build
    if "L1" in state.advice:
        ratio = build.load_ratio if build else None
        if ratio is not None:
            from .buildback import ratio_2dp

            out.append(
                _(
                    "Your knee-bending activity this week is %(ratio)s× your recent weeks. Stick to the plan for a "
                    "few days."
                )
                % {"ratio": ratio_2dp(ratio)}
            )
        else:
            out.append(_("Your knee-bending activity this week is well above your recent weeks. Stick to the plan."))
    if "L2" in state.advice:
        allowed = build.longest_allowed_minutes if build else None
        if allowed is not None:
            out.append(
                _(
                    "Your last session was over 10%% longer than your longest in 30 days. Keep the next one under %(n)s minutes."
                )
                % {"n": allowed}
            )
        else:
            # xgettext:no-python-format
            out.append(_("Your last session was over 10% longer than your longest in 30 days."))
    if "L3" in state.advice:
        out.append(str(BUILD_ADVICE["L3"]))
    return out


def describe_all(
    state: PlanState, events, activity: str, logs=None, *, flare_words: bool = False, build_days=None
) -> list[str]:
    """One sentence per event: build-back's in load.md's words, the rest as plan.md 2026.1.

    `logs` (date → a log with `activities`), when given, lets L2 name the next session's limit.
    With `flare_words`, a date's flare (E2, E3 or both) reads as its one flare message
    (`flare_on`), given for the first of its events; the others on that date get "".
    """
    events = list(events)
    plain = [event for event in events if not _is_build_event(event, state)]
    words = dict(zip(map(id, plain), _describe_plain(state, plain, activity), strict=True))
    out = []
    flares: dict[date, Flare | None] = {}
    said: set[date] = set()
    for event in events:
        if flare_words and event.rule in FLARE_RULES:
            if event.date not in flares:
                flares[event.date] = flare_on(state, event.date, activity, build_days=build_days)
            flare = flares[event.date]
            if flare is not None:
                out.append("" if event.date in said else flare.text)
                said.add(event.date)
                continue
        out.append(words.get(id(event)) or build_message(event, state, activity, logs) or event.rule)
    return out


# --- One flare message (E2/E3): what happened, what changes, what to do for the pain today -------

FLARE_RULES = ("E2", "E3")

#: plan.md's pain-monitoring model and its E6 advice, as what to do for the pain on the day.
FLARE_RELIEF = gettext_lazy(
    "For the pain today: rest from %(rest_from)s and anything else that brings the pain on. Walking on the "
    "flat as far as is comfortable, and your stretches, are fine if they don't hurt. The pain should settle "
    "within 24 hours; don't use painkillers to keep training. If it is worse tomorrow morning, or you notice "
    "a warning sign, log it."
)


@dataclass(frozen=True)
class Flare:
    """A date's flare in one message: E2 (a session that hurt) and E3 (a flare the next morning),
    in return or build-back. `next_date` and `next_level` (return) or `next_week_minutes` (build)
    are the engine's next session; said once, here."""

    date: date
    rule: str  # "E2", or "E3" when only E3 fired
    happened: str
    changes: str
    relief: str
    next_date: date | None
    next_level: int | None = None
    next_week_minutes: int | None = None
    in_build: bool = False

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.happened, self.changes, self.relief) if part)


def _sentence(parts: list[str]) -> str:
    text = _(" and ").join(parts)
    return text[:1].upper() + text[1:] + "."


def flare_on(state: PlanState, day: date, activity: str, *, build_days=None) -> Flare | None:
    """The flare message of `day` (None without E2/E3 that day, or when E4, a pause or a referral
    on that day speaks instead). Dates and levels are the engine's: today's from the state, an
    earlier day's from its events and weeks (what the engine set then)."""
    events = state.events_on(day)
    flares = [event for event in events if event.rule in FLARE_RULES]
    if not flares or any(event.rule in ("E1", "E4", "E5") for event in events):
        return None
    info = state.day_of(day)
    if info is not None and info.status in (PAUSED, REFERRED):
        return None
    noun = SESSION_NOUN.get(activity, SESSION_NOUN["other"])
    e2 = next((event for event in flares if event.rule == "E2"), None)
    e3 = next((event for event in flares if event.rule == "E3"), None)
    parts = []
    if e2 is not None:
        if "pain_above_3" in e2.detail:
            parts.append(_("your pain went above 3 during the %(noun)s") % {"noun": noun})
        if "stopped_early" in e2.detail:
            parts.append(_("you stopped the %(noun)s early") % {"noun": noun})
    if e3 is not None:
        if "morning_pain" in e3.detail:
            parts.append(_("your knee was worse this morning (morning pain up 2 or more points)"))
        if "swelling" in e3.detail:
            parts.append(_("new swelling appeared on the outside of your knee"))
    happened = _sentence(parts) if parts else ""
    relief = str(FLARE_RELIEF) % {"rest_from": REST_FROM.get(activity, REST_FROM["other"])}
    rule = "E2" if e2 is not None else "E3"
    in_build = any(_is_build_event(event, state) for event in flares)
    if not in_build:
        if day == state.today and state.next_session_date and state.level:
            next_date, level = state.next_session_date, state.level
        else:
            next_date = day + timedelta(days=SESSION_GAP)
            level = e3.level if e3 is not None and e3.level else max(1, (e2.level or 1) - 1)
        changes = _("No session tomorrow: your next %(noun)s is on %(day)s, at level %(level)s.") % {
            "noun": noun,
            "day": _on(next_date),
            "level": level,
        }
        return Flare(day, rule, happened, changes, relief, next_date, next_level=level)
    following = next((week for week in state.weeks if week.start > day), None)
    activity_noun = BUILD_NOUN.get(activity, BUILD_NOUN["other"])
    if following is None:
        changes = _("No %(activity)s tomorrow.") % {"activity": activity_noun}
        return Flare(day, rule, happened, f"{changes} {SETBACK_NOTE}", relief, None, in_build=True)
    days = tuple(state.build.build_days) if state.build else tuple(build_days or ())
    next_date = _first_build_day(following.start, days)
    if next_date is None:
        changes = _("No %(activity)s tomorrow, then %(minutes)s minutes a week.") % {
            "activity": activity_noun,
            "minutes": following.target_minutes,
        }
    else:
        changes = _("No %(activity)s tomorrow, then %(minutes)s minutes a week: your next %(noun)s is on %(day)s.") % {
            "activity": activity_noun,
            "minutes": following.target_minutes,
            "noun": noun,
            "day": _on(next_date),
        }
    return Flare(
        day,
        rule,
        happened,
        f"{changes} {SETBACK_NOTE}",
        relief,
        next_date,
        next_week_minutes=following.target_minutes,
        in_build=True,
    )


def _first_build_day(start: date, build_days) -> date | None:
    """The first of the person's build days on or after a week's start (the engine's first
    `session_due` date of that week)."""
    from .buildback import WEEKDAYS

    if not build_days:
        return None
    for offset in range(7):
        when = start + timedelta(days=offset)
        if WEEKDAYS[when.weekday()] in build_days:
            return when
    return None


# --- Build-back as the plan's next chapter (load.md §3) -------------------------------------------

WEEKDAY_NAMES = {
    "mon": gettext_lazy("Monday"),
    "tue": gettext_lazy("Tuesday"),
    "wed": gettext_lazy("Wednesday"),
    "thu": gettext_lazy("Thursday"),
    "fri": gettext_lazy("Friday"),
    "sat": gettext_lazy("Saturday"),
    "sun": gettext_lazy("Sunday"),
}


def build_days_words(build_days) -> str:
    """ "Monday, Wednesday and Friday": the person's build days, Monday first."""
    from .buildback import WEEKDAYS

    names = [str(WEEKDAY_NAMES[code]) for code in WEEKDAYS if code in build_days]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def build_session_rules(build_days) -> tuple[str, ...]:
    """The session rules of build-back: the return's (ladders.SESSION_RULES) with its "every
    other day" replaced by the person's own build days (load.md §2: they choose 2–6)."""
    from .ladders import SESSION_RULES

    days = _("On your build days: %(days)s. Log every run, on any day: the week counts them all.") % {
        "days": build_days_words(build_days)
    }
    return (days, *(str(rule) for rule in SESSION_RULES[1:]))


@dataclass(frozen=True)
class BuildOffer:
    """The way on when the plan is done and no usual week is set: build-back (load.md §3)."""

    why: str


def offer_build(state: PlanState, *, has_goal: bool) -> BuildOffer | None:
    """When level 8 is passed (the plan complete) or the 30 days are over, and no usual week is
    set, build-back is the next chapter: the main action on today's page, with a one-line why."""
    if has_goal or state.status in (PAUSED, REFERRED):
        return None
    if state.status == COMPLETE and not state.weeks:
        return BuildOffer(
            why=_(
                "Level 8 is done. Tell us your usual week before the pain, and we build back to it in small "
                "weekly steps, watching your knee."
            )
        )
    if state.status == ACTIVE and state.phase == RETURN and state.day > PLAN_DAYS:
        return BuildOffer(
            why=_("Your 30 days are over. Set your usual week now, and build-back starts as soon as you pass level 8.")
        )
    return None
