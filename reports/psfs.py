"""The report's function-score block (templates/reports/_psfs.html): the trend sentence, the PSFS
table of the report's dates and the change from the first rating to the latest against the
2 points of `rehab.change`, from what `selectors.export_data` already read (no query)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.utils.translation import gettext_lazy as _

from rehab import outcomes
from rehab.change import BETTER, NO_CLEAR_CHANGE, PSFS_MDC, WORSE, shown
from rehab.selectors import PlanPage

VERDICT_WORDS = {
    BETTER: _("Improved by at least the 2-point minimum detectable change"),
    WORSE: _("Worse by at least the 2-point minimum detectable change"),
    NO_CLEAR_CHANGE: _("Within the 2-point minimum detectable change (no clear change)"),
}


def psfs_section(page: PlanPage, first: date, last: date) -> dict | None:
    """The trend (the plan's, as of today: the timeline's sentence) and the ratings dated
    first..last with their change; None when there is neither."""
    psfs = page.psfs
    within = replace(psfs, scores={day: scores for day, scores in psfs.scores.items() if first <= day <= last})
    trend = outcomes.trend(page.state, outcomes.pain_weeks(page.state, page.pain), outcomes.function_score(psfs))
    table = outcomes.psfs_table(within)
    if not trend and not table.rows:
        return None
    score = outcomes.function_score(within)
    change = score.change
    words = VERDICT_WORDS.get(change.verdict)
    return {
        "trend": trend,
        "today": page.state.today,
        "table": table,
        "change": {
            "first": score.first,
            "last": score.last,
            "before": shown(change.before),
            "after": shown(change.after),
            "difference": f"{change.difference:+.1f}",
            "words": words,
            "threshold": shown(PSFS_MDC),
        }
        if words
        else None,
    }
