"""A crawler that visits every page a person can reach, and the checks it runs on each page.

Used by `test_crawl.py` (the real site, as three people, with and without JavaScript) and by
`test_crawler_self.py` (proof that each check really fails on a bad page).

For every page reached:

- axe-core finds no WCAG 2.2 A/AA violation (`AXE_TAGS`): every rule in light mode at 390 px,
  then the colour rules again in dark mode and the target-size rule again at 1280 px;
- its HTML, exactly as the server sent it, is saved for the Nu HTML Checker, which runs once on
  the whole folder at the end (`vnu_errors`): a JVM start costs more than checking ~80 pages;
- no console error (CSP violations are console errors), no failed request, no request to any host
  but 127.0.0.1/localhost;
- the page, every static file it loads and every download carry the security headers, and the
  page and downloads `Cache-Control: no-store` (`header_problems`; itbcare/headers.py);
- the page with all its assets transfers at most `BUDGET_BYTES`, compressed (see `transfer_sizes`),
  and its HTML alone is at most `HTML_BUDGET_BYTES` before compression;
- screenshots at 390 px and 1280 px wide go to `artifacts/screenshots/<persona>/` (git-ignored).

The crawl only ever GETs: it never submits a form (log out, delete, restart...). It follows
same-site links and opens the `action` of every form, except `never_visit()` (log out, the admin)
and actions that only take POST (one GET probe per URL pattern: 405 means "POST only", and the
pattern is left alone). Downloads (`download` attribute, `.json`/`.csv`) are fetched with a plain
GET and must answer 200; no page is opened for them.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.urls import Resolver404, resolve
from playwright.sync_api import BrowserContext, Page, Response

ROOT = Path(settings.BASE_DIR)
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

BUDGET_BYTES = 60 * 1024
#: The page's own HTML, as the server sent it, before compression (what a slow phone parses).
#: The largest page is account settings (its ~430 time zones); 32 KB since its language setting,
#: the footer's language switch and Spanish (words ~15% longer than English).
HTML_BUDGET_BYTES = 32 * 1024
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: axe's "best practice" rules on headings and landmarks, run as well: how screen-reader users
#: find their way around a page (one h1, no skipped levels, everything inside a landmark).
AXE_STRUCTURE = [
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "region",
]
#: axe.run(context, options): every rule with one of the tags, plus the rules listed in `rules`.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {rule: {"enabled": True} for rule in AXE_STRUCTURE},
    "resultTypes": ["violations"],
}
WIDTHS = {"mobile": (390, 844), "desktop": (1280, 800)}


#: Pages that say nothing about anybody: cacheable for a browser without a session (itbcare/headers.py).
PUBLIC_PATHS = frozenset({"/", "/privacy/"})
SECURITY_HEADERS = {
    "x-content-type-options": {"nosniff"},
    "x-frame-options": {"DENY"},
    "referrer-policy": {"same-origin", "no-referrer"},  # a share link's page sends no referrer at all
}


def header_problems(path: str, headers: dict[str, str], *, kind: str) -> list[str]:
    """What is missing from a response's headers (names in lower case, as Playwright gives them).

    `kind`: "page" (an HTML page, error pages included), "download" or "static"."""
    problems = [
        f"header {name}: {headers.get(name)!r}, expected one of {sorted(values)}"
        for name, values in SECURITY_HEADERS.items()
        if kind != "static" or name != "referrer-policy"
        if headers.get(name) not in values
    ]
    csp = headers.get("content-security-policy", "")
    cache = headers.get("cache-control", "")
    if kind == "static":
        if not csp.startswith("default-src 'none'"):
            problems.append(f"header content-security-policy: {csp!r}, expected one that runs nothing")
        if headers.get("cross-origin-resource-policy") != "same-origin":
            problems.append(f"header cross-origin-resource-policy: {headers.get('cross-origin-resource-policy')!r}")
        if "immutable" not in cache:
            problems.append(f"header cache-control: {cache!r}, expected a long-lived immutable cache")
    else:
        if kind == "page" and ("default-src 'self'" not in csp or "'unsafe-inline'" in csp):
            problems.append(f"header content-security-policy: {csp!r}")
        if "camera=()" not in headers.get("permissions-policy", ""):
            problems.append(f"header permissions-policy: {headers.get('permissions-policy')!r}")
        if cache != "no-store" and not (kind == "page" and path in PUBLIC_PATHS):
            problems.append(f"header cache-control: {cache!r}, expected 'no-store'")
        if "cookie" not in {part.strip().lower() for part in headers.get("vary", "").split(",")}:
            problems.append(f"header vary: {headers.get('vary')!r}, expected Cookie in it")
    return [f"{path} {problem}" if kind != "page" else problem for problem in problems]


def never_visit() -> tuple[str, ...]:
    """Path prefixes the crawl must not open: logging out ends the persona's session."""
    return ("/accounts/logout/", "/" + settings.ADMIN_URL.lstrip("/"))


