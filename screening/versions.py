"""The words of earlier rules versions, for screens stored under them.

A stored screen keeps its version, answers, outcome and reason ids (screening.md, "Python
contract"). Its printable summary, result page and clinician report must also keep the words the
person answered, so the questions and reasons that changed in a later version are kept here,
word for word as they were, with each version's question order (retired ids included:
`walking_or_groin_pain` was asked in 2026.2 only).

Pure data and lookups: no request, no database. `rules` does not import this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import rules

#: 2026.2's words for the questions 2026.3 reworded or retired.
_QUESTIONS_2026_2: dict[str, str] = {
    "compartment_signs": _(
        "After an injury, is the pain severe and getting worse, far more than the injury explains, "
        "with a tight, hard, swollen calf or shin?"
    ),
    "hot_swollen_fever": _("Is the knee hot, red and swollen, and do you have a fever or chills or feel unwell?"),
    "rapid_swelling": _("Is the knee badly swollen, or did it swell up within a few hours of a twist or blow?"),
    "cannot_bear_weight": _("Are you unable to put any weight on the leg at all, or is the pain very severe?"),
    "hot_swollen_knee": _("Is the knee hot, red and swollen, even without a fever?"),
    "child_limp_hip": _("Are you limping, or is there pain in your hip, groin or thigh as well as your knee?"),
    "catching_giving_way": _("Does the knee catch, lock for a moment, click painfully or give way under you?"),
    "night_or_rest_pain": _(
        "Does the pain wake you at night, stay even when resting, or keep getting worse whatever you do?"
    ),
    "weight_loss_cancer": _("Have you had unexplained weight loss or night sweats, or have you had cancer?"),
    "bone_spot_pain": _(
        "Does pressing one spot on the shin or thigh bone hurt sharply, or does hopping on that leg hurt "
        "in the bone itself (not at the outside of the knee)?"
    ),
    "walking_or_groin_pain": _(
        "Does it now hurt just to walk normally, or do you have an ache in the groin or the front of the hip?"
    ),
    "numbness_shin_foot": _(
        "Do you have numbness, tingling or burning down the outside of the shin or on top of the foot, "
        "or does the foot slap when you walk?"
    ),
    "recent_knee_surgery": _(
        "Have you had surgery on this knee in the last 6 months, or do you have a knee replacement or metalwork?"
    ),
}

#: 2026.2's reason words where 2026.3 changed them (2026.1 had the same ones, where it had the id).
_REASONS_2026_2: dict[str, str] = {
    "compartment_signs": _(
        "You may have severe, worsening pain with a tight, hard, swollen calf or shin after an injury, "
        "which can mean pressure is building up inside the leg."
    ),
    "hot_swollen_fever": _(
        "Your knee may be hot, red and swollen while you feel feverish or unwell, "
        "which can mean an infection in the joint."
    ),
    "rapid_swelling": _(
        "Your knee may be badly swollen, or it swelled up within hours of a twist or blow, "
        "which can mean bleeding inside the joint."
    ),
    "cannot_bear_weight": _("You may be unable to put any weight on the leg, or the pain may be very severe."),
    "hot_swollen_knee": _(
        "Your knee may be hot, red and swollen. Even without a fever this can mean an infection in the joint, "
        "so it should be checked today."
    ),
    "child_limp_hip": _(
        "You may be limping, or have pain in the hip, groin or thigh as well as the knee. "
        "In children this can come from the hip and needs a same-day check and X-ray."
    ),
    "catching_giving_way": _(
        "Your knee may catch, lock for a moment, click painfully or give way, "
        "which can mean a problem inside the joint."
    ),
    "night_or_rest_pain": _(
        "Your pain may wake you at night, stay when you rest, or keep getting worse, "
        "which IT band pain usually does not do."
    ),
    "weight_loss_cancer": _(
        "You may have had weight loss or night sweats you can't explain, or you have had cancer, "
        "so a clinician should check for other causes."
    ),
    "walking_or_groin_pain": _(
        "It may hurt just to walk normally, or you may have an ache in the groin or front of the hip, "
        "which can be a sign of a small crack in the thigh bone."
    ),
    "recent_knee_surgery": _(
        "You may have had surgery on this knee in the last 6 months, or have a knee replacement or metalwork."
    ),
    "child_cannot_bear_weight": _(
        "You are under 16 and may be unable to put weight on the leg, or the pain is very severe. "
        "A child who can't stand on the leg needs to be seen now."
    ),
    "too_few_supporting": _("Fewer than 3 of your answers matched the usual pattern of IT band pain."),
}

#: Red-flag questions a later version retired, with the level a yes carried when they were asked.
_RETIRED_LEVELS: dict[str, str] = {"walking_or_groin_pain": rules.CLINICIAN_SOON}

_NEW_IN_2026_3 = ("fracture_no_injury", "groin_pain_with_load")
_NEW_IN_2026_2 = ("hot_swollen_knee", "blood_thinner_swelling", "child_limp_hip", "walking_or_groin_pain")


def _order_2026_2() -> tuple[str, ...]:
    order = [q.id for q in rules.QUESTIONS if q.id not in _NEW_IN_2026_3]
    order.insert(order.index("bone_spot_pain") + 1, "walking_or_groin_pain")
    return tuple(order)


@dataclass(frozen=True)
class Wording:
    """One rules version's words: question ids in its order, and its question and reason texts."""

    version: str
    order: tuple[str, ...]
    questions: Mapping[str, str]
    reasons: Mapping[str, str]

    def question(self, question_id: str) -> str:
        """The question as this version asked it (an id the version never had keeps its id)."""
        if question_id in self.questions:
            return self.questions[question_id]
        if question_id in rules.QUESTIONS_BY_ID:
            return rules.QUESTIONS_BY_ID[question_id].text
        return question_id

    def reason(self, reason_id: str) -> str:
        if reason_id in self.reasons:
            return self.reasons[reason_id]
        return rules.reason_text(reason_id)

    def rows(self, answers: Mapping[str, object]) -> list[tuple[str, str, object]]:
        """(id, question words, answer) for every stored answer, in the order this version asked
        them; an id this version did not know comes last (never dropped)."""
        known = [qid for qid in self.order if qid in answers]
        unknown = sorted(qid for qid in answers if qid not in self.order)
        return [(qid, self.question(qid), answers[qid]) for qid in known + unknown]

    def red_flags(self, answers: Mapping[str, object]) -> list[tuple[str, str, object]]:
        """`rows(answers)` of the red-flag questions only (a yes or "not sure" to one leads to a
        clinician or further), retired ones included, in the order this version asked them."""
        return [row for row in self.rows(answers) if red_flag_level(row[0]) is not None]


