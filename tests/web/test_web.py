"""The reading room over HTTP: accounts, CSRF, hostile uploads, isolation, OPDS, guests."""

from __future__ import annotations

import base64
import io
import re
import zipfile

import pytest
from lxml import etree
from webtools import DATA, PASSWORD, TestClient, csrf_of

from ynsert import api
from ynsert.formats import write_work
from ynsert.web import api_routes, opds, pages

ATOM = "{http://www.w3.org/2005/Atom}"
ACQUISITION = "http://opds-spec.org/acquisition"
SEED = (DATA / "seed.txt").read_bytes()


def _basic(username: str) -> dict[str, str]:
    return {
        "Authorization": "Basic " + base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    }


def _profile(client: TestClient, csrf: str, **fields: str) -> int:
    data = {"csrf": csrf, "label": "Mara", "name": "Mara", "pronouns": "she", "person": "third"}
    response = client.post("/profiles", data={**data, "names": "first", **fields})
    assert response.status_code == 200
    return int(re.search(r"profile=(\d+)", str(response.url)).group(1))


def _upload(client: TestClient, csrf: str, name: str, data: bytes):
    return client.post("/import", data={"csrf": csrf}, files={"file": (name, data)})


def _seed_id(client: TestClient) -> int:
    return next(w["id"] for w in client.get("/api/works").json() if w["title"] == "seed")


