"""The red-flag screen as data plus one pure function, `triage`.

Source of truth: `shared/domain/screening.md` (version 2026.3). Ids, answer values and outcome
codes are a public contract (forms, stored answers, exports and tests use them verbatim), so they
are spelled out here as literals, never derived from wording.

Pure on purpose: no ORM, no request, no clock. Views hand in the answers they collected and
render the `Triage` they get back; they never make a clinical decision themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

VERSION = "2026.3"
#: Earlier versions whose stored screens keep their answers, outcome, reason ids and their own
#: question words (`screening.versions` holds the words that changed since).
EARLIER_VERSIONS = ("2026.1", "2026.2")

YES, NO, UNSURE = "yes", "no", "unsure"
ANSWER_VALUES = (YES, NO, UNSURE)

ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("running", _("Running")),
    ("cycling", _("Cycling")),
    ("hiking", _("Hiking or walking")),
    ("gym", _("Gym or strength training")),
    ("other", _("Something else")),
)
ACTIVITY_CODES = tuple(code for code, _label in ACTIVITIES)


class Outcome(StrEnum):
    """The five outcomes (a contract), most to least urgent: the one home of their codes, order,
    headings, next steps and whether a plan may start. Members compare equal to their codes, so
    stored strings and templates can use either."""

    EMERGENCY = "emergency"
    URGENT_TODAY = "urgent_today"
    CLINICIAN_SOON = "clinician_soon"
    NOT_TYPICAL = "not_typical"
    ITBS_LIKELY = "itbs_likely"

    @property
    def urgency(self) -> int:
        """0 = most urgent (emergency) … 4 = least (itbs_likely): the declaration order."""
        return _OUTCOME_ORDER.index(self)

    @property
    def plan_allowed(self) -> bool:
        return self is Outcome.ITBS_LIKELY

    @property
    def is_red_flag(self) -> bool:
        """A level that needs a clinician (emergency, urgent_today, clinician_soon)."""
        return self.urgency <= Outcome.CLINICIAN_SOON.urgency

    @property
    def heading(self) -> str:
        # A plain string in the active language, so callers may join it with others
        # ("; ".join(...) of lazy strings raised TypeError: the report and timeline after a
        # red-flag screen during a plan). `choices()` keeps the lazy text for the model field.
        return str(_OUTCOME_TEXT[self][0])

    @property
    def next_step(self) -> str:
        return _OUTCOME_TEXT[self][1]

    @property
    def to_book(self) -> str:
        """What to book, for the outcomes whose main action is an appointment ("" for the others)."""
        return _TO_BOOK.get(self, "")

    @property
    def code(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(code, heading) pairs for model and form choices, most urgent first."""
        return [(outcome.value, _OUTCOME_TEXT[outcome][0]) for outcome in cls]


_OUTCOME_ORDER: tuple[Outcome, ...] = tuple(Outcome)

EMERGENCY = Outcome.EMERGENCY
URGENT_TODAY = Outcome.URGENT_TODAY
CLINICIAN_SOON = Outcome.CLINICIAN_SOON
NOT_TYPICAL = Outcome.NOT_TYPICAL
ITBS_LIKELY = Outcome.ITBS_LIKELY

# Most to least urgent: a lower index is more urgent.
OUTCOMES: tuple[str, ...] = _OUTCOME_ORDER
RED_FLAG_OUTCOMES = tuple(outcome for outcome in Outcome if outcome.is_red_flag)

# Steps where "not sure" must count as yes (safety bias); everywhere else it counts as no.
SAFETY_STEPS = frozenset({"urgent", "injury", "ottawa", "warning"})

GATE, AGAINST, SUPPORTING = "gate", "against", "supporting"

MIN_AGE, MAX_AGE = 1, 120
CHILD_AGE_LIMIT = 16  # under this: growing bones, see a clinician
OTTAWA_AGE = 55  # from this age a recent injury alone means "X-ray now" (Ottawa knee rule)
MIN_SUPPORTING = 2  # 2026.3 (it was 3): with both gates, no injury, no against or warning answer

#: urgent_today's next step in two parts: the result page makes the first its main action and
#: puts the emergency number, as a smaller link, into the second.
SAME_DAY_CARE = _("Contact urgent care, a same-day doctor or your local urgent advice line today.")
WHEN_TO_CALL = _(
    "If chest pain, breathlessness, a cold or numb foot, or fever with a hot swollen knee appear, call {number}."
)

XRAY_NOW = _("You may have a broken bone: go to an emergency department or urgent treatment centre now for an X-ray.")