DOWNLOAD_SUFFIXES = (".json", ".csv")


# --- A live server that serves static files the way production does -------------------------


@contextmanager
def site_server(host: str = "127.0.0.1") -> Iterator[str]:
    """Run the site in a thread; yield its base URL.

    Unlike pytest-django's `live_server` (whose StaticFilesHandler serves the source files by
    their plain names, uncompressed), this server is the bare WSGI application: WhiteNoise serves
    `/static/` from STATIC_ROOT, by the manifest's hashed names, pre-compressed (`.gz`) when the
    browser accepts gzip, exactly as in production. So `collectstatic` must be current
    (`assert_static_collected`). Needs `transactional_db` in the test, like `live_server`.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    assert_static_collected()
    overrides = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread(host, static_handler=lambda _media_handler: WSGIHandler(), connections_override=overrides)
    thread.daemon = True
    for conn in overrides.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://{host}:{thread.port}"
    finally:
        thread.terminate()
        # Request threads are daemons that the server does not join; one serving a keep-alive
        # connection ends when the browser hangs up (close contexts first), then closes its
        # database connections, which must still be shareable at that moment.
        for worker in threading.enumerate():
            if worker.name.endswith("(process_request_thread)"):
                worker.join(timeout=5)
        for conn in overrides.values():
            conn.dec_thread_sharing()


def assert_static_collected() -> None:
    """Fail early (not with puzzling results) when STATIC_ROOT is older than static/."""
    static_root = Path(settings.STATIC_ROOT)
    stale = []
    for directory in settings.STATICFILES_DIRS:
        for source in Path(directory).rglob("*"):
            if source.is_file():
                copy = static_root / source.relative_to(directory)
                if not copy.is_file() or copy.read_bytes() != source.read_bytes():
                    stale.append(str(source.relative_to(ROOT)))
    assert not stale, (
        "STATIC_ROOT is out of date for: " + ", ".join(stale) + ". Run `python manage.py collectstatic --noinput` "
        "(`make test` does) before the browser crawl."
    )


# --- Parsing pages: links and forms ---------------------------------------------------------


@dataclass(frozen=True)
class Link:
    url: str
    download: bool = False


@dataclass(frozen=True)
class Form:
    action: str
    method: str


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href") is not None:
            self.links.append(Link(values["href"] or "", download="download" in values))
        elif tag == "form":
            self.forms.append(Form(values.get("action") or "", (values.get("method") or "get").lower()))


def links_and_forms(html: str, page_url: str) -> tuple[list[Link], list[Form]]:
    """Every `<a href>` and `<form>` in the page, with absolute URLs (fragments dropped)."""
    parser = _LinkParser()
    parser.feed(html)
    links = [Link(_absolute(page_url, link.url), link.download) for link in parser.links]
    forms = [Form(_absolute(page_url, form.action), form.method) for form in parser.forms]
    return links, forms


def _absolute(page_url: str, href: str) -> str:
    parts = urlsplit(urljoin(page_url, href))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --- Watching one page: console, network, size -----------------------------------------------


class PageWatch:
    """Console errors and every request of a page, from `reset()` until `problems()`.

    Only what the events carry is recorded (no extra round trip to the browser per request); the
    sizes come from the page's own Resource Timing entries in one call.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[tuple[str, str]] = []  # (text, URL it is about)
        self.requests: list[tuple[str, str]] = []  # (method, URL)
        self.responses: list[tuple[str, str, int]] = []  # (method, URL, status)
        self.failed: list[str] = []
        self.sizes: list[tuple[int, str]] = []
        self.headers: list[str] = []  # problems with static files' headers
        self.static_checked: set[str] = set()  # each static file's headers are checked once
        self.document: Response | None = None
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append((f"uncaught exception: {error}", "")))
        page.on("request", lambda request: self.requests.append((request.method, request.url)))
        page.on("response", self._on_response)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.method} {r.url} failed: {r.failure}"))

    def _on_response(self, response) -> None:
        self.responses.append((response.request.method, response.url, response.status))
        path = path_of(response.url)
        if path.startswith("/static/") and response.status == 200 and path not in self.static_checked:
            self.static_checked.add(path)
            self.headers += header_problems(path, response.headers, kind="static")
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.document = response  # the last one, after any redirects, is the page

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console.append((message.text, message.location.get("url", "")))

    def reset(self) -> None:
        self.console.clear()
        self.requests.clear()
        self.responses.clear()
        self.failed.clear()
        self.headers.clear()
        self.document = None

    def problems(self, *, document_url: str, html: str = "", expect_status: int = 200) -> tuple[list[str], int, int]:
        """(problems, compressed transfer in bytes, number of requests) since the last reset.

        `self.sizes` then lists (bytes, path) of every response, largest first.
        """
        problems = [
            f"console error: {text}"
            for text, url in self.console
            # The browser logs the expected status of a page meant to fail (the 404 page) too.
            if not (expect_status >= 400 and url == document_url and text.startswith("Failed to load resource"))
        ]
        problems += self.failed
        problems += self.headers
        if self.document is not None:
            problems += header_problems(path_of(self.document.url), self.document.headers, kind="page")
        problems += [
            f"request leaves the machine: {method} {url}" for method, url in self.requests if not is_local(url)
        ]
        for method, url, status in self.responses:
            if status >= 400 and not (url == document_url and status == expect_status):
                problems.append(f"{method} {path_of(url)} answered {status}")
        self.sizes = sorted(transfer_sizes(self.page, html), reverse=True)
        return problems, sum(size for size, _path in self.sizes), len(self.requests)


