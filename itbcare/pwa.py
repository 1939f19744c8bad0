"""What makes ITB Care an installable web app that keeps working offline.

- `manifest`: the web app manifest (`/manifest.webmanifest`): names, icons, colours, start URL.
- `service_worker`: the service worker (`/sw.js`, served from the root so that its scope is the
  whole site; the script is `templates/pwa/sw.js`). Its cache name is made from the static
  files' hashed names, so a deploy that changes any of them replaces the cache.
- `offline`: the page shown offline for a page that has no copy on the device; it says nothing
  about anybody (it is cached when the worker installs).
- `csrf_token`: a fresh CSRF token for the offline queue, when a replayed write was refused
  for a stale one (the queue then sends it again; it never drops it).

Everything is `no-store` like every other response (itbcare/headers.py): the browser fetches
the worker and the manifest again on each check, so a deploy is picked up at once.
"""

from __future__ import annotations

import hashlib
import json

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kit.offline import HEADER, account_key

#: Light and dark theme colours (static/css/site.css: --accent and --bg of each scheme).
THEME_LIGHT = "#0b5cad"
THEME_DARK = "#121418"
BACKGROUND_LIGHT = "#ffffff"
BACKGROUND_DARK = "#121418"

ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/icon-maskable-512.png", "512x512", "maskable"),
)


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    today = reverse("rehab:today")
    data = {
        "id": today,
        "name": "ITB Care",
        "short_name": "ITB Care",
        "description": _(
            "A careful self-guided check and 30-day plan for pain on the outside of the knee (IT band syndrome)."
        ),
        "lang": request.LANGUAGE_CODE,
        "dir": "ltr",
        "start_url": today,
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_LIGHT,
        "background_color": BACKGROUND_LIGHT,
        "categories": ["health", "medical"],
        "icons": [
            {"src": staticfiles_storage.url(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for name, sizes, purpose in ICONS
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/manifest+json; charset=utf-8"
    )


#: The app shell: what every page needs, kept by the worker when it installs (with the offline
#: page). Static names before hashing; the hashed URLs go into the worker.
SHELL = (
    "css/site.css",
    "css/print.css",
    "js/app.js",
    "js/offline.js",
    "js/counter.js",
    "js/exercise-timer.js",
    "django_htmx/htmx-2.min.js",
    "img/favicon.svg",
    *(name for name, _sizes, _purpose in ICONS),
)
#: Bump when the worker's own code changes in a way the shell's names don't show.
WORKER_REVISION = "1"


def shell_urls() -> list[str]:
    return [staticfiles_storage.url(name) for name in SHELL]


def cache_version(urls: list[str]) -> str:
    """The shell cache's name: from the hashed static URLs (a deploy that changes any shell file
    changes it, and the new worker deletes the old cache when it takes over)."""
    return hashlib.sha256(json.dumps([WORKER_REVISION, *urls]).encode()).hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    urls = shell_urls()
    context = {
        "version": cache_version(urls),
        "shell": json.dumps([*urls, reverse("offline")]),
        "offline_url": json.dumps(reverse("offline")),
        "static_url": json.dumps(staticfiles_storage.base_url),
        "copy_header": json.dumps(HEADER),
    }
    response = HttpResponse(
        render_to_string("pwa/sw.js", context), content_type="application/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The page for a page not kept on this device, offline. It is the same for everybody (no
    name, no health data): the worker keeps one copy for whoever is signed in next."""
    return render(request, "offline.html", {"offline_account": ""})  # nobody's: see `context`


@require_GET
def csrf_token(request: HttpRequest) -> JsonResponse:
    """A fresh CSRF token for the offline queue (a write refused for a stale token is sent again
    with this one)."""
    return JsonResponse({"token": get_token(request)})


def context(request: HttpRequest) -> dict:
    """For base.html: the signed-in person's key on this device (kit/offline.py), read by the
    offline queue and the worker so that one person's entries and copies never reach another."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"offline_account": account_key(user)}