_OUTCOME_TEXT: dict[Outcome, tuple[str, str]] = {
    Outcome.EMERGENCY: (
        _("Get emergency help now"),
        _("Call your local emergency number or go to an emergency department now. Don't put weight on the leg."),
    ),
    Outcome.URGENT_TODAY: (
        _("Get medical advice today"),
        format_lazy("{} {}", SAME_DAY_CARE, format_lazy(WHEN_TO_CALL, number=_("the emergency number"))),
    ),
    Outcome.CLINICIAN_SOON: (
        _("Book a check with a clinician"),
        _(
            "See a GP, sports doctor or physiotherapist in the next few days. "
            "Until then, avoid the activity that hurts."
        ),
    ),
    Outcome.NOT_TYPICAL: (
        _("This doesn't look like typical IT band pain"),
        _(
            "A routine check with a GP or physiotherapist is a good idea. "
            "Meanwhile stay active within comfort and avoid what provokes the pain."
        ),
    ),
    Outcome.ITBS_LIKELY: (
        _("Your answers fit IT band syndrome"),
        _(
            "This is not a diagnosis. The 30-day self-guided plan is reasonable to try. "
            "Stop and get checked if any warning sign appears."
        ),
    ),
}
_TO_BOOK: dict[Outcome, str] = {
    Outcome.CLINICIAN_SOON: _(
        "Book an appointment with a GP, sports doctor or physiotherapist in the next few days, "
        "and take the printable summary with you."
    ),
    Outcome.NOT_TYPICAL: _(
        "Book a routine appointment with a GP or physiotherapist, and take the printable summary with you."
    ),
}
OUTCOME_BY_CODE: dict[str, Outcome] = {outcome.value: outcome for outcome in Outcome}


def most_urgent(outcomes: Iterable[str]) -> Outcome | None:
    """The most urgent of `outcomes` (codes or members), or None when there are none."""
    ranked = sorted((Outcome(outcome) for outcome in outcomes), key=lambda outcome: outcome.urgency)
    return ranked[0] if ranked else None


#: The daily log's red-flag list (plan.md: values are screening ids) and the level each carries.
#: Kept as it was under 2026.1: new screening questions do not join the daily list.
DAILY_RED_FLAGS: dict[str, Outcome] = {
    "hot_swollen_fever": Outcome.EMERGENCY,
    "chest_or_breathing": Outcome.EMERGENCY,
    "foot_cold_or_numb": Outcome.EMERGENCY,
    "calf_swelling": Outcome.URGENT_TODAY,
    "locked_knee": Outcome.URGENT_TODAY,
    "catching_giving_way": Outcome.CLINICIAN_SOON,
    "night_or_rest_pain": Outcome.CLINICIAN_SOON,
    "numbness_shin_foot": Outcome.CLINICIAN_SOON,
}


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str
    condition: str | None = None  # id of a question that must be yes/unsure for the step to be shown


STEPS: tuple[Step, ...] = (
    Step("about", _("About you"), _("Two quick questions so we can give advice that fits you.")),
    Step(
        "urgent",
        _("Urgent signs"),
        _("First, a few signs that need help quickly. Most people answer no to all of them."),
    ),
    Step("injury", _("How it started"), _("Tell us whether the pain began with an injury.")),
    Step(
        "ottawa",
        _("Checks after a recent injury"),
        _("These checks show whether you may need an X-ray after your injury."),
        condition="injury_recent",
    ),
    Step("warning", _("Other warning signs"), _("These signs point to problems a clinician should check.")),
    Step(
        "pattern",
        _("Where and when it hurts"),
        _("Last, tell us where the pain is and what makes it better or worse."),
    ),
)
STEPS_BY_ID: dict[str, Step] = {step.id: step for step in STEPS}


@dataclass(frozen=True)
class Question:
    id: str
    step: str
    text: str
    why: str  # one plain sentence shown under the question as "Why we ask"
    kind: str  # "yesno" | "age" | "activity"
    level: str | None  # outcome a yes/unsure triggers (red flags only)
    group: str | None  # pattern step only: gate | against | supporting
    condition: str | None  # id that must be yes/unsure for this question to be asked
    reason: str  # shown on the result page when this id is in Triage.reasons
    under_age: int | None = None  # asked only when `age` is known and below this


def _q(
    id: str,
    step: str,
    text: str,
    why: str,
    reason: str,
    *,
    kind: str = "yesno",
    level: str | None = None,
    group: str | None = None,
    condition: str | None = None,
    under_age: int | None = None,
) -> Question:
    return Question(
        id=id,
        step=step,
        text=text,
        why=why,
        kind=kind,
        level=level,
        group=group,
        condition=condition,
        reason=reason,
        under_age=under_age,
    )


