"""The session engine (SESSION_ENGINE = "accounts.sessions"): Django's database sessions, with the
signed-in person's id kept in an indexed column (`accounts.models.Session.user`).

Django's own table stores the person only inside the signed session data, so "every session of
this person" would mean decoding every row. Here the column is written in the same INSERT or
UPDATE that saves the session (no extra query), and `end_sessions` is one indexed DELETE.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import Session

        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session

    async def acreate_model_instance(self, data):
        session = await super().acreate_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session
