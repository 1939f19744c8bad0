"""The report as a PDF (WeasyPrint). Static files are read from disk, never fetched over HTTP."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "https://report.invalid/"


class PdfUnavailable(Exception):
    """WeasyPrint or its system libraries (Pango) cannot be loaded."""


def _static_path(url: str) -> str | None:
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    name = url.removeprefix(prefix).split("?")[0]
    if ".." in Path(name).parts:
        return None
    found = finders.find(name)
    if found:
        return found
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / name
        if candidate.is_file():
            return str(candidate)
    return None


def url_fetcher(url: str, *args, **kwargs) -> dict:
    """The static file behind `url` (bytes and type); anything else is refused, so nothing is
    fetched over the network."""
    path = _static_path(url)
    if path is None:
        raise ValueError(f"Refusing to fetch {url!r}")
    return {
        "string": Path(path).read_bytes(),
        "mime_type": mimetypes.guess_type(path)[0] or "application/octet-stream",
        "redirected_url": url,
    }


def _fetcher():
    """WeasyPrint ≥ 70 wants a `URLFetcher` whose `fetch` returns a `URLFetcherResponse`."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            found = url_fetcher(url)
            return URLFetcherResponse(url, body=found["string"], headers={"Content-Type": found["mime_type"]})

    return StaticOnlyFetcher(allowed_protocols=("https",))


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render(html: str) -> bytes:
    try:
        from weasyprint import HTML

        fetcher = _fetcher()
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
