"""What the "Your plan" page explains: the ladders, the check, the session rules, the pain
model and the eject rules, each with one line of why and its source (`evidence.md`).

Pure: every number comes from `rehab.progression`'s constants and every session from
`rehab.ladders`, so the page cannot drift from what the engine does. Which rung is done,
current or next is read from the engine's `PlanState`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .ladders import ACTIVITIES, LADDERS
from .progression import (
    CHECK_MAX_DAILY_PAIN,
    CHECK_MAX_HOP_PAIN,
    CHECK_MAX_SQUAT_PAIN,
    COMPLETE,
    E3_MORNING_RISE,
    E4_WINDOW_DAYS,
    E5_DAY,
    E6_RUN_DAYS,
    IMPROVING_DROP,
    MAX_LEVEL,
    PLAN_DAYS,
    REST_DAYS,
    RETURN,
    SESSION_GAP,
    SESSION_MAX_PAIN,
    SHORT_REST_DAYS,
    PlanState,
)

DONE, CURRENT, NEXT = "done", "current", "next"


@dataclass(frozen=True)
class Rung:
    level: int
    text: str
    mark: str  # "done" | "current" | "next" | "" (to come)


@dataclass(frozen=True)
class Ladder:
    activity: str
    label: str
    rungs: tuple[Rung, ...]
    own: bool  # the person's own activity (shown first and open)


@dataclass(frozen=True)
class Rule:
    title: str
    text: str
    why: str
    source: str


@dataclass(frozen=True)
class CheckItem:
    question: str
    passes: str


def marks(state: PlanState | None) -> dict[int, str]:
    """Level -> "done" / "current" / "next", from the engine's state (nothing for a generic ladder).

    In the return phase the levels below the next session's level are done, that level is
    current and the one above it next. In rest, level 1 comes next (after the check); a completed
    plan has every level done.
    """
    if state is None:
        return {}
    if state.phase == COMPLETE:
        return dict.fromkeys(range(1, MAX_LEVEL + 1), DONE)
    if state.phase == RETURN and state.level is not None:
        found = dict.fromkeys(range(1, state.level), DONE)
        found[state.level] = CURRENT
        if state.level < MAX_LEVEL:
            found[state.level + 1] = NEXT
        return found
    return {1: NEXT}


def ladders(activity: str | None, state: PlanState | None) -> list[Ladder]:
    """Every activity's ladder; the person's own first, marked from `state`."""
    own_marks = marks(state)
    result = []
    for code, label in ACTIVITIES:
        own = code == activity
        found = own_marks if own else {}
        rungs = tuple(
            Rung(level=n, text=str(text), mark=found.get(n, "")) for n, text in enumerate(LADDERS[code], start=1)
        )
        result.append(Ladder(activity=code, label=str(label), rungs=rungs, own=own))
    result.sort(key=lambda ladder: not ladder.own)
    return result


def check_items(labels: dict[str, str]) -> list[CheckItem]:
    """The check's questions (the form's own labels) and what passing each takes."""
    return [
        CheckItem(labels["check_new_symptoms"], _("None of them")),
        CheckItem(labels["check_daily_pain"], _("%(max)s out of 10 or less") % {"max": CHECK_MAX_DAILY_PAIN}),
        CheckItem(labels["check_walk_30"], _("Yes")),
        CheckItem(labels["check_squat_pain"], _("%(max)s out of 10 or less") % {"max": CHECK_MAX_SQUAT_PAIN}),
        CheckItem(labels["check_hop_pain"], _("%(max)s out of 10 or less") % {"max": CHECK_MAX_HOP_PAIN}),
    ]


def shape() -> dict[str, int]:
    """The plan's numbers as the page states them."""
    return {
        "plan_days": PLAN_DAYS,
        "rest_days": REST_DAYS,
        "short_rest_days": SHORT_REST_DAYS,
        "levels": MAX_LEVEL,
        "gap": SESSION_GAP,
        "improving_drop": IMPROVING_DROP,
        "max_pain": SESSION_MAX_PAIN,
    }


def rest_rules() -> list[Rule]:
    return [
        Rule(
            _("Rest first"),
            _(
                "For the first %(days)s days, avoid the activity that brings on the pain. Exercise that "
                "doesn't hurt (swimming, pool running, flat walking) is fine."
            )
            % {"days": REST_DAYS},
            _(
                "Rest lets the irritated tissue on the outside of the knee settle; rest of 2 to 6 weeks is one of the usual first steps."
            ),
            "Beals 2013",
        ),
        Rule(
            _("Hip strength and stretches"),
            _("Stretches every day, and the hip strengthening set on alternate days, as the exercise list shows."),
            _("In one small study, most runners recovered after six weeks of hip strengthening."),
            "Fredericson 2000; JOSR 2020",
        ),
    ]