QUESTIONS: tuple[Question, ...] = (
    # "Why we ask" (the `why` texts) never says or implies which answer leads to the plan: it says
    # what the question helps tell apart (screening.md, "Wording principles"; a test scans them).
    # --- about ---------------------------------------------------------------------------
    _q(
        "age",
        "about",
        _("How old are you?"),
        _("Children's bones are still growing, and older bones break more easily, so some checks depend on age."),
        _("Your age changes which checks you need."),
        kind="age",
    ),
    _q(
        "activity",
        "about",
        _("Which activity brings on the pain most?"),
        _("We use it to fit our advice and exercises to what you do."),
        _("The activity that brings on your pain shapes the plan."),
        kind="activity",
    ),
    # --- urgent --------------------------------------------------------------------------
    _q(
        "deformity",
        "urgent",
        _("After an injury, does your knee or leg look bent out of shape or out of place?"),
        _("A knee or leg that looks out of shape after an injury may have a broken bone or a joint out of place."),
        _(
            "Your knee or leg may look out of shape or out of place after an injury, "
            "which can mean a broken bone or a joint out of place."
        ),
        level=EMERGENCY,
    ),
    _q(
        "foot_cold_or_numb",
        "urgent",
        _(
            "After an injury, or suddenly within the last day, has the foot on that side turned cold, pale or blue, "
            "or gone numb or weak (you can't lift your foot or toes)?"
        ),
        _("A cold, pale or numb foot can mean the blood flow or a nerve in the leg is squeezed."),
        _(
            "The foot on that side may be cold, pale, blue, numb or weak, "
            "which can mean a problem with the blood flow or a nerve in the leg."
        ),
        level=EMERGENCY,
    ),
    _q(
        "compartment_signs",
        "urgent",
        _(
            "After an injury or a long, hard effort (a march, a race, a hard session), is the pain in your calf "
            "or shin severe and getting worse, with a tight, hard, swollen calf or shin?"
        ),
        _(
            "Severe, worsening pain with a tight, hard calf or shin, after a knock or a long effort, "
            "can mean pressure is building inside the leg."
        ),
        _(
            "You may have severe, worsening pain with a tight, hard, swollen calf or shin after an injury "
            "or a long, hard effort, which can mean pressure is building up inside the leg."
        ),
        level=EMERGENCY,
    ),
    _q(
        "hot_swollen_fever",
        "urgent",
        _("Is the knee warm or hot and swollen (red or not), and do you have a fever or chills or feel unwell?"),
        _("A warm, swollen knee with a fever or feeling unwell can mean an infection in the joint."),
        _(
            "Your knee may be warm or hot and swollen while you feel feverish or unwell, "
            "which can mean an infection in the joint."
        ),
        level=EMERGENCY,
    ),
    _q(
        "open_wound",
        "urgent",
        _("Is there an open cut or wound over the knee that may go into the joint?"),
        _("A cut that reaches the joint can let germs in, so it needs cleaning and checking quickly."),
        _("You may have a cut or wound over the knee that could reach into the joint."),
        level=EMERGENCY,
    ),
    _q(
        "chest_or_breathing",
        "urgent",
        _("Do you have new chest pain, sudden breathlessness or are you coughing up blood?"),
        _("New chest pain or sudden breathlessness can be a sign of a blood clot in the lungs."),
        _(
            "You may have new chest pain, sudden breathlessness or be coughing up blood, "
            "which can be a sign of a blood clot in the lungs."
        ),
        level=EMERGENCY,
    ),
    _q(
        "saddle_numbness",
        "urgent",
        _(
            "Do you have numbness around the groin or buttocks, new trouble passing urine or controlling your bowels, "
            "or weakness in both legs?"
        ),
        _("These signs can mean the nerves in your lower back are squeezed, which needs help straight away."),
        _(
            "You may have numbness around the groin or buttocks, new bladder or bowel trouble, "
            "or weakness in both legs, which can mean nerves in the lower back are squeezed."
        ),
        level=EMERGENCY,
    ),
    _q(
        "fracture_no_injury",
        "urgent",
        _("Did your leg suddenly give way or crack with little or no injury, and now you can't put weight on it?"),
        _("A bone weakened by illness or thinning can break with little or no injury."),
        _(
            "Your leg may have given way or cracked with little or no injury, and now you can't put weight on it, "
            "which can mean a weakened bone has broken."
        ),
        level=EMERGENCY,
    ),
    _q(
        "calf_swelling",
        "urgent",
        _("Is one calf or thigh painful, swollen, warm or red?"),
        _("A painful, swollen, warm calf or thigh can be a sign of a blood clot in a vein."),
        _(
            "One calf or thigh may be painful, swollen, warm or red, "
            "which can be a sign of a blood clot and should be checked today."
        ),
        level=URGENT_TODAY,
    ),
    _q(
        "locked_knee",
        "urgent",
        _("Is the knee locked, so you cannot fully straighten it?"),
        _("A knee that won't straighten may have something, like a torn piece of cartilage, caught inside it."),
        _("Your knee may be locked so it won't fully straighten, which can mean something is caught in the joint."),
        level=URGENT_TODAY,
    ),
    _q(
        "rapid_swelling",
        "urgent",
        _(
            "Is the knee badly swollen now, or did it swell up within a few hours of a twist or blow in the last 7 days?"
        ),
        _(
            "Quick swelling after a recent twist or blow can mean bleeding inside the joint from a hurt ligament or bone."
        ),
        _(
            "Your knee may be badly swollen now, or it swelled up within hours of a twist or blow in the last 7 days, "
            "which can mean bleeding inside the joint."
        ),
        level=URGENT_TODAY,
    ),
    _q(
        "cannot_bear_weight",
        "urgent",
        _("Are you unable to put any weight on the leg at all, or is the pain very severe even when you keep still?"),
        _("Not being able to stand on the leg, or very bad pain even at rest, needs a check the same day."),
        _("You may be unable to put any weight on the leg, or the pain may be very severe even when you keep still."),
        level=URGENT_TODAY,
    ),
    _q(
        "hot_swollen_knee",
        "urgent",
        _("Is the whole knee warm or hot and swollen, even if it is not red and you have no fever?"),
        _(
            "A warm, swollen knee can mean an infection in the joint even without redness or fever, "
            "which some medicines, such as steroids, can hide."
        ),
        _(
            "Your whole knee may be warm or hot and swollen. Even without redness or a fever this can mean "
            "an infection in the joint, so it should be checked today."
        ),
        level=URGENT_TODAY,
    ),
    _q(
        "blood_thinner_swelling",
        "urgent",
        _(
            "Do you take a blood thinner (such as warfarin, apixaban, rivaroxaban, edoxaban or dabigatran), "
            "and is the knee swollen?"
        ),
        _("With a blood thinner, even a small knock can make the knee bleed inside, which needs a check today."),
        _(
            "You may take a blood thinner and your knee is swollen, "
            "which can mean bleeding inside the joint and should be checked today."
        ),
        level=URGENT_TODAY,
    ),
    _q(
        "child_limp_hip",
        "urgent",
        _(
            "Are you limping, is there pain in your hip, groin or thigh as well as your knee, "
            "or has your foot started to turn outwards when you walk?"
        ),
        _(
            "In growing children a hip problem often shows up as knee pain or a foot that turns out, "
            "and it needs an X-ray the same day."
        ),
        _(
            "You may be limping, have pain in the hip, groin or thigh as well as the knee, or your foot may turn "
            "outwards when you walk. In children this can come from the hip and needs a same-day check and X-ray."
        ),
        level=URGENT_TODAY,
        under_age=CHILD_AGE_LIMIT,
    ),
    _q(
        "groin_pain_with_load",
        "urgent",
        _(
            "Do you have an ache deep in the groin (the crease at the front of the hip) that came on with running "
            "or training, or does hopping on that leg hurt in the groin? "
            "(Pain running up the outside of the thigh doesn't count.)"
        ),
        _(
            "A deep groin ache that comes with training can be a stress crack near the top of the thigh bone, "
            "which should be checked before any more running."
        ),
        _(
            "You may have a deep groin ache that came on with training, or groin pain when you hop, which can be "
            "a stress crack near the top of the thigh bone. Don't run until it has been checked."
        ),
        level=URGENT_TODAY,
    ),
    # --- injury --------------------------------------------------------------------------
    _q(
        "injury_onset",
        "injury",
        _('Did the pain start with a specific injury: a twist, a fall, a blow, or a "pop"?'),
        _("Pain that starts with an injury can come from a hurt ligament, cartilage or bone."),
        _(
            "Your pain may have started with an injury, such as a twist, fall, blow or pop, "
            "so a clinician should check the knee."
        ),
        level=CLINICIAN_SOON,
    ),
    _q(
        "injury_recent",
        "injury",
        _("Was that injury in the last 7 days?"),
        _("An injury in the last week needs a few extra checks for a broken bone."),
        _("Your injury may have happened in the last 7 days."),
        condition="injury_onset",
    ),
    _q(
        "blow_inside_knee",
        "injury",
        _("Did something hit the inside of your knee, or force it outward, and now the outside hurts or feels loose?"),
        _("A knock to the inside of the knee can stretch or tear the ligament on the outside."),
        _(
            "Something may have hit the inside of your knee or pushed it outward, "
            "and now the outside hurts or feels loose, which can mean a hurt ligament."
        ),
        level=CLINICIAN_SOON,
        condition="injury_onset",
    ),
    # --- ottawa (Ottawa knee rule: only ever used to escalate, never to reassure) ---------
    _q(
        "ottawa_walk",
        "ottawa",
        _(
            "Right after the injury, were you unable to take 4 steps on that leg, and are you still unable now? "
            "(Limping counts as taking steps.)"
        ),
        _("Not being able to take 4 steps after an injury is one sign that a bone may be broken."),
        format_lazy(
            "{} {}",
            _("You may have been unable to take 4 steps on that leg after the injury, and still be unable now."),
            XRAY_NOW,
        ),
        level=EMERGENCY,
        condition="injury_recent",
    ),
    _q(
        "ottawa_bend",
        "ottawa",
        _("Are you unable to bend the knee to a right angle, as when sitting on a chair?"),
        _("Not being able to bend the knee to a right angle is one sign that a bone may be broken."),
        format_lazy("{} {}", _("You may not be able to bend your knee to a right angle."), XRAY_NOW),
        level=EMERGENCY,
        condition="injury_recent",
    ),
    _q(
        "ottawa_fibula",
        "ottawa",
        _("Does pressing the bony knob on the outside of your leg, just below the knee, hurt a lot?"),
        _("Strong pain when you press this bony knob is one sign that the bone there may be broken."),
        format_lazy("{} {}", _("The bony knob just below the outside of your knee may hurt a lot to press."), XRAY_NOW),
        level=EMERGENCY,
        condition="injury_recent",
    ),
    _q(
        "ottawa_kneecap",
        "ottawa",
        _("Is the kneecap tender to press, with no other bone tender?"),
        _("A sore kneecap after an injury is one sign that the kneecap may be broken."),
        format_lazy("{} {}", _("Your kneecap may be sore to press."), XRAY_NOW),
        level=EMERGENCY,
        condition="injury_recent",
    ),
    # --- warning -------------------------------------------------------------------------
    _q(
        "catching_giving_way",
        "warning",
        _(
            "Does the knee catch, lock for a moment or give way under you? (A snapping or flicking feeling over "
            "the bony bump just above the outside of the knee doesn't count.)"
        ),
        _("Catching or giving way can mean a problem inside the joint, such as torn cartilage."),
        _("Your knee may catch, lock for a moment or give way, which can mean a problem inside the joint."),
        level=CLINICIAN_SOON,
    ),
    _q(
        "night_or_rest_pain",
        "warning",
        _(
            "Does the pain wake you at night whichever way you lie, or keep getting worse whatever you do? "
            "(An ache in the evening after exercise, or only when lying on that side, doesn't count.)"
        ),
        _("Pain that wakes you in any position, or keeps getting worse, can have causes a clinician should check."),
        _(
            "Your pain may wake you at night whichever way you lie, or keep getting worse whatever you do, "
            "which IT band pain usually does not do."
        ),
        level=CLINICIAN_SOON,
    ),
    _q(
        "weight_loss_cancer",
        "warning",
        _(
            "Have you had unexplained weight loss or night sweats, have you ever had cancer (even if it was treated "
            "or cured), or is there a lump near the knee that is growing or as big as a golf ball?"
        ),
        _("With any of these, a clinician should check the knee for less common causes of pain."),
        _(
            "You may have had weight loss or night sweats you can't explain, have had cancer, or have a lump near "
            "the knee that is growing or as big as a golf ball, so a clinician should check for other causes."
        ),
        level=CLINICIAN_SOON,
    ),
    _q(
        "pain_not_activity_related",
        "warning",
        _("Is the pain the same whether or not you exercise?"),
        _("Whether exercise changes the pain helps tell overuse apart from other causes."),
        _("Your pain may be the same whether or not you exercise, which is not typical of IT band pain."),
        level=CLINICIAN_SOON,
    ),
    _q(
        "bone_spot_pain",
        "warning",
        _(
            "Does pressing one spot on the shin or thigh bone hurt sharply, or does hopping on that leg hurt in the "
            "bone itself? (Pain only at the bony bump just above the outside of the knee doesn't count, whether "
            "pressing or hopping; a sore spot on the shin bone below the knee does count.)"
        ),
        _("Sharp pain at one spot on a bone, or pain in the bone when hopping, can be a small crack from overuse."),
        _(
            "One spot on your shin or thigh bone may hurt sharply to press or when you hop, "
            "which can be a sign of a small crack in the bone from overuse."
        ),
        level=CLINICIAN_SOON,
    ),
    _q(
        "numbness_shin_foot",
        "warning",
        _(
            "Do you have numbness, tingling or burning down the outside of the shin or on top of the foot "
            "(whatever you think causes it), or does the foot slap when you walk?"
        ),
        _("Numbness or tingling down the shin, or a slapping foot, can mean a nerve near the knee is irritated."),
        _(
            "You may have numbness, tingling or burning down the shin or on the foot, or a slapping foot, "
            "which can mean a nerve is irritated."
        ),
        level=CLINICIAN_SOON,
    ),
    _q(
        "several_joints",
        "warning",
        _("Are both knees or several joints swollen, or stiff for more than 30 minutes in the morning?"),
        _("Several swollen or stiff joints can be a sign of joint inflammation that a clinician should check."),
        _(
            "Both knees or several joints may be swollen, or stiff for more than 30 minutes in the morning, "
            "which can be a sign of joint inflammation."
        ),
        level=CLINICIAN_SOON,
    ),
    _q(
        "recent_knee_surgery",
        "warning",
        _(
            "Do you have a knee replacement or metalwork in this knee, "
            "or have you had surgery on it in the last 6 months?"
        ),
        _("With a knee replacement or metalwork, or after recent surgery, new pain should be checked by a clinician."),
        _("You may have a knee replacement or metalwork in this knee, or have had surgery on it in the last 6 months."),
        level=CLINICIAN_SOON,
    ),
    _q(
        "no_improvement",
        "warning",
        _("Have you already done 4–6 weeks of rest and exercises without getting better?"),
        _("If 4–6 weeks of rest and exercises haven't helped, a clinician should look for another cause."),
        _("You may have already tried 4–6 weeks of rest and exercises without getting better."),
        level=CLINICIAN_SOON,
    ),
    # --- pattern: gates ------------------------------------------------------------------
    # Gate reasons are shown both when the gate is missed (not_typical) and when it is met
    # (itbs_likely), so they state the typical pattern instead of what the person answered.
    _q(
        "pain_outside",
        "pattern",
        _("Is the pain on the outside of the knee, around a bony bump a little above the joint?"),
        _("Different parts of the knee hurt for different reasons, so where it hurts helps sort out the cause."),
        _(
            "Where it hurts: IT band pain is felt on the outside of the knee, "
            "around a bony bump a little above the joint."
        ),
        group=GATE,
    ),
    _q(
        "repetitive_onset",
        "pattern",
        _(
            "Did it start during a repetitive knee-bending activity "
            "(running, cycling, hiking, rowing, a new squat or lunge routine)?"
        ),
        _("How the pain started helps tell overuse apart from other causes."),
        _(
            "How it started: IT band pain usually starts during activities that bend the knee over and over, "
            "like running, cycling or hiking."
        ),
        group=GATE,
    ),
    # --- pattern: against ----------------------------------------------------------------
    _q(
        "pain_front",
        "pattern",
        _("Is the pain mainly around or behind the kneecap, worse with squats, stairs or after sitting?"),
        _("Pain around or behind the kneecap often comes from the joint behind the kneecap."),
        _(
            "You said the pain is mainly around or behind the kneecap, "
            "which points more to the kneecap joint than to the IT band."
        ),
        group=AGAINST,
    ),
    _q(
        "pain_below_kneecap",
        "pattern",
        _("Is the pain mainly just below the kneecap, worse with jumping?"),
        _("Pain just below the kneecap often comes from the tendon there."),
        _(
            "You said the pain is mainly just below the kneecap and worse with jumping, "
            "which points more to the tendon below the kneecap."
        ),
        group=AGAINST,
    ),
    _q(
        "pain_inside",
        "pattern",
        _("Is the pain mainly on the inside of the knee?"),
        _("Pain on the inside of the knee comes from the ligament, tendons and cartilage on that side."),
        _("You said the pain is mainly on the inside of the knee, away from the IT band."),
        group=AGAINST,
    ),
    _q(
        "pain_joint_line",
        "pattern",
        _("Is the pain right on the joint line, made worse by twisting?"),
        _("Pain on the joint line that gets worse with twisting can come from the cartilage pads inside the knee."),
        _(
            "You said the pain is right on the joint line and worse with twisting, "
            "which points more to the cartilage pads inside the knee (the meniscus)."
        ),
        group=AGAINST,
    ),
    _q(
        "pain_back_outside",
        "pattern",
        _("Is the pain mainly at the back-outside of the knee?"),
        _("Pain at the back-outside of the knee often comes from the tendons there."),
        _("You said the pain is mainly at the back-outside of the knee, which points more to the tendons there."),
        group=AGAINST,
    ),
    _q(
        "whole_knee_swelling",
        "pattern",
        _("Is the whole knee puffy, so it won't bend fully? (A small puffy spot over the outside bump doesn't count.)"),
        _("Swelling of the whole knee shows whether the problem is inside the joint."),
        _("You said the whole knee is puffy and won't bend fully, which points more to a problem inside the joint."),
        group=AGAINST,
    ),
    _q(
        "back_pain_radiating",
        "pattern",
        _("Do you have back or buttock pain that travels down the leg, or does moving your back change the knee pain?"),
        _("Pain can travel from the back down the leg, so the problem may not start in the knee."),
        _(
            "You said you have back or buttock pain that travels down the leg, or moving your back changes "
            "the knee pain, so the pain may come from your back."
        ),
        group=AGAINST,
    ),
    # --- pattern: supporting -------------------------------------------------------------
    _q(
        "comes_on_at_distance",
        "pattern",
        _(
            "Does the pain come on after a fairly predictable time or distance, build if you keep going, "
            "and ease soon after you stop?"
        ),
        _("When the pain comes and goes during activity helps tell the causes of knee pain apart."),
        _(
            "You said the pain comes on after a fairly set time or distance and eases soon after you stop, "
            "as IT band pain often does."
        ),
        group=SUPPORTING,
    ),
    _q(
        "worse_downhill",
        "pattern",
        _("Is it worse going downhill or down stairs?"),
        _("Going downhill keeps the knee slightly bent, which loads some parts of the knee more than others."),
        _("You said it is worse going downhill or down stairs, as IT band pain often is."),
        group=SUPPORTING,
    ),
    _q(
        "recent_increase",
        "pattern",
        _("Did you recently increase distance, frequency, speed or hills, or change surface or shoes?"),
        _("A quick change in training, such as more distance or new shoes, often comes before overuse pain."),
        _("You said you recently changed your training, surface or shoes, which often comes before IT band pain."),
        group=SUPPORTING,
    ),
    _q(
        "sharp_burning",
        "pattern",
        _("Is the pain sharp, stabbing or burning?"),
        _("The kind of pain, sharp or dull, helps tell the causes of knee pain apart."),
        _("You said the pain is sharp, stabbing or burning, as IT band pain often is."),
        group=SUPPORTING,
    ),
    _q(
        "tender_bump",
        "pattern",
        _("Does pressing the bony bump on the outside of the knee hurt, especially as you bend and straighten it?"),
        _("A spot that hurts to press helps show which tissue is irritated."),
        _("You said pressing the bony bump on the outside of the knee hurts, as it often does with IT band pain."),
        group=SUPPORTING,
    ),
    _q(
        "straight_knee_eases",
        "pattern",
        _("Does walking with a straight, stiff knee ease it?"),
        _("Whether a straight knee eases the pain shows which movements load the sore spot."),
        _("You said walking with a straight, stiff knee eases it, as it often does with IT band pain."),
        group=SUPPORTING,
    ),
    _q(
        "worse_sitting_bent",
        "pattern",
        _("Does sitting a long time with the knee bent make it worse?"),
        _("Sitting long with the knee bent loads some parts of the knee more than others."),
        _("You said sitting a long time with the knee bent makes it worse, which can happen with IT band pain."),
        group=SUPPORTING,
    ),
)
QUESTIONS_BY_ID: dict[str, Question] = {question.id: question for question in QUESTIONS}

