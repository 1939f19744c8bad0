from django.urls import path

from . import views

app_name = "rehab"

urlpatterns = [
    path("", views.today, name="today"),
    path("export.json", views.today, name="export_json"),
    path("export.csv", views.today, name="export_csv"),
]