def test_pages_send_a_strict_csp_and_safe_cookies(app, signup) -> None:
    client = TestClient(app)
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    response = client.post(
        "/register",
        data={"username": "mara", "password": PASSWORD, "csrf": csrf_of(page.text)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "ynsert_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    # Nothing on any page is loaded from another host.
    home = client.get("/")
    assert not re.search(r'(src|href)="(https?:)?//', home.text)


def test_login_logout_and_rate_limit(app, signup) -> None:
    client, csrf = signup("mara")
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf": csrf})
    assert client.get("/", follow_redirects=False).status_code == 303
    other = TestClient(app)
    token = csrf_of(other.get("/login").text)
    good = {"username": "mara", "password": PASSWORD, "csrf": token}
    bad = {**good, "password": "not the password"}
    assert other.post("/login", data=bad).status_code == 401
    for _ in range(4):
        other.post("/login", data=bad)
    blocked = other.post("/login", data=good)  # even the right password waits now
    assert blocked.status_code == 429 and "too many" in blocked.text
    assert other.post("/login", data={**good, "csrf": "forged"}).status_code == 403


def test_every_form_needs_its_csrf_token(signup) -> None:
    client, csrf = signup("mara")
    assert client.post("/profiles", data={"label": "X"}).status_code == 422
    assert client.post("/profiles", data={"label": "X", "csrf": "wrong"}).status_code == 403
    assert client.post("/profiles", data={"label": "X", "csrf": csrf}).status_code == 200
    # The API with the session cookie needs the header; with Basic auth it needs none.
    body = {"label": "Y"}
    assert client.post("/api/profiles", json=body).status_code == 403
    assert (
        client.post("/api/profiles", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
    )
    anonymous = TestClient(client.app)
    assert anonymous.post("/api/profiles", json=body, headers=_basic("mara")).status_code == 201
    assert anonymous.post("/api/profiles", json=body).status_code == 401


def test_import_page_duplicates_and_bad_files(signup) -> None:
    client, csrf = signup("mara")
    work = api.open_work(SEED, filename="seed.txt")
    epub = write_work(work, "epub")
    response = _upload(client, csrf, "seed.epub", epub)
    assert response.status_code == 200 and "/works/" in str(response.url)
    again = _upload(client, csrf, "copy.epub", epub)
    assert "already had this work" in again.text
    broken = _upload(client, csrf, "story.epub", b"PK\x03\x04 broken")
    assert broken.status_code == 422 and "story.epub" in broken.text
    empty = client.post("/import", data={"csrf": csrf})
    assert empty.status_code == 422
    pasted = client.post(
        "/import", data={"csrf": csrf, "text": "You ran to Zanzibar, Y/N.", "title": "Run"}
    )
    assert pasted.status_code == 200 and "<h1>Run</h1>" in pasted.text


def test_oversized_uploads_are_refused_before_reading(signup) -> None:
    client, csrf = signup("mara")
    response = _upload(client, csrf, "huge.txt", b"You ran. " * (2 * 2**20))
    assert response.status_code == 413


HOSTILE = b"""<!DOCTYPE html><html><head><title>&lt;script&gt;alert('title')&lt;/script&gt;</title>
<script>alert('head')</script></head>
<body onload="alert('body')"><div id="chapters" class="userstuff">
<p>You open the door.<script>alert('xss')</script></p>
<p><img src="x" onerror="alert('img')">You see <a href="javascript:alert('link')">a note</a>.</p>
<p><svg onload="alert('svg')"></svg>You smile, Y/N.<iframe src="javascript:alert(1)"></iframe></p>
</div></body></html>"""


def test_no_story_markup_ever_executes(signup) -> None:
    client, csrf = signup("mara")
    profile = _profile(client, csrf)
    response = _upload(client, csrf, "hostile.html", HOSTILE)
    assert response.status_code == 200, response.text
    work = int(re.search(r"/works/(\d+)", str(response.url)).group(1))
    pages = [
        response.text,
        client.get(f"/read/{work}?profile={profile}").text,
        client.get(f"/read/{work}?profile=0&changes=1").text,
        client.get("/").text,
        client.get("/", params={"q": "<script>alert(1)</script>"}).text,
    ]
    for page in pages:
        assert "<script>alert" not in page and "onerror=" not in page and "onload=" not in page
        assert "javascript:" not in page and "<iframe" not in page and "<svg" not in page
    story = re.sub(r"<[^>]+>", "", pages[1].split('id="story"', 1)[1].split("</div>", 1)[0])
    assert "Mara opens the door." in story and "She smiles, Mara." in story
    download = client.get(f"/works/{work}/download?profile={profile}&format=html")
    assert download.headers["content-security-policy"].startswith("sandbox")
    assert b"<script" not in download.content and b"onerror" not in download.content
    assert b"javascript:" not in download.content


def test_work_page_shows_warnings_with_evidence_before_anything_else(signup) -> None:
    client, csrf = signup("mara")
    _profile(client, csrf)
    page = client.get(f"/works/{_seed_id(client)}").text
    warnings_at = page.index('id="warnings"')
    assert "Major Character Death" in page[warnings_at:]
    evidence = re.search(r'<blockquote class="evidence">“([^”]+)”', page)
    assert evidence and "drift away" in page[warnings_at : page.index("About this work")]
    assert page.index("Major Character Death") < page.index('id="read-link"')


def test_hidden_warning_is_collapsed_behind_show_me_anyway(signup) -> None:
    client, csrf = signup("mara")
    profile = _profile(client, csrf)
    seed = _seed_id(client)
    client.get(f"/works/{seed}")  # analyses it
    # the seed's death is assessed below the default level: this reader counts warnings from 10 %
    client.post(
        f"/profiles/{profile}/hide",
        data={"csrf": csrf, "warnings": "Major Character Death", "warn_at": "10"},
    )
    library = client.get(f"/?profile={profile}").text
    assert f'data-work-id="{seed}"' not in library and "1 work hidden" in library
    page = client.get(f"/works/{seed}?profile={profile}").text
    assert "which Mara hides" in page and "Show me anyway" in page


def test_reading_view_is_the_personalised_text_and_remembers(signup) -> None:
    client, csrf = signup("mara")
    profile = _profile(client, csrf)
    seed = _seed_id(client)
    page = client.get(f"/read/{seed}?profile={profile}").text
    story = page.split('id="story"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
    text = re.sub(r"<[^>]+>", "", story)
    gold = (DATA / "seed.third-she.txt").read_text()
    assert " ".join(text.split()) == " ".join(gold.split()).replace("'", "&#x27;") or (
        " ".join(text.replace("&#x27;", "'").replace("&quot;", '"').split())
        == " ".join(gold.split())
    )
    assert page.count('<mark class="edit"') > 50
    client.post(
        f"/profiles/{profile}/display",
        data={"csrf": csrf, "theme": "dark", "font": "sans", "size": "5", "next": "/"},
    )
    again = client.get(f"/read/{seed}?profile={profile}").text
    assert "theme-dark" in again and "font-sans" in again and "size-5" in again
    client.post(
        f"/works/{seed}/progress",
        data={"csrf": csrf, "profile": profile, "chapter": 0, "position": 0.6},
    )
    assert 'data-position="0.6"' in client.get(f"/read/{seed}?profile={profile}").text


def test_id_routes_are_private_to_their_account(app, signup) -> None:
    alice, alice_csrf = signup("alice")
    bob, bob_csrf = signup("bob")
    work = _seed_id(alice)
    profile = _profile(alice, alice_csrf)
    bobs_profile = _profile(bob, bob_csrf)
    alice.post(
        f"/works/{work}/bookmarks", data={"csrf": alice_csrf, "profile": profile, "note": "x"}
    )
    mark = alice.get(f"/api/works/{work}/bookmarks").json()[0]["id"]
    alice.post(
        f"/works/{work}/progress",
        data={"csrf": alice_csrf, "profile": profile, "chapter": 0, "position": 0.5},
    )
    w, p, b, c = work, profile, mark, bob_csrf
    bp = bobs_profile
    basic = _basic("bob")
    library = app.state.library
    alices = library.session_of(alice.cookies["ynsert_session"])[0].id
    j = library.analyse_later(alices, work).id  # alice's job: bob may neither see nor stop it
    attempts = {
        ("GET", "/jobs/{job_id}"): lambda: bob.get(f"/jobs/{j}"),
        ("GET", "/imports/{job_id}"): lambda: bob.get(f"/imports/{j}"),
        ("GET", "/api/jobs/{job_id}"): lambda: bob.get(f"/api/jobs/{j}", headers=basic),
        ("DELETE", "/api/jobs/{job_id}"): lambda: bob.delete(f"/api/jobs/{j}", headers=basic),
        ("GET", "/works/{work_id}"): lambda: bob.get(f"/works/{w}"),
        ("GET", "/works/{work_id}/status"): lambda: bob.get(f"/works/{w}/status"),
        ("POST", "/works/{work_id}/delete"): lambda: bob.post(
            f"/works/{w}/delete", data={"csrf": c}
        ),
        ("GET", "/read/{work_id}"): lambda: bob.get(f"/read/{w}"),
        ("POST", "/works/{work_id}/progress"): lambda: bob.post(
            f"/works/{w}/progress", data={"csrf": c, "profile": bp, "chapter": 0}
        ),
        ("POST", "/works/{work_id}/bookmarks"): lambda: bob.post(
            f"/works/{w}/bookmarks", data={"csrf": c, "profile": bp}
        ),
        ("POST", "/bookmarks/{bookmark_id}/delete"): lambda: bob.post(
            f"/bookmarks/{b}/delete", data={"csrf": c, "work": w}
        ),
        ("GET", "/works/{work_id}/download"): lambda: bob.get(f"/works/{w}/download"),
        ("GET", "/profiles/{profile_id}"): lambda: bob.get(f"/profiles/{p}"),
        ("POST", "/profiles/{profile_id}"): lambda: bob.post(
            f"/profiles/{p}", data={"csrf": c, "label": "mine"}
        ),
        ("POST", "/profiles/{profile_id}/delete"): lambda: bob.post(
            f"/profiles/{p}/delete", data={"csrf": c}
        ),
        ("POST", "/profiles/{profile_id}/hide"): lambda: bob.post(
            f"/profiles/{p}/hide", data={"csrf": c}
        ),
        ("POST", "/profiles/{profile_id}/display"): lambda: bob.post(
            f"/profiles/{p}/display", data={"csrf": c}
        ),
        ("POST", "/profiles/{profile_id}/token"): lambda: bob.post(
            f"/profiles/{p}/token", data={"csrf": c}
        ),
        ("GET", "/api/works/{work_id}"): lambda: bob.get(f"/api/works/{w}", headers=basic),
        ("DELETE", "/api/works/{work_id}"): lambda: bob.delete(f"/api/works/{w}", headers=basic),
        ("GET", "/api/works/{work_id}/analysis"): lambda: bob.get(
            f"/api/works/{w}/analysis", headers=basic
        ),
        ("POST", "/api/works/{work_id}/personalise"): lambda: bob.post(
            f"/api/works/{w}/personalise", json={}, headers=basic
        ),
        ("GET", "/api/works/{work_id}/download"): lambda: bob.get(
            f"/api/works/{w}/download", headers=basic
        ),
        ("GET", "/api/profiles/{profile_id}"): lambda: bob.get(f"/api/profiles/{p}", headers=basic),
        ("PUT", "/api/profiles/{profile_id}"): lambda: bob.put(
            f"/api/profiles/{p}", json={"label": "mine"}, headers=basic
        ),
        ("DELETE", "/api/profiles/{profile_id}"): lambda: bob.delete(
            f"/api/profiles/{p}", headers=basic
        ),
        ("GET", "/api/works/{work_id}/progress"): lambda: bob.get(
            f"/api/works/{w}/progress?profile_id={p}", headers=basic
        ),
        ("PUT", "/api/works/{work_id}/progress"): lambda: bob.put(
            f"/api/works/{w}/progress", json={"profile_id": bp, "chapter": 0}, headers=basic
        ),
        ("GET", "/api/works/{work_id}/bookmarks"): lambda: bob.get(
            f"/api/works/{w}/bookmarks", headers=basic
        ),
        ("POST", "/api/works/{work_id}/bookmarks"): lambda: bob.post(
            f"/api/works/{w}/bookmarks", json={"profile_id": bp}, headers=basic
        ),
        ("DELETE", "/api/bookmarks/{bookmark_id}"): lambda: bob.delete(
            f"/api/bookmarks/{b}", headers=basic
        ),
        ("GET", "/opds/works/{work_id}/profile/{profile_id}.epub"): lambda: bob.get(
            f"/opds/works/{w}/profile/{p}.epub", headers=basic
        ),
        ("GET", "/opds/works/{work_id}/original.epub"): lambda: bob.get(
            f"/opds/works/{w}/original.epub", headers=basic
        ),
    }
    for key, attempt in attempts.items():
        response = attempt()
        assert response.status_code == 404, (key, response.status_code, response.text[:200])
    # Every route that takes an id (bar the token and guest ones, tested below) is covered.
    routes = {
        (method, route.path)
        for router in (api_routes.router, opds.router, pages.router)
        for route in router.routes
        for method in getattr(route, "methods", set()) - {"HEAD"}
        if "_id}" in route.path and "{token}" not in route.path
    }
    assert routes == set(attempts)
    # Bob's own list is his alone; Alice's rows are untouched.
    assert [x["title"] for x in bob.get("/api/works").json()] == ["seed"]
    assert _seed_id(bob) != work
    assert alice.get(f"/api/works/{work}/progress?profile_id={p}").json()["position"] == 0.5
    assert alice.get(f"/api/profiles/{p}").json()["label"] == "Mara"


def _feed(response) -> etree._Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for child in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{child}") is not None and root.find(f"{ATOM}{child}").text
    rels = {link.get("rel") for link in root.findall(f"{ATOM}link")}
    assert {"self", "start", "search"} <= rels
    for entry in root.findall(f"{ATOM}entry"):
        for child in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{child}") is not None
    return root


def test_opds_catalog_search_and_personalised_acquisition(signup) -> None:
    client, csrf = signup("mara")
    profile = _profile(client, csrf)
    anonymous = TestClient(client.app)
    refused = anonymous.get("/opds")
    assert refused.status_code == 401 and "Basic" in refused.headers["www-authenticate"]
    basic = _basic("mara")
    root = _feed(anonymous.get("/opds", headers=basic))
    assert "kind=navigation" in root.find(f"{ATOM}link[@rel='self']").get("type")
    sections = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert "/opds/works" in sections and f"/opds/works?profile={profile}" in sections
    description = anonymous.get("/opds/opensearch.xml", headers=basic)
    template = etree.fromstring(description.content).find(
        "{http://a9.com/-/spec/opensearch/1.1/}Url"
    )
    assert template.get("template") == "/opds/search?q={searchTerms}"
    works = _feed(anonymous.get("/opds/works", headers=basic))
    [entry] = works.findall(f"{ATOM}entry")
    links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == ACQUISITION]
    assert {link.get("type") for link in links} == {"application/epub+zip"}
    mine = next(link for link in links if link.get("title") == "For Mara")
    assert len(_feed(anonymous.get("/opds/search?q=Starkiller", headers=basic))) > 0
    found = _feed(anonymous.get("/opds/search?q=Starkiller", headers=basic))
    assert len(found.findall(f"{ATOM}entry")) == 1
    nothing = _feed(anonymous.get("/opds/search?q=zeppelin", headers=basic))
    assert nothing.findall(f"{ATOM}entry") == []
    book = anonymous.get(mine.get("href"), headers=basic)
    assert book.headers["content-type"] == "application/epub+zip"
    with zipfile.ZipFile(io.BytesIO(book.content)) as epub:
        assert epub.read("mimetype") == b"application/epub+zip"
        text = " ".join(epub.read(n).decode() for n in epub.namelist() if n.endswith("html"))
    assert "Mara raced down the corridors" in text
    # A profile's own address needs no password and offers only that profile's copy.
    page = client.post(f"/profiles/{profile}/token", data={"csrf": csrf}).text
    url = re.search(r'id="opds-url" class="copy">http://testserver(/opds/t/[^<]+)<', page).group(1)
    token_feed = _feed(anonymous.get(url + "/works"))
    hrefs = [link.get("href") for link in token_feed.iter(f"{ATOM}link")]
    assert any(h.endswith(f"/profile/{profile}.epub") and h.startswith(url) for h in hrefs)
    assert (
        anonymous.get(url + f"/works/{_seed_id(client)}/profile/{profile}.epub").status_code == 200
    )
    assert anonymous.get("/opds/t/not-a-real-token/works").status_code == 404


def test_guests_read_a_shared_library_but_change_nothing(signup) -> None:
    client, csrf = signup("mara")
    client.post("/sharing", data={"csrf": csrf, "enabled": "true"})
    url = re.search(
        r'id="share-url">http://testserver(/shared/[^<]+)<', client.get("/profiles").text
    )
    shared = url.group(1)
    guest = TestClient(client.app)
    listing = guest.get(shared)
    assert listing.status_code == 200 and "read-only" in listing.text
    seed = _seed_id(client)
    assert "Major Character Death" in guest.get(f"{shared}/works/{seed}").text
    assert "You raced down" in guest.get(f"{shared}/read/{seed}").text
    assert (
        guest.post(f"/works/{seed}/delete", data={"csrf": "x"}, follow_redirects=False).status_code
        == 303
    )
    client.post("/sharing", data={"csrf": csrf, "enabled": "false"})
    assert guest.get(shared).status_code == 404


def test_api_mirrors_the_python_verbs(signup) -> None:
    client, _ = signup("mara")
    api_client = TestClient(client.app, headers=_basic("mara"))
    raw = api_client.post(
        "/api/personalise",
        json={"text": "You wake up, Y/N.", "profile": {"name": "Mara", "names": "none"}},
    )
    assert raw.status_code == 200 and raw.json()["text"] == "She wakes up, Mara."
    assert {e["code"] for e in raw.json()["edits"]} >= {"YN-R-PRON"}
    imported = api_client.post(
        "/api/works/text", json={"text": "Title: Run\n\nYou ran to Zanzibar, Y/N."}
    )
    assert imported.status_code == 201 and imported.json()["work"]["title"] == "Run"
    work = imported.json()["work"]["id"]
    again = api_client.post(
        "/api/works", files={"file": ("run.txt", b"Title: Run\n\nYou ran to Zanzibar, Y/N.")}
    )
    assert again.json()["duplicate"] is True and again.json()["work"]["id"] == work
    created = api_client.post(
        "/api/profiles", json={"label": "Kai", "name": "Kai", "pronouns": "xe", "names": "none"}
    )
    profile = created.json()["id"]
    told = api_client.post(f"/api/works/{work}/personalise", json={"profile_id": profile})
    assert told.json()["text"].endswith("Xe ran to Zanzibar, Kai.")
    assert api_client.get(f"/api/works/{work}/analysis").json()["narration"]["person"] == "second"
    assert [w["title"] for w in api_client.get("/api/works", params={"q": "zanzibar"}).json()] == [
        "Run"
    ]
    progress = api_client.put(
        f"/api/works/{work}/progress", json={"profile_id": profile, "chapter": 0, "position": 0.4}
    )
    assert progress.json()["position"] == 0.4
    bad = api_client.post("/api/profiles", json={"label": "X", "pronouns": "zork"})
    assert bad.status_code == 422 and "pronoun" in bad.json()["detail"]
    schema = api_client.get("/api/openapi.json").json()
    assert {"/api/works", "/api/personalise", "/api/profiles"} <= set(schema["paths"])


@pytest.mark.parametrize("path", ["/works/abc", "/read/-1", "/works/99999999999999999999"])
def test_bad_ids_are_4xx_not_500(signup, path: str) -> None:
    client, _ = signup("mara")
    assert 400 <= client.get(path).status_code < 500


def test_work_page_offers_read_as_a_character(signup) -> None:
    client, csrf = signup("mara")
    story = (DATA.parents[2] / "examples" / "anne.txt").read_bytes()
    assert _upload(client, csrf, "anne.txt", story).status_code == 200
    work = next(w["id"] for w in client.get("/api/works").json() if w["title"] != "seed")
    page = client.get(f"/works/{work}").text
    assert 'class="read-as"' in page and '<option value="Anne">Anne</option>' in page
    reading = client.get(f"/read/{work}?profile=0&character=Anne").text
    text = re.sub(r"<[^>]+>", "", reading.split('id="story"', 1)[1].split("</div>", 1)[0])
    assert "In vain you pleaded." in text and "said Diana" in text
    assert "character=Anne" in reading  # chapter links and "show changes" keep the character
    missing = client.get(f"/read/{work}?profile=0&character=Nobody")
    assert 400 <= missing.status_code < 500 and "no character" in missing.text