DERIVED_REASONS: dict[str, str] = {
    "age_under_16": _("You are under 16. Growing bones can have problems that a clinician should check."),
    "ottawa_age": format_lazy("{} {}", _("You are 55 or older and hurt your knee in the last 7 days."), XRAY_NOW),
    "child_cannot_bear_weight": _(
        "You are under 16 and may be unable to put weight on the leg, or the pain is very severe even when you "
        "keep still. A child who can't stand on the leg needs to be seen now."
    ),
    "too_few_supporting": _("Only one or none of your answers matched the usual pattern of IT band pain."),
}


def questions_for_step(step_id: str) -> tuple[Question, ...]:
    if step_id not in STEPS_BY_ID:
        raise ValueError(f"Unknown step id: {step_id!r}")
    return tuple(question for question in QUESTIONS if question.step == step_id)


def _holds(question_id: str, answers: Mapping[str, str | int]) -> bool:
    """A condition question holds when it was itself asked and answered yes or not sure."""
    return is_asked(question_id, answers) and answers.get(question_id) in (YES, UNSURE)


def age_allows(question: Question, answers: Mapping[str, str | int]) -> bool:
    """A question with an age condition is asked only when `age` is known and below its limit."""
    if question.under_age is None:
        return True
    age = answers.get("age")
    return type(age) is int and age < question.under_age


