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
