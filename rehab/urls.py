from django.urls import path, register_converter

from kit.dates import parse_iso_date

from . import views


class IsoDateConverter:
    """YYYY-MM-DD in the URL, a `date` in the view. An impossible date (2026-02-30) or one outside
    the site's window of dates (`kit.dates`: 9999-12-31, 0001-01-01) raises ValueError here, which
    Django reads as "no match": a 404, before any date arithmetic can overflow."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str):
        return parse_iso_date(value)

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "rehab"

urlpatterns = [
    path("", views.today, name="today"),
    path("start/", views.start, name="start"),
    path("plan/", views.plan, name="plan"),
    path("plan/settings/", views.plan_settings, name="plan_settings"),
    path("plan/delete/", views.plan_delete, name="plan_delete"),
    path("log/", views.log_today, name="log_today"),
    path("log/<isodate:day>/", views.log_day, name="log"),
    path("check/", views.check, name="check"),
    path("target/", views.target, name="target"),
    path("build/", views.build, name="build"),
    path("timeline/", views.timeline, name="timeline"),
    path("function/", views.psfs, name="psfs"),
    path("function/activities/", views.psfs_names, name="psfs_names"),
    path("exercises/", views.exercise_list, name="exercises"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise"),
    path("done/<isodate:day>/<slug:slug>/", views.exercise_done, name="exercise_done"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
]
