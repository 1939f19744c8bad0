"""The knee check as pages: which pages are shown, in which order, and what each must have answered.

Pure, like `rules` (no request, no database): the view builds one `Flow` per request from the
answers in progress, the pages done and the questions deferred, and renders it; `rules` decides
what can still change the outcome, with one `triage` per state of the answers.

- **Pages of at most 6 questions**, grouped by theme. Every contract id keeps its own control.
  All 8 emergency questions of the urgent step sit on its first two pages, so an emergency is at
  most 4 taps after the age: an emergency answer and Continue (the result at once), and from the
  second page "None of these" on the first before that; then the call link.
- **A short step instead of errors.** Once an urgent page fixes `urgent_today`, its blanks that
  only an emergency answer could still need are *deferred*: the page is accepted, and they come
  back, with the emergency questions of the urgent pages not yet seen, on "check" pages ("Two
  more questions to rule out an emergency"). Those pages replace the rest of the urgent step, so
  the count of pages never grows.
- **Progress** counts pages: done pages stay, pages that cannot matter drop out, and the Ottawa
  page is counted while it is still possible, so "Step n of m" never goes back and never grows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import rules

Answers = Mapping[str, str | int]

MAX_QUESTIONS = 6
CHECK_PAGE = "check"  # the check pages are "check", "check-2"


@dataclass(frozen=True)
class PageSpec:
    """A page as written: its id (the URL slug), step, theme, intro and question ids in order."""

    id: str
    step: str
    theme: str  # shown as a subheading when a step has more than one page ("" otherwise)
    intro: str
    question_ids: tuple[str, ...]
    none_of_these: bool = False  # a "None of these" button answers every blank "no"


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("about", "about", "", _("Two quick questions so we can give advice that fits you."), ("age", "activity")),
    PageSpec(
        "urgent",
        "urgent",
        _("After an injury or a hard effort"),
        _("First, a few signs that need help quickly. Most people answer no to all of them."),
        (
            "deformity",
            "foot_cold_or_numb",
            "compartment_signs",
            "open_wound",
            "fracture_no_injury",
            "cannot_bear_weight",
        ),
        none_of_these=True,
    ),
    PageSpec(
        "urgent-body",
        "urgent",
        _("Infection, clots and nerves"),
        _("More signs that need help quickly. Most people answer no to all of them."),
        (
            "hot_swollen_fever",
            "chest_or_breathing",
            "saddle_numbness",
            "calf_swelling",
            "hot_swollen_knee",
            "blood_thinner_swelling",
        ),
        none_of_these=True,
    ),
    PageSpec(
        "urgent-joint",
        "urgent",
        _("The joint, the hip and the bones"),
        _("The last of the signs that need a check today."),
        ("locked_knee", "rapid_swelling", "groin_pain_with_load", "child_limp_hip"),
        none_of_these=True,
    ),
    PageSpec(
        "injury",
        "injury",
        "",
        _("Tell us whether the pain began with an injury."),
        ("injury_onset", "injury_recent", "blow_inside_knee"),
    ),
    PageSpec(
        "ottawa",
        "ottawa",
        "",
        _("These checks show whether you may need an X-ray after your injury."),
        ("ottawa_walk", "ottawa_bend", "ottawa_fibula", "ottawa_kneecap"),
    ),
    PageSpec(
        "warning",
        "warning",
        _("How the knee behaves"),
        _("These signs point to problems a clinician should check."),
        ("catching_giving_way", "night_or_rest_pain", "pain_not_activity_related", "bone_spot_pain", "no_improvement"),
    ),
    PageSpec(
        "warning-health",
        "warning",
        _("Your health and your knee's history"),
        _("A few more signs that a clinician should check."),
        ("weight_loss_cancer", "numbness_shin_foot", "several_joints", "recent_knee_surgery"),
    ),
    # Both gates on the first pattern page: a "no" to one, or a place that points elsewhere, ends
    # the pattern step there (2026.3), and the reasons then name answers actually given.
    PageSpec(
        "pattern",
        "pattern",
        _("Where it hurts and how it started"),
        _("Last, tell us where the pain is and what makes it better or worse."),
        (
            "pain_outside",
            "repetitive_onset",
            "pain_front",
            "pain_below_kneecap",
            "pain_inside",
            "pain_joint_line",
        ),
    ),
    PageSpec(
        "pattern-activity",
        "pattern",
        _("What brings it on"),
        _("How the pain behaves when you are active."),
        (
            "comes_on_at_distance",
            "recent_increase",
            "worse_downhill",
            "straight_knee_eases",
            "worse_sitting_bent",
        ),
    ),
    PageSpec(
        "pattern-feel",
        "pattern",
        _("How it feels, and other places"),
        _("Nearly done: how the pain and the knee feel."),
        ("sharp_burning", "tender_bump", "whole_knee_swelling", "pain_back_outside", "back_pain_radiating"),
    ),
)
SPECS_BY_ID: dict[str, PageSpec] = {spec.id: spec for spec in PAGE_SPECS}
#: Every page id a URL may name: the written pages and the (at most two) check pages.
PAGE_IDS = frozenset({*SPECS_BY_ID, CHECK_PAGE, f"{CHECK_PAGE}-2"})
#: Question id → the page it is written on (every question is on exactly one page).
PAGE_OF: dict[str, str] = {qid: spec.id for spec in PAGE_SPECS for qid in spec.question_ids}
_URGENT_SPECS = tuple(spec for spec in PAGE_SPECS if spec.step == "urgent")
#: Display order of the urgent questions (the check pages keep it).
_URGENT_ORDER = tuple(qid for spec in _URGENT_SPECS for qid in spec.question_ids)


@dataclass(frozen=True)
class Page:
    """A page as shown for some answers: its questions are the ones asked (age conditions met)."""

    id: str
    step: rules.Step
    heading: str
    theme: str
    intro: str
    questions: tuple[rules.Question, ...]
    none_of_these: bool
    #: A written urgent page: once `urgent_today` is fixed, its blanks move to the check pages.
    defers: bool
    #: Where the page sits among all pages (written pages first by order, check pages after the urgent ones).
    position: tuple[int, int]

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(question.id for question in self.questions)


def _written(spec: PageSpec, index: int, answers: Answers) -> Page:
    step = rules.STEPS_BY_ID[spec.step]
    questions = tuple(
        rules.QUESTIONS_BY_ID[qid] for qid in spec.question_ids if rules.age_allows(rules.QUESTIONS_BY_ID[qid], answers)
    )
    return Page(
        id=spec.id,
        step=step,
        heading=step.title,
        theme=spec.theme,
        intro=spec.intro,
        questions=questions,
        none_of_these=spec.none_of_these,
        defers=spec.step == "urgent",
        position=(index, 0),
    )


def _check_pages(question_ids: list[str]) -> list[Page]:
    step = rules.STEPS_BY_ID["urgent"]
    after = PAGE_SPECS.index(_URGENT_SPECS[-1])
    chunks = [question_ids[i : i + MAX_QUESTIONS] for i in range(0, len(question_ids), MAX_QUESTIONS)]
    pages = []
    for n, chunk in enumerate(chunks):
        left = sum(len(c) for c in chunks[n:])  # the questions on this check page and the next ones
        heading = ngettext(
            "One more question to rule out an emergency",
            "%(count)s more questions to rule out an emergency",
            left,
        ) % {"count": capfirst(apnumber(left))}
        pages.append(
            Page(
                id=CHECK_PAGE if n == 0 else f"{CHECK_PAGE}-{n + 1}",
                step=step,
                heading=heading,
                theme="",
                intro=_(
                    "Your answers so far mean you should get medical advice today. "
                    "These questions check whether you need emergency help instead."
                ),
                questions=tuple(rules.QUESTIONS_BY_ID[qid] for qid in chunk),
                none_of_these=True,
                defers=False,
                position=(after, n + 1),
            )
        )
    return pages


@dataclass(frozen=True)
class Submission:
    """What a posted page leaves open: `required` gets "Please answer this question";
    `deferred` is accepted blank and asked again on the check pages."""

    required: tuple[str, ...]
    deferred: tuple[str, ...]
    rank: int  # rules.fixed_rank of the answers with this page's


def submit(page: Page, answers: Answers) -> Submission:
    """Decide which of the page's blanks must be answered, given every answer so far and the
    page's own (`answers`). One `triage`."""
    rank = rules.fixed_rank(answers)
    open_ids = rules.open_among(page.question_ids, answers, rank)
    if page.defers and rank == rules.URGENT_TODAY_FIXED:
        return Submission((), open_ids, rank)
    return Submission(open_ids, (), rank)


