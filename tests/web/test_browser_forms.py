"""Issue 20 in a real browser (Chromium via Playwright): the library form, the phone layout,
several files in one upload, and the API page under the strict CSP.

The server and browser fixtures are test_browser's (a ``ynsert serve`` on 127.0.0.1 with a
temporary SQLite library; Debian's Chromium); this module signs up its own reader.
"""

from __future__ import annotations

import re

import pytest
from test_browser import CHROMIUM, browser, server, shot  # noqa: F401 (fixtures)
from webtools import PASSWORD

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not __import__("os").path.exists(CHROMIUM), reason="Debian's chromium is not installed"
)
GOWN = b"Title: The Gown\n\nYou smoothed your gown and stepped into the hall, Y/N.\n"
LONG = b"Title: The Long Road\n\n" + b"You walked on and on down the road, Y/N. " * 60


@pytest.fixture(scope="module")
def reader(browser, server):  # noqa: F811 (fixtures from test_browser)
    """A logged-in reader with the sample plus two works, imported as several files at once."""
    context = browser.new_context(base_url=server, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto("/register")
    page.fill("input[name=username]", "lena")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/profiles?welcome=1")
    yield context
    context.close()


def _errors(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def test_import_several_files_at_once(reader) -> None:
    """Item 5: two files chosen together; the page lists both, each linking to its work."""
    page = reader.new_page()
    errors = _errors(page)
    page.goto("/import")
    files = [
        {"name": "gown.txt", "mimeType": "text/plain", "buffer": GOWN},
        {"name": "road.txt", "mimeType": "text/plain", "buffer": LONG},
    ]
    page.set_input_files("#import-file input[type=file]", files)
    page.click("#import-button")
    page.wait_for_selector("#imported-title")
    assert page.locator("#imported-title").inner_text() == "Imported 2 of 2"
    assert page.locator(".imported-ok a").all_inner_texts() == ["The Gown", "The Long Road"]
    assert errors == []
    page.close()


def test_library_apply_searches_with_empty_word_boxes(reader) -> None:
    """Item 1: the filter form as a reader uses it (word boxes left empty) → filtered list."""
    page = reader.new_page()
    errors = _errors(page)
    page.goto("/")
    assert page.locator("#filters input[name=min_words]").input_value() == ""
    page.fill("#filters input[name=q]", "gown")
    page.click("#filters button:has-text('Apply')")
    page.wait_for_url(re.compile(r".*q=gown.*"))
    assert page.locator("li.work h2").all_inner_texts() == ["The Gown"]
    page.fill("#filters input[name=q]", "")
    page.fill("#filters input[name=min_words]", "100")
    page.click("#filters button:has-text('Apply')")
    page.wait_for_url(re.compile(r".*min_words=100.*"))
    titles = page.locator("li.work h2").all_inner_texts()
    assert "The Long Road" in titles and "The Gown" not in titles
    page.fill("#filters input[name=min_words]", "")
    page.select_option("#filters select[name=sort]", "title")
    page.click("#filters button:has-text('Apply')")
    page.wait_for_url(re.compile(r".*sort=title.*"))
    assert page.locator("li.work h2").all_inner_texts() == ["seed", "The Gown", "The Long Road"]
    assert errors == []
    page.close()


def test_search_box_is_above_the_list_on_a_phone(reader) -> None:
    """Item 6: at 390 px the search box is on the first screen, above the first work."""
    page = reader.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    search = page.locator("#filters input[name=q]")
    first = page.locator("li.work").first
    assert search.is_visible() and first.is_visible()
    box, card = search.bounding_box(), first.bounding_box()
    assert box["y"] + box["height"] <= card["y"] and box["y"] + box["height"] < 844
    heading = page.locator("h1").bounding_box()
    assert heading["y"] < box["y"]  # the heading stays on top
    exclude = page.locator("#filters fieldset").first.bounding_box()
    assert exclude["y"] > card["y"]  # the longer filters come after the list
    shot(page, "20-phone-library")
    search.fill("road")
    search.press("Enter")
    page.wait_for_url(re.compile(r".*q=road.*"))
    assert page.locator("li.work h2").all_inner_texts() == ["The Long Road"]
    page.close()


def test_api_docs_render_under_the_csp(reader) -> None:
    """Item 4: Swagger UI from the app's own static files, no CSP violation, operations shown."""
    page = reader.new_page()
    errors = _errors(page)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/works/many" in [p.strip() for p in paths] and len(paths) > 15
    assert all(url.startswith(page.url.split("/api/")[0]) for url in requested), requested
    assert errors == [], errors
    shot(page, "21-api-docs")
    page.close()