#: Resource Timing for the document and everything it loaded: name, transferSize (headers plus
#: body as received), encodedBodySize (body as received), decodedBodySize (body unpacked).
_TIMING = """() => performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
  .map(e => [e.entryType, e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize])"""


def transfer_sizes(page: Page, html: str) -> list[tuple[int, str]]:
    """(bytes, path) of the page and each asset as transferred, compressed.

    Method: Chromium's own count of bytes received (Resource Timing `transferSize`: response
    headers plus the body as sent). The crawl disables the browser cache, so every asset is
    fetched and counted on every page. Static files come from WhiteNoise's pre-compressed `.gz`
    files (the browser asks for gzip), so for them this *is* the real compressed transfer. Django
    sends the HTML itself uncompressed (no GZipMiddleware: compressing pages that carry a CSRF
    token invites BREACH; a front proxy may compress instead), so for the document we count its
    headers plus the gzip size (level 6, the usual proxy default) of the HTML.
    """
    sizes = []
    for kind, url, transfer, encoded, decoded in page.evaluate(_TIMING):
        if kind == "navigation" and html and encoded == decoded:
            transfer = transfer - encoded + len(gzip.compress(html.encode(), compresslevel=6))
        sizes.append((transfer, path_of(url)))
    return sizes


# --- axe-core ---------------------------------------------------------------------------------

#: Dark mode changes colours only, and width changes layout only: so after the full run (light,
#: 390 px) the dark run checks the colour rules and the 1280 px run the target sizes again.
AXE_DARK = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}}
AXE_DESKTOP = {"runOnly": {"type": "rule", "values": ["target-size"]}}