@dataclass(frozen=True)
class Flow:
    """Every page shown for the answers so far, with the current one, its neighbours and progress."""

    pages: tuple[Page, ...]
    done: frozenset[str]
    rank: int
    #: The Ottawa page is still possible but not shown yet: it is counted in the total.
    ottawa_reserved: bool
    current: Page | None = None
    by_id: Mapping[str, Page] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        answers: Answers,
        done: Iterable[str] = (),
        deferred: Iterable[str] = (),
        *,
        current: str | None = None,
        rank: int | None = None,
    ) -> Flow:
        """The flow for these answers. `rank` is `rules.fixed_rank(answers)` when already known,
        so a request runs `triage` once per state of the answers."""
        rank = rules.fixed_rank(answers) if rank is None else rank
        checking = rank == rules.URGENT_TODAY_FIXED
        deferred = tuple(deferred)
        asked_later = set(deferred) if checking else set()
        # A page counts as done only while nothing on it that can still matter is unanswered
        # (except what the check pages ask): a screen in progress from an earlier version, or an
        # edit that made an old blank matter again, reopens the page instead of skipping a question.
        done = frozenset(
            page_id
            for page_id in done
            if page_id not in SPECS_BY_ID
            or not [
                qid
                for qid in rules.open_among(_written(SPECS_BY_ID[page_id], 0, answers).question_ids, answers, rank)
                if qid not in asked_later
            ]
        )
        pages: list[Page] = []
        for index, spec in enumerate(PAGE_SPECS):
            page = _written(spec, index, answers)
            step = page.step
            if step.condition and not rules.is_asked(spec.question_ids[0], answers):
                pass  # the Ottawa page, without a recent injury
            elif spec.id in done and page.questions:
                pages.append(page)
            elif checking and page.defers:
                pass  # urgent_today is fixed: the check pages ask what can still matter here
            elif any(rules.could_matter(q.id, answers, rank) for q in page.questions):
                pages.append(page)
            if checking and spec is _URGENT_SPECS[-1]:
                pages.extend(_check_pages(_check_questions(answers, done, deferred, rank)))
        by_id = {page.id: page for page in pages}
        reserved = (
            "ottawa" not in by_id and "injury" not in done and "injury" in by_id and rank > rules.EMERGENCY.urgency
        )
        return cls(tuple(pages), done, rank, reserved, by_id.get(current or ""), by_id)

    # --- reading it ---------------------------------------------------------------------------

    def get(self, page_id: str) -> Page | None:
        return self.by_id.get(page_id)

    @property
    def first_open(self) -> Page:
        """The first page that still matters and is not done (the last page when all are)."""
        for page in self.pages:
            if page.id not in self.done:
                return page
        return self.pages[-1]

    def is_ahead(self, page: Page) -> bool:
        """Whether `page` lies beyond the first page not yet done (earlier pages come first)."""
        return self.pages.index(page) > self.pages.index(self.first_open)

    def after(self, page: Page) -> Page | None:
        """The next page shown after `page` (by position, so it works for a page no longer shown)."""
        return next((p for p in self.pages if p.position > page.position), None)

    @property
    def previous(self) -> Page | None:
        if self.current is None:
            return None
        index = self.pages.index(self.current)
        return self.pages[index - 1] if index else None

    @property
    def next(self) -> Page | None:
        return self.after(self.current) if self.current is not None else None

    @property
    def number(self) -> int:
        return self.pages.index(self.current) + 1 if self.current is not None else 0

    @property
    def total(self) -> int:
        return len(self.pages) + self.ottawa_reserved

    def required(self, answers: Answers) -> tuple[str, ...]:
        """The current page's blanks that must still be answered for these answers (no triage:
        the flow's own rank)."""
        if self.current is None:
            return ()
        return rules.open_among(self.current.question_ids, answers, self.rank)


def _check_questions(answers: Answers, done: frozenset[str], deferred: Iterable[str], rank: int) -> list[str]:
    """The urgent questions the check pages ask: those deferred on a done page, and those of the
    urgent pages not yet done that can still matter, in the urgent pages' order."""
    wanted = set(deferred)
    for spec in _URGENT_SPECS:
        if spec.id not in done:
            wanted.update(spec.question_ids)
    return [
        qid
        for qid in _URGENT_ORDER
        if qid in wanted and rules.is_asked(qid, answers) and rules.could_matter(qid, answers, rank)
    ]


def deferred_after(page: Page, deferred: Iterable[str], submission: Submission) -> list[str]:
    """The deferred questions once `page` is accepted: its own blanks replace what it deferred before."""
    if not page.defers:
        return list(deferred)
    return [qid for qid in deferred if qid not in page.question_ids] + list(submission.deferred)
