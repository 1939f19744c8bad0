from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("usual-week/", views.usual_week_page, name="usual_week"),
    path("<uuid:job_id>/", views.job, name="job"),
    path("<uuid:job_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:job_id>/discard/", views.discard, name="discard"),
]
