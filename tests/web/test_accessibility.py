"""Accessibility of the main pages in Debian's Chromium: axe-core (WCAG 2.1 A and AA rules),
keyboard use alone, and a 390 px wide phone screen (screenshots in ``tests/web/screenshots``).

axe-core is vendored unmodified under ``tests/web/data/axe-core`` (MPL-2.0, its header kept);
it is injected into each page in a browser context that bypasses the page's CSP (the pages
themselves allow no inline script).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from test_browser import CHROMIUM, browser, server  # noqa: F401 (fixtures)
from webtools import PASSWORD, SCREENSHOTS

AXE = Path(__file__).parent / "data" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (setup.sh --dev)"
)


@pytest.fixture(scope="module")
def site(server: str) -> dict[str, str]:  # noqa: F811 (the imported fixture)
    """An account with a profile, the sample work, an open shared library: the pages' URLs."""
    with httpx.Client(base_url=server, timeout=120) as client:
        page = client.get("/register")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        client.post("/register", data={"username": "ana", "password": PASSWORD, "csrf": csrf})
        auth = ("ana", PASSWORD)
        profile = client.post(
            "/api/profiles", json={"label": "Ana", "name": "Ana", "pronouns": "she"}, auth=auth
        ).json()["id"]
        work = client.get("/api/works", auth=auth).json()[0]["id"]
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)  # type: ignore[union-attr]
        client.post("/sharing", data={"csrf": csrf, "enabled": "true"})
        token = re.search(r"/shared/([\w-]+)", client.get("/profiles").text).group(1)  # type: ignore[union-attr]
    return {
        "login": "/login",
        "register": "/register",
        "library": f"/?profile={profile}",
        "import": "/import",
        "work": f"/works/{work}?profile={profile}",
        "read": f"/read/{work}?profile={profile}",
        "profiles": "/profiles",
        "profile": f"/profiles/{profile}",
        "shared": f"/shared/{token}",
        "shared-read": f"/shared/{token}/read/{work}",
    }


@pytest.fixture(scope="module")
def context(browser, server, site):  # noqa: F811 (the imported fixtures; site: the account)
    made = browser.new_context(
        base_url=server, viewport={"width": 1100, "height": 900}, bypass_csp=True
    )
    page = made.new_page()
    page.set_default_timeout(60_000)
    page.goto("/login")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    yield made
    made.close()


def _violations(page) -> list[str]:
    page.add_script_tag(content=AXE.read_text())
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => v.id + ': ' + v.help + ' — ' + "
        "v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))",
        WCAG,
    )
    return list(found)


@pytest.mark.parametrize(
    "name",
    [
        "login",
        "register",
        "library",
        "import",
        "work",
        "read",
        "profiles",
        "profile",
        "shared",
        "shared-read",
    ],
)
def test_page_passes_axe_wcag_21_aa(browser, server, context, site, name: str) -> None:  # noqa: F811
    anonymous = None
    if name in ("login", "register", "shared", "shared-read"):  # as a visitor would see them
        anonymous = browser.new_context(base_url=server, bypass_csp=True)
        page = anonymous.new_page()
    else:
        page = context.new_page()
    page.goto(site[name])
    assert site[name].split("?")[0] in page.url  # the page itself, not the login form
    assert _violations(page) == []
    page.close()
    if anonymous is not None:
        anonymous.close()


def test_keyboard_alone_reaches_and_reads_a_work(context, site) -> None:
    """Skip link first; Tab reaches the work link; Enter opens it; → turns the chapter."""
    page = context.new_page()
    page.goto(site["library"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    assert "Skip to content" in focused, focused
    page.keyboard.press("Enter")
    for _ in range(80):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.startswith("/works/"):
            break
    else:
        pytest.fail("Tab never reached a work")
    visible = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; })()"
    )
    assert visible, "the focused link shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/works/\d+"))
    page.goto(site["read"])
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "toggle-changes":
            break
    else:
        pytest.fail("Tab never reached the change toggle")
    page.keyboard.press("Space")
    assert page.evaluate("document.body.classList.contains('show-changes')")
    assert page.get_attribute("#toggle-changes", "aria-pressed") == "true"
    page.close()


@pytest.mark.parametrize("name", ["library", "work", "read", "shared-read", "import"])
def test_pages_read_well_390_px_wide(browser, server, site, name: str) -> None:  # noqa: F811
    phone = browser.new_context(
        base_url=server, viewport={"width": 390, "height": 844}, device_scale_factor=1
    )
    page = phone.new_page()
    page.goto("/login")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(site[name])
    assert site[name].split("?")[0] in page.url  # the page itself, not the login form
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"{name} scrolls sideways on a phone ({wide} px)"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-390-{name}.png"), full_page=False)
    phone.close()
