from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "30-day plan"

    def ready(self) -> None:
        from screening.services import screens_changed

        from .snapshots import on_screens_changed

        screens_changed.connect(on_screens_changed, dispatch_uid="rehab_snapshot_on_screens")
