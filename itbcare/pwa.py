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

import json

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

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
