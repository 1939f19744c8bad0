"""The web app manifest: served with its type, linked from every page, and valid for install
(the fields Chromium's installability check needs: a name, a start URL inside the scope,
`standalone`, a 192 px and a 512 px PNG icon that exist, and a maskable one)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from PIL import Image

ROOT = Path(settings.BASE_DIR)


def test_manifest_is_served_with_its_type_and_the_fields_install_needs(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    data = json.loads(response.content)
    assert data["name"] == "ITB Care"
    assert data["short_name"] and len(data["short_name"]) <= 12
    assert data["start_url"] == "/rehab/"
    assert data["start_url"].startswith(data["scope"])
    assert data["display"] == "standalone"
    assert data["theme_color"].startswith("#") and data["background_color"].startswith("#")
    purposes = {(icon["sizes"], icon["purpose"]) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_every_icon_exists_at_the_size_it_claims(client, db):
    data = json.loads(client.get("/manifest.webmanifest").content)
    for icon in data["icons"]:
        name = icon["src"].removeprefix(settings.STATIC_URL)
        path = ROOT / "static" / name
        if not path.exists():  # a hashed name: the source file is the one before the hash
            stem, _hash, ext = path.name.rsplit(".", 2)
            path = path.with_name(f"{stem}.{ext}")
        width, height = (int(n) for n in icon["sizes"].split("x"))
        with Image.open(path) as image:
            assert image.size == (width, height)
            assert image.format == "PNG"


def test_maskable_icon_keeps_its_edges_opaque(client, db):
    """A maskable icon fills its square (a transparent corner would show under a circle mask)."""
    with Image.open(ROOT / "static/img/icons/icon-maskable-512.png") as image:
        assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_every_page_links_the_manifest_and_theme_colours(client, db):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'name="theme-color" content="#0b5cad" media="(prefers-color-scheme: light)"' in html
    assert 'media="(prefers-color-scheme: dark)"' in html
