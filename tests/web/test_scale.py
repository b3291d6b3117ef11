"""The reading room at scale, in one process: long works handed to jobs, renders from the store,
login limits shared through the database, guests reading as themselves, import by link.

Jobs run in the library's own thread here (``Library(jobs="thread")``); the kill -9 test in
``test_job_processes.py`` runs real worker processes.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from webtools import CHEAP, PASSWORD, TestClient, csrf_of

from ynsert.library import Library, service
from ynsert.library.jobs import MAX_LIVE_PER_ACCOUNT
from ynsert.library.models import LoginFailure, Rendition, StoredFile
from ynsert.web import create_app


@pytest.fixture
def short_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests may do the work of at most a few words: the sample counts as a long work."""
    monkeypatch.setattr(service, "INLINE_WORDS", 50)


def _seed(client: TestClient) -> int:
    return next(w["id"] for w in client.get("/api/works").json() if w["title"] == "seed")


def _wait_for(client: TestClient, job: int, seconds: float = 240) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job}").json()
        if status["state"] not in ("queued", "running"):
            return status
        time.sleep(0.3)
    pytest.fail(f"job {job} did not finish")


def _profile(client: TestClient, csrf: str) -> int:
    data = {"csrf": csrf, "label": "Mara", "name": "Mara", "pronouns": "she", "person": "third"}
    response = client.post("/profiles", data={**data, "names": "first"})
    return int(re.search(r"profile=(\d+)", str(response.url)).group(1))  # type: ignore[union-attr]


def test_a_long_work_is_read_from_the_store_after_one_job(app, signup, short_inline) -> None:
    client, csrf = signup("mara")
    work, profile = _seed(client), _profile(client, csrf)
    first = client.get(f"/read/{work}?profile={profile}")
    assert first.status_code == 202 and 'role="status"' in first.text  # a job, with progress
    job = int(re.search(r"/jobs/(\d+)", first.text).group(1))  # type: ignore[union-attr]
    again = client.get(f"/read/{work}?profile={profile}")  # the same live job, not a second
    assert f"/jobs/{job}" in again.text
    assert _wait_for(client, job)["state"] == "done"
    page = client.get(f"/read/{work}?profile={profile}")
    assert page.status_code == 200 and "Mara" in page.text
    library: Library = app.state.library
    with library.sessions() as session:
        stored = session.query(Rendition).filter_by(work_id=work, profile_id=profile).count()
    assert stored == 1
    # New settings: a new render; the profile's stale one goes when the new one is stored.
    client.post(f"/profiles/{profile}", data={"csrf": csrf, "label": "Kai", "name": "Kai"})
    pending = client.get(f"/read/{work}?profile={profile}")
    assert pending.status_code == 202
    job = int(re.search(r"/jobs/(\d+)", pending.text).group(1))  # type: ignore[union-attr]
    assert _wait_for(client, job)["state"] == "done"
    assert "Kai" in client.get(f"/read/{work}?profile={profile}").text
    with library.sessions() as session:
        assert session.query(Rendition).filter_by(work_id=work, profile_id=profile).count() == 1


def test_a_long_works_epub_is_made_once_by_a_job(app, signup, short_inline) -> None:
    client, csrf = signup("mara")
    work, profile = _seed(client), _profile(client, csrf)
    url = f"/api/works/{work}/download?profile_id={profile}&format=epub"
    later = client.get(url)
    assert later.status_code == 202 and later.headers["location"].startswith("/api/jobs/")
    assert _wait_for(client, later.json()["job"]["id"])["state"] == "done"
    epub = client.get(url)
    assert epub.status_code == 200 and epub.content[:2] == b"PK"
    assert client.get(url).content == epub.content
    with app.state.library.sessions() as session:
        assert session.query(StoredFile).filter_by(work_id=work, format="epub").count() == 1


def test_long_work_api_calls_answer_202_with_the_job(app, signup, short_inline) -> None:
    client, csrf = signup("mara")
    work = _seed(client)
    client.headers["X-CSRF-Token"] = csrf
    answer = client.post(f"/api/works/{work}/personalise", json={})
    assert answer.status_code == 202
    job = answer.json()["job"]
    assert job["kind"] == "render" and job["state"] in ("queued", "running", "done")
    assert _wait_for(client, job["id"])["state"] == "done"
    assert client.post(f"/api/works/{work}/personalise", json={}).status_code == 200