def red_flag_level(question_id: str) -> str | None:
    """The outcome a yes to this question leads to when it is a red flag (any version), else None."""
    question = rules.QUESTIONS_BY_ID.get(question_id)
    return question.level if question is not None else _RETIRED_LEVELS.get(question_id)


_CURRENT = Wording(rules.VERSION, tuple(q.id for q in rules.QUESTIONS), {}, {})
_2026_2 = Wording("2026.2", _order_2026_2(), _QUESTIONS_2026_2, _REASONS_2026_2)
_2026_1 = Wording(
    "2026.1",
    tuple(qid for qid in _2026_2.order if qid not in _NEW_IN_2026_2),
    {
        **_QUESTIONS_2026_2,
        "bone_spot_pain": _(
            "Does pressing one spot on the shin or thigh bone hurt sharply, and does hopping on that leg hurt?"
        ),
    },
    _REASONS_2026_2,
)
WORDINGS: dict[str, Wording] = {w.version: w for w in (_2026_1, _2026_2, _CURRENT)}


def wording(version: str | None) -> Wording:
    """The words of `version`; the current ones for a version we do not know."""
    return WORDINGS.get(version or "", _CURRENT)


def reason_text(reason_id: str, version: str | None = None) -> str:
    """A reason in the words of the version that gave it (the current version's by default)."""
    return wording(version or rules.VERSION).reason(reason_id)
