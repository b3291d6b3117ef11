"""The reading room in a real browser: Debian's Chromium driven by Playwright.

A ``ynsert serve`` process is started on 127.0.0.1 with a temporary SQLite library. The tests
run in order, as one reader's first evening: sign up, import, profile, warnings, reading,
display settings, progress on a second device, EPUB download, hiding a warning. Each saves a
screenshot under ``tests/web/screenshots/``; two also refresh the README's under ``docs/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from webtools import DATA, PASSWORD, SCREENSHOTS

from ynsert import api
from ynsert.document.header import Metadata
from ynsert.formats import Chapter, Work, write_work

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parents[2] / "docs"
EPUBCHECK = "/usr/share/java/epubcheck.jar"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed (setup.sh --dev)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    port = _free_port()
    command = [sys.executable, "-c", "from ynsert.cli import main; main()", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    command += ["--database", f"sqlite:///{folder / 'library.db'}"]
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/login", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("ynsert serve did not start: " + (folder / "server.log").read_text()[-2000:])
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def state() -> dict:
    return {}


@pytest.fixture(scope="module")
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def shot(page, name: str, docs: str | None = None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    if docs:
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / docs), full_page=False)


def _login(page, username: str = "mara") -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _upload(page, path: Path) -> str:
    page.goto("/import")
    page.set_input_files("#import-file input[type=file]", str(path))
    page.click("#import-button")
    page.wait_for_url("**/works/*")
    return page.url.rsplit("/", 1)[1].split("?")[0]


def test_create_an_account_and_a_profile(page, state) -> None:
    page.goto("/register")
    page.fill("input[name=username]", "mara")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/profiles?welcome=1")
    form = page.locator("#new-profile")
    form.locator("input[name=label]").fill("Mara")
    form.locator("input[name=name]").fill("Mara")
    form.locator("input[name=pronouns]").fill("she")
    form.locator("select[name=person]").select_option("third")
    form.locator("select[name=names]").select_option("first")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/?profile=*")
    state["profile"] = page.url.rsplit("=", 1)[1]
    assert page.locator("select[name=profile] option:checked").inner_text() == "Mara"
    assert page.locator("li.work h2").first.inner_text() == "seed"  # the sample is there
    shot(page, "01-account-and-profile")


def test_import_the_seed_as_ao3_html_and_epub(page, state, tmp_path) -> None:
    seed = api.open_work((DATA / "seed.txt").read_bytes(), filename="seed.txt")
    seed.metadata.title = "seed"  # as the sample is called in the library
    for fmt in ("html", "epub"):
        path = tmp_path / f"seed.{fmt}"
        path.write_bytes(write_work(seed, fmt))
        state[fmt] = _upload(page, path)
        assert page.locator("h1").inner_text() == "seed"
    assert state["html"] != state["epub"]
    page.goto("/")
    assert page.locator("li.work").count() == 3
    shot(page, "02-imported")


def test_work_page_shows_the_warning_and_evidence_before_any_story_text(page, state) -> None:
    page.goto(f"/works/{state['html']}?profile={state['profile']}")
    # The seed's death is "possible" (below the default level): listed, folded, with its
    # probability, and its evidence one click away.
    possible = page.locator(".possible-warnings")
    possible.wait_for()
    assert "Major Character Death (" in possible.locator("summary").inner_text()
    possible.locator("summary").click()
    warning = possible.locator("li[data-name='Major Character Death']")
    evidence = warning.locator("blockquote.evidence").first
    assert evidence.is_visible() and "drift away" in warning.inner_text()
    read = page.locator("#read-link")
    assert warning.bounding_box()["y"] < read.bounding_box()["y"]
    # The work page holds no story text at all: the first line is only in the reading view.
    body = page.locator("main").inner_text()
    assert "raced down the corridors" not in body
    shot(page, "03-work-page", docs="reading-room-work.png")


def test_reading_view_is_the_gold_third_person_text(page, state) -> None:
    page.click("#read-link")
    page.wait_for_url("**/read/*")
    text = page.locator("#story").inner_text()
    gold = (DATA / "seed.third-she.txt").read_text()
    assert " ".join(text.split()) == " ".join(gold.split())
    shot(page, "04-reading-view")


def test_toggle_change_highlighting(page, state) -> None:
    mark = page.locator("#story mark.edit").first
    plain = mark.evaluate("m => getComputedStyle(m).backgroundColor")
    assert plain in ("rgba(0, 0, 0, 0)", "transparent")
    page.click("#toggle-changes")
    assert "show-changes" in page.locator("body").get_attribute("class")
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != plain
    assert page.locator("#story mark.edit").count() > 50
    assert "reader" in mark.get_attribute("title")  # the reason, from the edit list
    shot(page, "05-changes-highlighted", docs="reading-room-read.png")
    page.keyboard.press("h")
    assert "show-changes" not in page.locator("body").get_attribute("class")


def test_theme_and_font_size_are_kept_after_reload(page, state) -> None:
    page.click("details.settings summary")
    page.select_option("#display-form select[name=theme]", "dark")
    page.select_option("#display-form select[name=size]", "5")
    page.click("#display-form button[type=submit]")
    page.wait_for_load_state()
    page.reload()
    classes = page.locator("body").get_attribute("class").split()
    assert "theme-dark" in classes and "size-5" in classes
    colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colour == "rgb(22, 22, 26)"
    size = page.locator("#story").evaluate("e => getComputedStyle(e).fontSize")
    assert size == "24px"
    shot(page, "06-dark-large")


def test_leave_at_a_chapter_and_come_back_from_another_device(
    page, browser, server, state, tmp_path
) -> None:
    chapters = [Chapter(f"Chapter {n}", f"You open door number {n}, Y/N.") for n in (1, 2, 3)]
    book = Work(Metadata(title="Three Doors", authors=["Tester"]), chapters)
    path = tmp_path / "doors.epub"
    path.write_bytes(write_work(book, "epub"))
    work = _upload(page, path)
    page.goto(f"/read/{work}?profile={state['profile']}")
    page.click("#next-chapter")
    page.wait_for_url("**chapter=1*")
    page.keyboard.press("ArrowRight")  # the keyboard works too
    page.wait_for_url("**chapter=2*")
    assert page.locator("#chapter-label").inner_text() == "Chapter 3 of 3"
    assert "She opens door number 3, Mara." in page.locator("#story").inner_text()
    other = browser.new_context(base_url=server)
    phone = other.new_page()
    _login(phone)
    phone.wait_for_url(f"{server}/")
    phone.goto(f"/works/{work}?profile={state['profile']}")
    assert "Continue reading (chapter 3)" in phone.locator("#read-link").inner_text()
    phone.click("#read-link")
    assert phone.locator("#chapter-label").inner_text() == "Chapter 3 of 3"
    shot(phone, "07-second-device")
    other.close()


def test_download_the_epub_and_it_passes_epubcheck(page, state, tmp_path) -> None:
    page.goto(f"/works/{state['epub']}?profile={state['profile']}")
    with page.expect_download() as download:
        page.click("a.download:has-text('EPUB')")
    path = tmp_path / "mine.epub"
    download.value.save_as(path)
    assert path.read_bytes()[:2] == b"PK"
    shot(page, "08-download")
    java = shutil.which("java")
    if not (os.path.exists(EPUBCHECK) and java):
        pytest.skip("epubcheck is not installed (setup.sh --dev installs it as root)")
    result = subprocess.run(
        [java, "-jar", EPUBCHECK, str(path)], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_exclude_major_character_death_hides_the_seed(page, state) -> None:
    page.goto(f"/?profile={state['profile']}")
    assert page.locator("li.work h2").all_inner_texts().count("seed") == 3
    page.check("#hide-form input[value='Major Character Death']")
    page.fill("#hide-form input[name=warn_at]", "10")  # warn me from 10 % up
    page.click("#hide-form button[type=submit]")
    page.wait_for_load_state()
    titles = page.locator("li.work h2").all_inner_texts()
    assert "seed" not in titles and "Three Doors" in titles
    assert "3 works hidden" in page.locator("#hidden-count").inner_text()
    shot(page, "09-mcd-hidden")
    assert not [e for e in page.errors if "Content Security Policy" in e]