def test_one_request_does_bounded_work(app, signup) -> None:
    """A 16 MB text is not personalised inside a request (issue 20, item 8)."""
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    text = "You ran home, Y/N. " * (service.INLINE_WORDS // 4 + 10)
    answer = client.post("/api/personalise", json={"text": text, "profile": {"name": "Mara"}})
    assert answer.status_code == 422 and "import it" in answer.json()["detail"]


def test_a_failed_job_shows_its_one_line_reason(app, signup, short_inline) -> None:
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    library: Library = app.state.library
    account = library.session_of(client.cookies["ynsert_session"])[0].id  # type: ignore[index]
    job = library.enqueue("import_url", account, payload={"url": "not a link"})
    status = _wait_for(client, job.id)
    assert status["state"] == "failed" and status["message"].startswith("url: not an AO3")
    page = client.get(f"/jobs/{job.id}")
    assert 'role="alert"' in page.text and "failed: url: not an AO3" in page.text


def test_jobs_of_one_account_are_capped(app, signup) -> None:
    client, _ = signup("mara")
    library: Library = app.state.library
    account = library.session_of(client.cookies["ynsert_session"])[0].id  # type: ignore[index]
    for n in range(MAX_LIVE_PER_ACCOUNT):
        library.queue.enqueue("analyse", account, None, key=f"cap:{n}")
    with pytest.raises(service.Busy):
        library.queue.enqueue("analyse", account, None, key="one too many")


def test_login_limits_are_shared_by_every_web_process(library: Library) -> None:
    """Two apps over one database (two web processes): failures on one block on the other."""
    library.create_account("mara", PASSWORD)
    first, second = TestClient(create_app(library)), TestClient(create_app(library))
    for _ in range(5):
        page = first.get("/login")
        answer = first.post(
            "/login",
            data={"username": "mara", "password": "wrong password", "csrf": csrf_of(page.text)},
        )
        assert answer.status_code == 401
    page = second.get("/login")
    blocked = second.post(
        "/login", data={"username": "mara", "password": PASSWORD, "csrf": csrf_of(page.text)}
    )
    assert blocked.status_code == 429


def test_random_usernames_do_not_grow_the_failure_table(library: Library) -> None:
    from ynsert.web.security import RateLimiter

    limiter = RateLimiter(library, attempts=5, window=300)
    for n in range(300):
        limiter.failed("203.0.113.9", f"random-{n}")
    with library.sessions() as session:
        rows = session.query(LoginFailure).count()
    assert rows <= 2 * 5 * 4  # the address is blocked after 20: nothing more is written
    assert limiter.blocked("203.0.113.9", "anyone")


def test_guests_read_as_themselves(app, signup) -> None:
    owner, csrf = signup("mara")
    owner.post("/sharing", data={"csrf": csrf, "enabled": "true"})
    token = re.search(r"/shared/([\w-]+)", owner.get("/profiles").text).group(1)  # type: ignore[union-attr]
    work = _seed(owner)
    guest = TestClient(app)
    as_written = guest.get(f"/shared/{token}/read/{work}")
    assert as_written.status_code == 200 and "Read as yourself" in as_written.text
    assert "Ilse" not in as_written.text
    answer = guest.post(
        f"/shared/{token}/reader",
        data={
            "csrf": csrf_of(as_written.text),
            "name": "Ilse",
            "pronouns": "they",
            "next": f"/shared/{token}/read/{work}",
        },
    )
    assert answer.status_code == 200
    page = guest.get(f"/shared/{token}/read/{work}")
    assert "Reading as Ilse (they)" in page.text and "Ilse" in page.text.split('id="story"')[1]
    other = TestClient(app)  # another guest's browser: nothing of Ilse's
    assert "Ilse" not in other.get(f"/shared/{token}/read/{work}").text
    bad = guest.post(
        f"/shared/{token}/reader",
        data={"csrf": csrf_of(page.text), "name": "Ilse", "pronouns": "q/w/e/r/t/y"},
    )
    assert bad.status_code == 422 and "Traceback" not in bad.text


# -- import by link: a local server on 127.0.0.1 serving pages these tests write ------------


def _fixtures():
    path = Path(__file__).resolve().parents[1] / "formats" / "make_fixtures.py"
    spec = importlib.util.spec_from_file_location("make_fixtures", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def archive(monkeypatch: pytest.MonkeyPatch):
    """An AO3 look-alike: work 4242 public, 5 locked, 6 deleted, 7 restricted."""
    download = _fixtures().ao3_html()  # invented story text (tests/formats/make_fixtures.py)
    locked = b"<html><p>This work is only available to registered users of the Archive.</p>"

    class Pages(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            found = re.search(r"/(works|downloads)/(\d+)", self.path)
            kind, number = (found.group(1), found.group(2)) if found else ("", "")
            status, body = 404, b"<html>404</html>"
            if number == "4242":
                status, body = 200, download if kind == "downloads" else b"<html>work</html>"
            elif number == "5":
                status, body = 200, locked
            elif number == "7":
                status, body = (403, b"") if kind == "downloads" else (200, b"<html>w</html>")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("YNSERT_AO3_BASE", f"http://127.0.0.1:{server.server_address[1]}")
    yield
    server.shutdown()


@pytest.mark.parametrize(
    "work, reason",
    [
        ("4242", None),
        ("5", "only for logged-in AO3 users"),
        ("6", "does not exist on AO3"),
        ("7", "is restricted"),
    ],
)
def test_import_by_link(app, signup, archive, work: str, reason: str | None) -> None:
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    url = f"https://archiveofourown.org/works/{work}/chapters/1?view_adult=true"
    answer = client.post("/api/works/link", json={"url": url})
    assert answer.status_code == 202
    status = _wait_for(client, answer.json()["job"]["id"])
    if reason is None:
        assert status["state"] == "done", status
        imported = client.get(f"/api/works/{status['result']['work_id']}").json()
        assert imported["title"] == "The Last Train"
        again = client.post("/api/works/link", json={"url": url})  # the same work again
        assert _wait_for(client, again.json()["job"]["id"])["result"]["duplicate"] is True
    else:
        assert status["state"] == "failed" and reason in status["message"]
        assert "\n" not in status["message"]


def test_import_by_link_from_the_import_page(app, signup, archive) -> None:
    client, csrf = signup("mara")
    form = client.get("/import").text
    assert 'action="/import/link"' in form
    answer = client.post(
        "/import/link",
        data={"csrf": csrf, "url": "https://archiveofourown.org/works/4242"},
        follow_redirects=False,
    )
    job = int(answer.headers["location"].rsplit("/", 1)[1])
    assert _wait_for(client, job)["state"] == "done"
    page = client.get(f"/imports/{job}")
    assert page.status_code == 200 and "The Last Train" in page.text  # the work page
    refused = client.post("/import/link", data={"csrf": csrf, "url": "https://example.org/x"})
    assert refused.status_code == 422 and "not an AO3 work address" in refused.text


def test_import_by_link_refuses_other_sites(app, signup) -> None:
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    answer = client.post("/api/works/link", json={"url": "http://127.0.0.1:9/works/1"})
    assert answer.status_code == 422 and "not an AO3 work address" in answer.json()["detail"]


def test_library_on_its_own_finishes_jobs_in_a_thread(tmp_path) -> None:
    library = Library(f"sqlite:///{tmp_path / 'l.db'}", hasher=CHEAP)
    try:
        account = library.create_account("mara", PASSWORD)
        work = library.list_works(account.id)[0]["id"]
        job = library.analyse_later(account.id, work)
        deadline = time.monotonic() + 240
        while library.queue.get(job.id).state != "done" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert library.analysis_ready(account.id, work)
    finally:
        library.close()


def test_writers_in_two_processes_wait_for_each_other(tmp_path) -> None:
    """Two libraries over one SQLite file (as two web processes): concurrent writes, among
    them a large import holding the write lock, all succeed (no "database is locked")."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = Library(url, seed=False, hasher=CHEAP, jobs="external")
    second = Library(url, seed=False, hasher=CHEAP, jobs="external", migrate=False)
    account = first.create_account("mara", PASSWORD)
    work = first.import_work(account.id, b"Title: Home\n\nYou ran home, Y/N.", "home.txt").work
    profile = first.create_profile(account.id, {"label": "Mara", "name": "Mara"})
    big = b"Title: Big\n\n" + b"You ran home through the rain, Y/N, and he waited.\n\n" * 40000
    problems: list[BaseException] = []

    def write(library: Library, n: int) -> None:
        try:
            for step in range(15):
                library.save_progress(account.id, profile.id, work.id, 0, (n * step % 100) / 100)
                library.queue.enqueue("analyse", account.id, work.id, key=f"w{n}:{step % 2}")
        except BaseException as error:  # collected: the assertion below shows them
            problems.append(error)

    threads = [
        threading.Thread(target=write, args=(lib, n)) for n, lib in enumerate([first, second] * 4)
    ]
    importer = threading.Thread(target=lambda: second.import_work(account.id, big, "big.txt"))
    importer.start()
    for thread in threads:
        thread.start()
    for thread in [importer, *threads]:
        thread.join()
    assert problems == []
    assert len(first.list_works(account.id)) == 2
    first.close()
    second.close()
