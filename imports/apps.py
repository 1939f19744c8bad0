from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Training files (GPX, TCX, FIT, a Strava export) → activity entries and the usual week.

    A feature app on top of `rehab`: it reads the plan and writes entries through
    `rehab.services.import_activities`; `rehab` never imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = _("Imported activities")
