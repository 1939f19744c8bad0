"""The site's URLs under /app/: a second URL conf for the URL memory's tests."""

from django.urls import include, path

urlpatterns = [path("app/", include("itbcare.urls"))]
