from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "30-day plan"

    def ready(self) -> None:
        from screening.services import screens_changed

        from .snapshots import on_screens_changed

        screens_changed.connect(on_screens_changed, dispatch_uid="rehab_snapshot_on_screens")

    def purge(self, *, now) -> dict[str, int]:
        """`manage.py purge`: the keys of writes sent from the offline queue, once no phone will
        send them again (a phone sends a queued write until it gets an answer: minutes, not weeks).
        A conflict's row holds the offline entry's answers: they are not kept longer either."""
        from .services import purge_write_keys

        return {"offline write keys": purge_write_keys(now=now)}
