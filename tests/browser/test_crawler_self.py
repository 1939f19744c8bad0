"""The crawler's checks fail when they should: a crawl that cannot fail proves nothing.

This module is also a URL conf (`urlpatterns` below): the crawl test points ROOT_URLCONF here,
so the crawler walks a tiny site with one good page that links to deliberately bad ones.
"""

from __future__ import annotations

import secrets

import pytest
from django.http import HttpResponse
from django.urls import path
from playwright.sync_api import Browser

from itbcare import urls as site_urls
from tests.browser.crawler import (
    AXE_DARK,
    BUDGET_BYTES,
    HTML_BUDGET_BYTES,
    Crawler,
    CrawlReport,
    PageWatch,
    axe_ids,
    header_problems,
    site_server,
    vnu_errors,
)

pytestmark = pytest.mark.browser


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        f"<title>{title}</title>{head}</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


GOOD = _page(
    "A good page",
    '<p><a href="/self-test/bad/">A bad page</a></p><p><a href="/self-test/big/">A big page</a></p>'
    '<p><a href="/self-test/missing-asset/">A page with a missing stylesheet</a></p>'
    '<form method="post" action="/self-test/" data-hx-post="/self-test/"><label for="q">Name</label> <input id="q" name="q">'
    " <button>Send</button></form>",
)
BAD = _page(
    "A bad page",
    # image-alt, label, an inline style (refused by the CSP: a console error), an hx- attribute
    # and a <div> inside a <p> (both invalid HTML).
    '<img src="/static/img/favicon.svg" width="20" height="20"><input name="q">'
    '<p style="color: #aaa">Faint text</p><p hx-get="/">htmx</p><p><div>A block in a paragraph</div></p>'
    '<p><a href="/self-test/gone.csv" download>A download that is gone</a></p>',
)
BIG = _page("A big page", f"<p>{secrets.token_urlsafe(BUDGET_BYTES * 2)}</p>")  # random: does not compress
MISSING_ASSET = _page("A missing stylesheet", "<p>Unstyled.</p>", '<link rel="stylesheet" href="/static/no.css">')

# The real site (its error pages need its URL names), plus the test pages under /self-test/.
urlpatterns = [
    path("self-test/", lambda request: HttpResponse(GOOD)),
    path("self-test/bad/", lambda request: HttpResponse(BAD)),
    path("self-test/big/", lambda request: HttpResponse(BIG)),
    path("self-test/missing-asset/", lambda request: HttpResponse(MISSING_ASSET)),
    *site_urls.urlpatterns,
]
handler404 = site_urls.handler404


def test_the_crawl_flags_every_kind_of_problem_on_pages_added_to_a_site(settings, transactional_db, browser, tmp_path):
    settings.ROOT_URLCONF = __name__
    report = CrawlReport()
    with site_server() as url:
        context = browser.new_context()
        crawler = Crawler(context, url, "self-test", html_dir=tmp_path, report=report, screenshots=False)
        crawler.crawl(["/self-test/"])
        context.close()
    report.add_vnu(vnu_errors(tmp_path))

    problems = {page.path.removeprefix("/self-test"): "\n".join(page.problems) for page in report.pages}
    assert set(problems) == {"/", "/bad/", "/big/", "/missing-asset/"}
    assert problems["/"] == ""  # no false alarms: the good page (data-hx-post included) passes
    bad = problems["/bad/"]
    assert "axe light 390px image-alt" in bad and "axe light 390px label" in bad
    assert "console error: Applying inline style violates the following Content Security Policy" in bad
    assert "vnu error: Attribute “hx-get” not allowed" in bad
    assert "vnu error: No “p” element in scope but a “p” end tag seen" in bad
    assert f"(budget {BUDGET_BYTES // 1024} KB)" in problems["/big/"]
    assert f"before compression (limit {HTML_BUDGET_BYTES // 1024} KB)" in problems["/big/"]
    assert "before compression" not in problems["/"]
    assert "/static/no.css failed: net::ERR_ABORTED" in problems["/missing-asset/"]  # a 404, refused as CSS
    assert report.problems()[-1] == "download [self-test] /self-test/gone.csv answered 404"
    assert report.post_only == set()  # the good page's form posts to a page that also answers GET


def test_axe_checks_headings_and_landmarks_too(browser: Browser):
    page = browser.new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>No structure</title></head><body>'
        "<div><h2>Section</h2><h4>Skipped a level</h4><p>Outside any landmark.</p></div></body></html>"
    )
    assert {"page-has-heading-one", "heading-order", "landmark-one-main", "region"} <= axe_ids(page)
    page.close()


def test_axe_checks_wcag_2_2_and_dark_mode(browser: Browser):
    page = browser.new_page()
    page.set_content(
        _page(
            "Axe",
            '<p>Text</p><p><button class="tiny" aria-label="Close"></button><button class="tiny" aria-label="Open">'
            "</button></p>",
            "<style>body { background: #fff; color: #222; } .tiny { width: 10px; height: 10px; padding: 0;"
            " margin: 0; border: 0; } @media (prefers-color-scheme: dark) { body { background: #000; color: #222; } }"
            "</style>",
        )
    )
    page.emulate_media(color_scheme="light")
    assert axe_ids(page) == {"target-size"}  # WCAG 2.2 AA (tag wcag22aa) is in the tag set
    page.emulate_media(color_scheme="dark")
    assert axe_ids(page, AXE_DARK) == {"color-contrast"}
    page.close()


def test_the_page_watch_reports_requests_that_leave_the_machine(browser: Browser):
    page = browser.new_page()
    watch = PageWatch(page)
    page.set_content(_page("Tracker", '<img src="http://tracker.invalid/pixel.gif" alt="">'))
    problems, _size, _count = watch.problems(document_url="about:blank")
    assert any("request leaves the machine: GET http://tracker.invalid/pixel.gif" in line for line in problems)
    page.close()


GOOD_PAGE_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=()",
    "cache-control": "no-store",
    "vary": "Accept-Language, Cookie",
}


def test_the_header_check_flags_each_missing_or_weak_header():
    assert header_problems("/rehab/", GOOD_PAGE_HEADERS, kind="page") == []
    for name in GOOD_PAGE_HEADERS:
        missing = {k: v for k, v in GOOD_PAGE_HEADERS.items() if k != name}
        assert any(name in problem for problem in header_problems("/rehab/", missing, kind="page")), name
    inline = {**GOOD_PAGE_HEADERS, "content-security-policy": "default-src 'self' 'unsafe-inline'"}
    assert header_problems("/rehab/", inline, kind="page")
    cached = {**GOOD_PAGE_HEADERS, "cache-control": "private, max-age=300"}
    assert header_problems("/rehab/export.json", cached, kind="download")
    assert header_problems("/privacy/", cached, kind="page") == []  # a public page may be cached


def test_the_header_check_of_static_files():
    good = {
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "content-security-policy": "default-src 'none'; sandbox",
        "cross-origin-resource-policy": "same-origin",
        "cache-control": "max-age=315360000, public, immutable",
    }
    assert header_problems("/static/a.css", good, kind="static") == []
    for name in good:
        missing = {k: v for k, v in good.items() if k != name}
        assert header_problems("/static/a.css", missing, kind="static"), name