def session_rules() -> list[Rule]:
    return [
        Rule(
            _("One level per session"),
            _("Each session that goes well moves you up one level, to level %(levels)s.") % {"levels": MAX_LEVEL},
            _("Small steps let the knee get used to the load without flaring up."),
            _("walk-run return programmes (Dynamic-PT, AOPT-RTR, NHS Couch to 5K)"),
        ),
        Rule(
            _("Every other day only"),
            _(
                "The next session is %(gap)s days after the last one. On the days between, do the strength "
                "set and any exercise that doesn't hurt."
            )
            % {"gap": SESSION_GAP},
            _(
                "The day between gives the knee time to recover, and the next morning shows how it took the "
                "session before you load it again."
            ),
            _("walk-run return programmes (NHS Couch to 5K, Dynamic-PT); Silbernagel 2007"),
        ),
        Rule(
            _("Flat ground"),
            _("No downhill, sloping (cambered) roads or tight turns."),
            _(
                "The band presses hardest at a small knee bend, just after the foot lands; "
                "running downhill makes that worse."
            ),
            "Orchard 1996",
        ),
        Rule(
            _("Easy effort, after a warm-up"),
            _("Walk briskly for 5 minutes first, and keep the whole session easy."),
            _("Return programmes build time before effort."),
            _("walk-run return programmes (Dynamic-PT, AOPT-RTR)"),
        ),
    ]


def pain_rules() -> list[Rule]:
    return [
        Rule(
            _("During a session"),
            _(
                "Outside-of-knee pain up to %(max)s out of 10 that is not rising is fine. Above %(max)s, "
                "rising, or a limp: stop and walk home."
            )
            % {"max": SESSION_MAX_PAIN},
            _(
                "Some mild pain is acceptable while the knee gets used to load; this limit is stricter than "
                "the study's 5 out of 10 on purpose, because this pain tends to build once it starts."
            ),
            _("Silbernagel 2007 (a design choice of this plan)"),
        ),
        Rule(
            _("After a session"),
            _(
                "Pain should settle back to normal within 24 hours, and next-morning pain should not be "
                "%(rise)s or more points above the morning before."
            )
            % {"rise": E3_MORNING_RISE},
            _("Pain that settles by the next morning shows the knee coped with the load."),
            "Silbernagel 2007",
        ),
    ]


def eject_rules() -> list[Rule]:
    weeks = (E5_DAY - 1) // 7
    return [
        Rule(
            _("A session that hurts"),
            _(
                "Pain above %(max)s during a session, or stopping early: the next session repeats one level "
                "lower (never below level 1)."
            )
            % {"max": SESSION_MAX_PAIN},
            _("Stepping back a little keeps a flare from building."),
            _("Silbernagel 2007; a design choice of this plan"),
        ),
        Rule(
            _("A flare the next day"),
            _(
                "Morning pain %(rise)s or more points above the day before, or new swelling on the outside of "
                "the knee: %(gap)s days without a session, then one level below your last session."
            )
            % {"rise": E3_MORNING_RISE, "gap": SESSION_GAP},
            _("Pain that has not settled by the morning means the last load was too much for now."),
            _("Silbernagel 2007; a design choice of this plan"),
        ),
        Rule(
            _("Repeated setbacks"),
            _(
                "Two failed sessions in a row, or three step-backs within %(window)s days: back to rest for "
                "%(days)s days, then a new check. A second time, the plan suggests seeing a clinician."
            )
            % {"window": E4_WINDOW_DAYS + 1, "days": SHORT_REST_DAYS},
            _("If it is not getting better, a physiotherapist can look at what is holding you back."),
            "Pegrum 2019",
        ),
        Rule(
            _("Warning signs"),
            _(
                "Any warning sign in the daily log (such as whole-knee swelling, locking, giving way or "
                "numbness) puts the plan on hold and tells you whom to see and how soon."
            ),
            _("These are not IT band pain and need a clinician; it is safer to check too often than too rarely."),
            "Semigran 2015",
        ),
        Rule(
            _("Not better in time"),
            _("If the plan is not complete by day %(day)s (%(weeks)s weeks), it suggests seeing a clinician.")
            % {"day": E5_DAY, "weeks": weeks},
            _(
                "About 4 in 10 people are fully better by 8 weeks; not improving after 4 to 6 weeks is a reason "
                "to get checked."
            ),
            "Beals 2013",
        ),
        Rule(
            _("Painkillers"),
            _(
                "Anti-inflammatory painkillers on more than %(days)s days in a row: ask a pharmacist or doctor, "
                "and don't use them to keep training."
            )
            % {"days": E6_RUN_DAYS - 1},
            _("There is no proven single fix, and painkillers can hide the pain that guides the plan."),
            "Ellis 2007",
        ),
    ]
