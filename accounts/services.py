from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from .models import User


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete a person and everything they entered: screens, plans, logs, checks, completions.

    Their rows go by cascade from the user; the login-throttling records that name them go too.
    """
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=user.get_username()).delete()
    user.delete()