def is_asked(question_id: str, answers: Mapping[str, str | int]) -> bool:
    """Whether the question is shown for these answers (its own and its step's conditions hold)."""
    question = QUESTIONS_BY_ID.get(question_id)
    if question is None:
        raise ValueError(f"Unknown question id: {question_id!r}")
    if not age_allows(question, answers):
        return False
    step = STEPS_BY_ID[question.step]
    return all(_holds(condition, answers) for condition in (question.condition, step.condition) if condition)


def steps_for(answers: Mapping[str, str | int]) -> tuple[Step, ...]:
    return tuple(step for step in STEPS if step.condition is None or _holds(step.condition, answers))


def reason_text(reason_id: str) -> str:
    if reason_id in QUESTIONS_BY_ID:
        return QUESTIONS_BY_ID[reason_id].reason
    if reason_id in DERIVED_REASONS:
        return DERIVED_REASONS[reason_id]
    raise ValueError(f"Unknown reason id: {reason_id!r}")


@dataclass(frozen=True)
class Triage:
    outcome: str
    reasons: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOME_BY_CODE:
            raise ValueError(f"Unknown outcome: {self.outcome!r}")

    @property
    def plan_allowed(self) -> bool:
        return OUTCOME_BY_CODE[self.outcome].plan_allowed


