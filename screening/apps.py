from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Red-flag screening"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the log-in receiver)
