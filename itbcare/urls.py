from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.urls import auth_urlpatterns
from accounts.views import set_language

from . import pwa, views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("manifest.webmanifest", pwa.manifest, name="web_manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("offline/token", pwa.csrf_token, name="offline_token"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("screening/", include("screening.urls")),
    path("", include("reports.urls")),
    path("rehab/import/", include("imports.urls")),
    path("rehab/", include("rehab.urls")),
    path("", include("reminders.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = "itbcare.views.bad_request"
handler403 = "itbcare.views.permission_denied"
handler404 = "itbcare.views.page_not_found"
handler500 = "itbcare.views.server_error"
