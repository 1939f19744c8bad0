from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import throttle

        user_login_failed.connect(throttle.on_login_failed, dispatch_uid="accounts_throttle_failed")
        user_logged_in.connect(throttle.on_logged_in, dispatch_uid="accounts_throttle_succeeded")

    def purge(self, *, now) -> dict[str, int]:
        """`manage.py purge`: expired sessions, sessions of deleted accounts, old throttle rows."""
        from .services import purge

        return purge(now=now)