def is_valid_answer(question_id: str, value: object) -> bool:
    """Whether `value` is a valid answer to a question this version asks."""
    question = QUESTIONS_BY_ID.get(question_id)
    if question is None:
        return False
    if question.kind == "age":
        # bool is an int subclass; True must not pass as age 1.
        return type(value) is int and MIN_AGE <= value <= MAX_AGE
    if question.kind == "activity":
        return isinstance(value, str) and value in ACTIVITY_CODES
    return isinstance(value, str) and value in ANSWER_VALUES


def _validate(answers: Mapping[str, str | int]) -> None:
    for question_id, value in answers.items():
        if question_id not in QUESTIONS_BY_ID:
            raise ValueError(f"Unknown question id: {question_id!r}")
        if not is_valid_answer(question_id, value):
            raise ValueError(f"Invalid answer for {question_id!r}: {value!r}")


def _is_yes(question: Question, answers: Mapping[str, str | int]) -> bool:
    """The answer after the rules: unasked counts as no; "unsure" is yes only in the safety steps."""
    if not is_asked(question.id, answers):
        return False
    value = answers.get(question.id, NO)
    if question.step in SAFETY_STEPS:
        return value in (YES, UNSURE)
    return value == YES


def triage(answers: Mapping[str, str | int]) -> Triage:
    """Sort answers into one outcome and the ids that decided it (screening.md, "Routing")."""
    _validate(answers)
    yes = {question.id: _is_yes(question, answers) for question in QUESTIONS if question.kind == "yesno"}
    age = answers.get("age")
    age = age if isinstance(age, int) else None  # _validate made sure; this line is for type checkers
    derived = {
        "age_under_16": age is not None and age < CHILD_AGE_LIMIT,
        "ottawa_age": age is not None and age >= OTTAWA_AGE and yes["injury_recent"],
        "child_cannot_bear_weight": age is not None and age < CHILD_AGE_LIMIT and yes["cannot_bear_weight"],
    }

    # Red flags (rules 1-3) in question order, derived ids where they belong in that order.
    flags: list[tuple[str, str]] = []
    for question in QUESTIONS:
        if question.id == "age" and derived["age_under_16"]:
            flags.append(("age_under_16", CLINICIAN_SOON))
        if question.level is not None and yes[question.id]:
            flags.append((question.id, question.level))
        if question.id == "ottawa_kneecap":
            if derived["ottawa_age"]:
                flags.append(("ottawa_age", EMERGENCY))
            if derived["child_cannot_bear_weight"]:
                flags.append(("child_cannot_bear_weight", EMERGENCY))
    for level in RED_FLAG_OUTCOMES:
        reasons = tuple(reason_id for reason_id, flag_level in flags if flag_level == level)
        if reasons:
            return Triage(level, reasons)

    # Pattern (rules 4-6). injury_onset is "no" here, so the third gate already holds.
    def ids_in(group: str) -> tuple[str, ...]:
        return tuple(q.id for q in QUESTIONS if q.group == group)

    missed_gates = tuple(qid for qid in ids_in(GATE) if not yes[qid])
    if missed_gates:
        return Triage(NOT_TYPICAL, missed_gates)
    against = tuple(qid for qid in ids_in(AGAINST) if yes[qid])
    if against:
        return Triage(NOT_TYPICAL, against)
    supporting = tuple(qid for qid in ids_in(SUPPORTING) if yes[qid])
    if len(supporting) >= MIN_SUPPORTING:
        return Triage(ITBS_LIKELY, ids_in(GATE) + supporting)
    return Triage(NOT_TYPICAL, (*supporting, "too_few_supporting"))


