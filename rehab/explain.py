"""Plain words for what the engine decided: every rule that changes the plan says so."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.rules import OUTCOME_BY_CODE, Outcome

from .progression import MAX_LEVEL, SHORT_REST_DAYS, Event, PlanState, flag_outcome, most_urgent

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
                "Your knee flared up (%(why)s), so take 2 days without a session, then go on at level %(level)s."
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
            return _("You reported a warning sign, so the plan is paused. %(heading)s: %(next)s") % {
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
            return _("You passed the check: your graded return starts today at level 1.")
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


def describe_all(state: PlanState, events, activity: str) -> list[str]:
    """Sentences for `events`, counting E4s so the second one reads as a referral."""
    e4s = [event for event in state.events if event.rule == "E4"]
    return [describe(event, activity, e4_count=e4s.index(event) + 1 if event in e4s else 1) for event in events]


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


def messages_for(state: PlanState, events, activity: str, logs=None) -> list[str]:
    """Every event's sentence, build-back's in load.md's words and the rest as `describe_all`."""
    events = list(events)
    plain = [event for event in events if not _is_build_event(event, state)]
    words = dict(zip(map(id, plain), describe_all_2026_1(state, plain, activity), strict=True))
    return [words.get(id(event)) or build_message(event, state, activity, logs) or event.rule for event in events]


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
            out.append(_("Your last session was over 10% longer than your longest in 30 days."))
    if "L3" in state.advice:
        out.append(str(BUILD_ADVICE["L3"]))
    return out


# `describe_all` (above) reads every event as plan.md 2026.1 does, where a session always has a
# level. Rebound here, at the end, so that every caller (today, the timeline's chart, the report)
# reads build-back's events in load.md's words and the others exactly as before.
describe_all_2026_1 = describe_all


def describe_all(state: PlanState, events, activity: str) -> list[str]:  # noqa: F811
    """One sentence per event: build-back's in load.md's words, the rest as plan.md 2026.1."""
    return messages_for(state, events, activity)
