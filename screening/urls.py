from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.step, name="start"),
    path("restart/", views.restart, name="restart"),
    path("history/", views.history, name="history"),
    path("result/<uuid:pk>/", views.result, name="result"),
    path("result/<uuid:pk>/summary/", views.summary, name="summary"),
    path("<slug:page_id>/", views.step, name="step"),
]
