"""Writes for the knee check, kept out of the views (which pages follow: `flow.Flow`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from . import rules
from .models import Screening

ANSWERS_KEY = "screening_answers"  # answers of the screen in progress
DONE_KEY = "screening_done"  # pages completed in the screen in progress
DEFERRED_KEY = "screening_deferred"  # blanks of done urgent pages, asked again on the check pages
OWNED_KEY = "screening_ids"  # completed anonymous screens of this browser, attached at log-in

#: Sent with `user=` inside the transaction that stored or attached a signed-in person's screens
#: (a screen can pause or resume a plan: the plan app refreshes what it derived from them).
screens_changed = Signal()


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