# --- Stopping as soon as the outcome is known (screening.md, flow 2026.2 with 2026.3's ranking) --
# Ranks for this purpose are the outcomes' urgencies: emergency 0 > urgent_today 1 >
# clinician_soon 2 > not_typical 3 > itbs_likely 4. 4 means nothing is fixed yet.
NOTHING_FIXED = Outcome.ITBS_LIKELY.urgency
URGENT_TODAY_FIXED = Outcome.URGENT_TODAY.urgency
#: Questions whose yes leads on to the Ottawa step (emergency), whatever their own level.
_LEADS_TO_OTTAWA = frozenset({"injury_onset", "injury_recent"})
#: The least urgent answer of each pattern group (every other yes/no question: "no").
_LEAST_URGENT = {GATE: YES, AGAINST: NO, SUPPORTING: YES}


def least_urgent_completion(answers: Mapping[str, str | int]) -> dict[str, str | int]:
    """`answers` with every unanswered yes/no question given its least urgent answer.

    Every answer moves the outcome one way only (a red flag's yes, a gate's no, an against yes, a
    supporting no can only make it more urgent), so no way of filling the blanks is less urgent.
    """
    filled: dict[str, str | int] = dict(answers)
    for question in QUESTIONS:
        if question.kind == "yesno" and question.id not in filled:
            filled[question.id] = _LEAST_URGENT.get(question.group, NO)
    return filled