def axe_violations(page: Page, options: dict = AXE_OPTIONS, *, label: str = "") -> list[str]:
    """axe-core's violations on the page as it is now, one line each (WCAG 2.2 A/AA by default).

    axe-core is the copy inside axe-playwright-python; it is injected once per page load and then
    run directly, because `Axe().run` would inject its ~560 KB again on every call.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options = {**options, "resultTypes": ["violations"]}
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = "; ".join(" ".join(map(str, node["target"])) for node in nodes[:5])
        more = f" (+{len(nodes) - 5} more)" if len(nodes) > 5 else ""
        lines.append(f"axe{label} {violation['id']} ({violation['impact']}): {violation['help']} at {targets}{more}")
    return lines


def axe_ids(page: Page, options: dict = AXE_OPTIONS) -> set[str]:
    return {line.split()[1] for line in axe_violations(page, options)}


# --- The Nu HTML Checker ----------------------------------------------------------------------


def vnu_errors(folder: Path) -> dict[str, list[str]]:
    """Run vnu once on every `.html` file in `folder`; {file name: [error, ...]} for files with errors."""
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci` (`make install` does)."
    command = ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", str(folder)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise AssertionError(f"vnu gave no JSON report: {completed.stdout[:500]} {completed.stderr[:500]}") from exc
    errors: dict[str, list[str]] = {}
    for message in messages:
        name = Path(unquote(urlsplit(message.get("url", "")).path)).name or "?"
        where = f"line {message['lastLine']}" if "lastLine" in message else ""
        extract = (message.get("extract") or "").strip().replace("\n", " ")[:120]
        errors.setdefault(name, []).append(f"vnu {message.get('type')}: {message.get('message')} {where} «{extract}»")
    return errors


# --- A page in another language: no English left in what people read ---------------------------

#: Common English words that are not words of any language the site is translated into: one of
#: them in a translated page's visible text means a string was left untranslated.
ENGLISH_WORDS = frozenset(
    """the and your you with this that today what when which have will from pain knee check save
    please days week weeks minutes none yes not more about after before start stop every exercise
    exercises rest level session sessions log logged done back next here there should""".split()
)
#: Names that stay as they are in every language, and the crawl's own sample data.
NOT_TRANSLATED = (
    "ITB Care",
    "NHS Couch to 5K",
    "Apple Health",
    "Easy day; walked the dog.",  # a note the crawl's person typed
)


def english_leftovers(text: str, allowed: Iterable[str] = NOT_TRANSLATED) -> list[str]:
    """The common English words in `text` (after taking out the allowed names), in order."""
    for name in allowed:
        text = text.replace(name, " ")
    return [word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH_WORDS]


#: What a person reads: the visible text of the page, and its title (tab, history, screen readers).
_VISIBLE_TEXT = "() => document.title + '\\n' + document.body.innerText"


def language_problems(page: Page, language: str) -> list[str]:
    problems = []
    lang = page.evaluate("document.documentElement.lang")
    if lang != language:
        problems.append(f'<html lang="{lang}">, expected "{language}"')
    if language != "en":
        text = page.evaluate(_VISIBLE_TEXT)
        words = english_leftovers(text)
        if words:
            lines = [line.strip() for line in text.splitlines() if english_leftovers(line)]
            problems.append(f"English left in the {language} page ({', '.join(sorted(set(words)))}): {lines[:3]}")
    return problems


# --- The crawl ------------------------------------------------------------------------------


@dataclass
class PageResult:
    persona: str
    path: str
    final_path: str = ""
    status: int = 0
    transfer: int = 0
    requests: int = 0
    problems: list[str] = field(default_factory=list)
    html_file: str = ""
    sizes: list[tuple[int, str]] = field(default_factory=list)  # (bytes, path), largest first


@dataclass
class CrawlReport:
    pages: list[PageResult] = field(default_factory=list)
    downloads: dict[str, int] = field(default_factory=dict)
    download_problems: list[str] = field(default_factory=list)
    static_files: set[str] = field(default_factory=set)  # whose headers were checked
    post_only: set[str] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)

    def add_vnu(self, errors: dict[str, list[str]]) -> None:
        by_file = {page.html_file: page for page in self.pages if page.html_file}
        for name, messages in errors.items():
            page = by_file.get(name)
            if page is None:
                raise AssertionError(f"vnu reported on a file the crawl did not write: {name}: {messages}")
            page.problems.extend(messages)

    def problems(self) -> list[str]:
        lines = [f"[{p.persona}] {p.path}: {problem}" for p in self.pages for problem in p.problems]
        lines += [f"download {url} answered {status}" for url, status in self.downloads.items() if status != 200]
        return lines + self.download_problems

    def largest(self) -> PageResult:
        return max(self.pages, key=lambda page: page.transfer)

    def summary(self) -> str:
        personas: dict[str, int] = {}
        for page in self.pages:
            personas[page.persona] = personas.get(page.persona, 0) + 1
        big = self.largest()
        parts = ", ".join(f"{path} {size / 1024:.1f}" for size, path in big.sizes)
        return (
            f"{len(self.pages)} pages ({', '.join(f'{k}: {v}' for k, v in personas.items())}), "
            f"{len(self.downloads)} downloads, largest {big.persona} {big.path} {big.transfer / 1024:.1f} KB "
            f"({parts}), {time.monotonic() - self.started:.1f} s so far"
        )


def _resize(page: Page, width: str) -> None:
    columns, rows = WIDTHS[width]
    if page.viewport_size != {"width": columns, "height": rows}:
        page.set_viewport_size({"width": columns, "height": rows})


def _slug(path: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", path).strip("-")[:80] or "home"


class Crawler:
    """Crawls as one persona (one browser context), adding every page's result to `report`.

    `check()` runs every check on the page currently open; `crawl()` visits and checks pages
    breadth-first from some seed paths. The no-JavaScript tasks use `check()` after each form
    they submit. axe-core cannot run in a context with JavaScript disabled (its timers never
    fire), so such a crawler passes `axe_page`: a JavaScript-enabled page where each HTML is
    replayed, with the site's own scripts blocked, to be checked as a no-JS visitor sees it.
    """

    def __init__(
        self,
        context: BrowserContext,
        base_url: str,
        persona: str,
        *,
        html_dir: Path,
        report: CrawlReport,
        budget: int = BUDGET_BYTES,
        axe_page: Page | None = None,
        screenshots: bool = True,
        screenshots_per_route: int | None = None,
        language: str | None = None,
        pages_per_route: int | None = None,
        axe_extra: bool = True,
    ) -> None:
        self.context, self.base_url, self.persona = context, base_url.rstrip("/"), persona
        self.html_dir, self.report, self.budget = html_dir, report, budget
        self.page = context.pages[0] if context.pages else context.new_page()
        self.page.set_default_timeout(15_000)
        self.axe_page = axe_page
        self.watch = PageWatch(self.page)
        self._cache_disabled()
        self.shots = SCREENSHOTS / persona if screenshots else None
        self.shots_per_route = screenshots_per_route
        self.shots_taken: dict[str, int] = {}
        self.shooting = False
        if self.shots:
            shutil.rmtree(self.shots, ignore_errors=True)
            self.shots.mkdir(parents=True)
        self.seen: set[str] = set()
        self.routes_probed: dict[str, bool] = {}
        #: A translated crawl: every page must say `lang="<language>"` and hold no English words.
        self.language = language
        #: At most this many pages of one URL pattern (21 daily logs look alike); None: all.
        self.pages_per_route = pages_per_route
        self.pages_of_route: dict[str, int] = {}
        #: The dark-mode and 1280 px axe runs (a translated crawl changes words, not colours).
        self.axe_extra = axe_extra

    def _cache_disabled(self) -> None:
        # Every page is measured as a first visit: all its assets are fetched again.
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    # -- one page

    def goto(self, path: str, *, expect_status: int = 200) -> PageResult:
        self.watch.reset()
        _resize(self.page, "mobile")
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None, path
        return self.check(path, status=response.status, html=response.text(), expect_status=expect_status)

    def start(self) -> None:
        """Begin watching a page load that a click or a form submission is about to cause."""
        self.watch.reset()

    def check_current(self, label: str, *, expect_status: int = 200) -> PageResult:
        """Check the page a click or form submission just loaded (call `start()` before it)."""
        self.page.wait_for_load_state("load")
        response = self.watch.document
        assert response is not None, f"{label}: no page load was seen"
        return self.check(label, status=response.status, html=response.text(), expect_status=expect_status)

    def check(self, path: str, *, status: int, html: str, expect_status: int = 200) -> PageResult:
        page = self.page
        result = PageResult(self.persona, path, final_path=path_of(page.url), status=status)
        self.report.pages.append(result)
        if status != expect_status:
            result.problems.append(f"answered {status}, expected {expect_status}")
        document_url = page.url
        problems, result.transfer, result.requests = self.watch.problems(
            document_url=document_url, html=html, expect_status=expect_status
        )
        result.problems += problems
        self.report.static_files |= self.watch.static_checked
        result.sizes = list(self.watch.sizes)
        if result.transfer > self.budget:
            biggest = ", ".join(f"{path} {size / 1024:.1f} KB" for size, path in self.watch.sizes[:4])
            result.problems.append(
                f"transfers {result.transfer / 1024:.1f} KB compressed with its assets (budget "
                f"{self.budget / 1024:.0f} KB): {biggest}"
            )
        html_bytes = len(html.encode("utf-8"))
        if html_bytes > HTML_BUDGET_BYTES:
            result.problems.append(
                f"HTML is {html_bytes / 1024:.1f} KB before compression (limit {HTML_BUDGET_BYTES // 1024} KB)"
            )
        number = len([p for p in self.report.pages if p.persona == self.persona])
        result.html_file = f"{self.persona}-{number:03d}-{_slug(result.final_path)}.html"
        (self.html_dir / result.html_file).write_text(html, encoding="utf-8")

        # Full axe run in light mode at 390 px, colours again in dark mode, target sizes again at
        # 1280 px; a screenshot at each width.
        target = self._axe_target(document_url, html)
        self.shooting = self._wants_screenshots(result.final_path)
        result.problems += axe_violations(target, label=" light 390px")
        if self.language:
            result.problems += language_problems(target, self.language)
        self._screenshot(number, result.final_path, "mobile")
        if not self.axe_extra:
            return result
        target.emulate_media(color_scheme="dark")
        result.problems += axe_violations(target, AXE_DARK, label=" dark 390px")
        target.emulate_media(color_scheme="light")
        for each in {page, target}:
            _resize(each, "desktop")
        result.problems += axe_violations(target, AXE_DESKTOP, label=" light 1280px")
        self._screenshot(number, result.final_path, "desktop")
        return result

    def _axe_target(self, document_url: str, html: str) -> Page:
        if self.axe_page is None:
            return self.page
        # Replay the HTML at its own URL; stylesheets and images load from the server, scripts do not.
        replay = self.axe_page
        _resize(replay, "mobile")

        def serve(route) -> None:
            route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

        def block(route) -> None:
            route.abort()

        replay.route(document_url, serve)
        replay.route("**/*.js", block)
        try:
            replay.goto(document_url, wait_until="load")
        finally:
            replay.unroute(document_url, serve)
            replay.unroute("**/*.js", block)
        return replay

    def _wants_screenshots(self, path: str) -> bool:
        """Screenshots are for people: a few of each kind of page (21 daily logs look alike)."""
        if self.shots is None:
            return False
        if self.shots_per_route is None:
            return True
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            route = path
        self.shots_taken[route] = self.shots_taken.get(route, 0) + 1
        return self.shots_taken[route] <= self.shots_per_route

    def _screenshot(self, number: int, path: str, width: str) -> None:
        if self.shooting:
            name = f"{number:03d}-{_slug(path)}-{WIDTHS[width][0]}.jpeg"
            self.page.screenshot(path=self.shots / name, full_page=True, type="jpeg", quality=80)

    # -- the crawl

    def crawl(self, seeds: Iterable[str | tuple[str, int]], *, follow: bool = True) -> None:
        queue: deque[tuple[str, int]] = deque((s, 200) if isinstance(s, str) else s for s in seeds)
        while queue:
            path, expect_status = queue.popleft()
            if path in self.seen or not self._route_has_room(path):
                continue
            self.seen.add(path)
            result = self.goto(path, expect_status=expect_status)
            self.seen.add(result.final_path)
            if not follow:
                continue
            html = (self.html_dir / result.html_file).read_text(encoding="utf-8")
            links, forms = links_and_forms(html, self.page.url)
            for link in links:
                self._follow(link.url, download=link.download, queue=queue)
            for form in forms:
                self._follow(form.action, download=False, queue=queue, form_method=form.method)

    def _route_has_room(self, path: str) -> bool:
        if self.pages_per_route is None:
            return True
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            route = path
        self.pages_of_route[route] = self.pages_of_route.get(route, 0) + 1
        return self.pages_of_route[route] <= self.pages_per_route

    def _follow(self, url: str, *, download: bool, queue: deque, form_method: str | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not is_local(url):
            return  # mailto:, tel:, other sites: not ours to crawl (their requests would show up as problems)
        if urlsplit(self.base_url).netloc != parts.netloc:
            return
        path = path_of(url)
        if path in self.seen or any(path.startswith(prefix) for prefix in never_visit()):
            return
        if download or parts.path.endswith(DOWNLOAD_SUFFIXES):
            self.seen.add(path)
            response = self.context.request.get(url)
            key = f"[{self.persona}] {path}"
            self.report.downloads[key] = response.status
            self.report.download_problems += [
                f"download {key}: {p}" for p in header_problems(path, response.headers, kind="download")
            ]
            return
        if form_method == "post":
            # A form's page is opened only if its action answers GET: 405 means "POST only".
            # One probe per URL pattern (`/rehab/done/<day>/<slug>/` has hundreds of instances).
            try:
                route = resolve(parts.path).route
            except Resolver404:
                route = parts.path
            if route not in self.routes_probed:
                status = self.context.request.get(url, max_redirects=0).status
                self.routes_probed[route] = status == 405
            if self.routes_probed[route]:
                self.seen.add(path)
                self.report.post_only.add(route)
                return
        queue.append((path, 200))
