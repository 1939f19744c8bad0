"""Writes and look-ups for the knee check, kept out of the views."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from . import rules
from .models import Screening

ANSWERS_KEY = "screening_answers"  # answers of the screen in progress
DONE_KEY = "screening_done"  # steps completed in the screen in progress
OWNED_KEY = "screening_ids"  # completed anonymous screens of this browser, attached at log-in

#: Sent with `user=` inside the transaction that stored or attached a signed-in person's screens
#: (a screen can pause or resume a plan: the plan app refreshes what it derived from them).
screens_changed = Signal()


def first_open_step(answers: dict, done: list[str]) -> rules.Step:
    """The first step that still matters and is not yet completed (or the last one when all are)."""
    shown = rules.steps_that_matter(answers, done)
    for step in shown:
        if step.id not in done:
            return step
    return shown[-1]


def next_step_after(current: rules.Step, answers: dict, done: list[str]) -> rules.Step | None:
    """The next step that can still change the outcome, or None when the result is known.

    An emergency fixes everything, so nothing later matters and the result follows at once.
    """
    for step in rules.steps_that_matter(answers, done):
        if rules.STEPS.index(step) > rules.STEPS.index(current):
            return step
    return None


def progress(current: rules.Step, answers: dict, done: list[str]) -> tuple[int, int]:
    """(number, total) for "Step n of m": the total counts the Ottawa step while it is still
    possible, so it never grows later; skipped steps drop out, so it only shrinks."""
    path = list(rules.steps_that_matter(answers, done))
    if current not in path:
        path.append(current)
        path.sort(key=rules.STEPS.index)
    ottawa = rules.STEPS_BY_ID["ottawa"]
    if ottawa not in path and "injury" not in done and rules.step_matters("ottawa", answers):
        path.append(ottawa)
    return path.index(current) + 1, len(path)


@transaction.atomic
def screening_finish(*, user, answers: dict) -> Screening:
    """Store the completed screen with its rules version and triage (`user` None: anonymous).

    The caller clears the screen in progress and, for an anonymous person, remembers the id.
    """
    given = {qid: value for qid, value in answers.items() if rules.is_asked(qid, answers)}
    result = rules.triage(given)
    owner = user if user is not None and user.is_authenticated else None
    screening = Screening.objects.create(
        user=owner,
        version=rules.VERSION,
        answers=given,
        outcome=result.outcome,
        reasons=list(result.reasons),
    )
    if owner is not None:
        screens_changed.send(sender=Screening, user=owner)
    return screening


@transaction.atomic
def attach_anonymous_screenings(*, user, owned_ids) -> int:
    """Give the account the screens this browser took before signing up or logging in."""
    if not owned_ids:
        return 0
    attached = Screening.objects.filter(pk__in=list(owned_ids), user__isnull=True).update(user=user)
    if attached:
        screens_changed.send(sender=Screening, user=user)
    return attached


def purge_anonymous_screenings(*, now) -> int:
    """Delete anonymous screens nobody claimed (by signing up or logging in) once the browser
    session that could claim them has expired; returns how many went."""
    cutoff = now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    deleted, _by_model = Screening.objects.filter(user__isnull=True, taken_at__lt=cutoff).delete()
    return deleted