def fixed_rank(answers: Mapping[str, str | int]) -> int:
    """How urgent the answers given so far already make the outcome, whatever the blanks hold.

    One `triage` of the least urgent completion. 4 (`NOTHING_FIXED`): the plan is still possible,
    so everything may matter; 3: `not_typical` is fixed (a gate answered no or not sure, an
    against answer yes, or too few supporting answers left), so only red flags can still matter.
    """
    return Outcome(triage(least_urgent_completion(answers)).outcome).urgency


def _best_rank(question: Question, answers: Mapping[str, str | int]) -> int:
    """The most urgent rank an answer to `question` (or what it leads to) could bring."""
    if question.kind != "yesno" or question.id in _LEADS_TO_OTTAWA:
        return EMERGENCY.urgency
    if question.id == "cannot_bear_weight":
        age = answers.get("age")
        return (EMERGENCY if type(age) is int and age < CHILD_AGE_LIMIT else URGENT_TODAY).urgency
    return Outcome(question.level).urgency if question.level is not None else NOT_TYPICAL.urgency


def could_matter(question_id: str, answers: Mapping[str, str | int], rank: int | None = None) -> bool:
    """Whether some answer to this question could still change the outcome, given `answers`.

    `rank` is `fixed_rank(answers)` when the caller already has it (one triage per request).
    """
    rank = fixed_rank(answers) if rank is None else rank
    return rank == NOTHING_FIXED or _best_rank(QUESTIONS_BY_ID[question_id], answers) < rank


def open_among(
    question_ids: Iterable[str], answers: Mapping[str, str | int], rank: int | None = None
) -> tuple[str, ...]:
    """Those of `question_ids` that are shown, unanswered and must still be answered."""
    rank = fixed_rank(answers) if rank is None else rank
    return tuple(
        qid
        for qid in question_ids
        if qid not in answers and is_asked(qid, answers) and could_matter(qid, answers, rank)
    )


def open_questions(answers: Mapping[str, str | int], step_id: str, rank: int | None = None) -> tuple[str, ...]:
    """The step's unanswered, shown questions that must still be answered (in question order).

    Any other unanswered question of the step may stay blank: it is stored as not asked.
    """
    return open_among((question.id for question in questions_for_step(step_id)), answers, rank)


def step_matters(step_id: str, answers: Mapping[str, str | int], rank: int | None = None) -> bool:
    """Whether a step not yet answered could still change the outcome (its condition aside)."""
    rank = fixed_rank(answers) if rank is None else rank
    return any(
        could_matter(question.id, answers, rank)
        for question in questions_for_step(step_id)
        if age_allows(question, answers)
    )


def steps_that_matter(
    answers: Mapping[str, str | int], done: Iterable[str] = (), rank: int | None = None
) -> tuple[Step, ...]:
    """The steps shown for these answers: those done, and the others that can still matter."""
    done = set(done)
    rank = fixed_rank(answers) if rank is None else rank
    return tuple(step for step in steps_for(answers) if step.id in done or step_matters(step.id, answers, rank))
