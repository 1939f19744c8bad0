from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rehab/report/", views.report, name="report"),
    path("rehab/report.pdf", views.report_pdf, name="report_pdf"),
    path("rehab/share/", views.share, name="share"),
    path("rehab/share/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("rehab/export.fhir.json", views.export_fhir, name="export_fhir"),
    path("s/<str:token>/", views.shared, name="shared"),
]
