from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Red-flag screening"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the log-in receiver)

    def purge(self, *, now) -> dict[str, int]:
        """`manage.py purge`: anonymous screens whose browser session has expired unclaimed."""
        from .services import purge_anonymous_screenings

        return {"unclaimed anonymous screens": purge_anonymous_screenings(now=now)}
