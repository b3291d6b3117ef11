"""Issue 20's reader and hostile-input items on the HTTP side (browser ones: test_browser_forms)."""

from __future__ import annotations

import base64
import io
import re
import zipfile

from lxml import etree
from sqlalchemy import select, update
from webtools import PASSWORD, TestClient

from ynsert.library import service
from ynsert.library.models import Profile, Work, WorkTag

ATOM = "{http://www.w3.org/2005/Atom}"

STORY = (
    b"Title: The Gown\n\n"
    b"You smoothed your gown and stepped into the hall, Y/N. Kylo looked up at you.\n\n"
    b'"You came," he said. You nodded and smiled at him.\n'
)


def _import_text(client: TestClient, csrf: str, text: bytes, name: str = "story.txt") -> int:
    response = client.post("/import", data={"csrf": csrf}, files={"file": (name, text)})
    assert response.status_code == 200, response.text
    return int(re.search(r"/works/(\d+)", str(response.url)).group(1))


def test_library_form_with_empty_word_boxes_searches(signup) -> None:
    """Item 1: the form always sends ``min_words=`` and ``max_words=``; empty means no bound."""
    client, csrf = signup("mara")
    _import_text(client, csrf, STORY)
    form = {"q": "gown", "min_words": "", "max_words": "", "status": "", "sort": "added"}
    page = client.get("/", params=form)
    assert page.status_code == 200, page.text
    assert "The Gown" in page.text and ">seed<" not in page.text
    bounded = client.get("/", params={**form, "q": "", "min_words": "1", "max_words": "60"})
    assert "The Gown" in bounded.text and ">seed<" not in bounded.text
    wrong = client.get("/", params={**form, "min_words": "²"})
    assert wrong.status_code == 422 and "min_words" in wrong.text


def test_work_page_reader_row_quotes_the_cue_not_a_dict(signup) -> None:
    """Item 3: the reader-gender cue is shown as its quoted text."""
    client, csrf = signup("mara")
    work = _import_text(client, csrf, STORY)
    page = client.get(f"/works/{work}").text
    row = re.search(r'<dd class="gn-check">(.*?)</dd>', page, re.S)
    assert row, page
    assert "female" in row.group(1) and "gown" in row.group(1)
    assert "{" not in row.group(1) and "&#39;rule&#39;" not in row.group(1)


def _basic(username: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _feed(client: TestClient, path: str) -> etree._Element:
    response = client.get(path, headers=_basic("mara"))
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return etree.fromstring(response.content)


def test_control_characters_never_break_opds(app, library, signup) -> None:
    """Item 9: ``q=%00``, a label with U+0001 and a file name with ESC, stored or sent."""
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    assert "\x00" not in etree.tostring(_feed(client, "/opds/search?q=%00"), encoding="unicode")
    made = client.post("/api/profiles", json={"label": "Ma\u0001ra", "to": "third"})
    assert made.status_code == 201 and made.json()["label"] == "Mara"
    page = client.post("/profiles", data={"csrf": csrf, "label": "Kai\x1b[31m", "name": "K\x7fai"})
    assert page.status_code == 200
    labels = [p["label"] for p in client.get("/api/profiles").json()]
    assert labels == ["Mara", "Kai[31m"]
    _import_text(client, csrf, b"You ran home, Y/N, and you smiled.", "esc\x1bape.txt")
    pasted = client.post(
        "/import", data={"csrf": csrf, "title": "Pa\x1bsted\x01", "text": "You sat, Y/N."}
    )
    assert pasted.status_code == 200
    titles = {w["title"] for w in client.get("/api/works").json()}
    assert {"escape", "Pasted"} <= titles
    # Rows stored before the cleaning existed: the feeds clean on the way out too.
    account = library.authenticate("mara", PASSWORD)
    with library.sessions.begin() as session:
        for profile in session.scalars(select(Profile).where(Profile.account_id == account.id)):
            profile.label = "Old\x01label\x1b"
        session.execute(update(Work).where(Work.account_id == account.id).values(title="T\x1bx"))
        session.add(WorkTag(work_id=_ids(client)[0], kind="fandom", value="F\x02andom"))
    for path in ("/opds", "/opds/works", "/opds/search?q=T%1Bx%00", "/opds/opensearch.xml"):
        text = etree.tostring(_feed(client, path), encoding="unicode")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text), path
    root = _feed(client, "/opds")
    assert "For Oldlabel" in [t.text for t in root.iter(f"{ATOM}title")]


def _ids(client: TestClient) -> list[int]:
    return [w["id"] for w in client.get("/api/works").json()]


def test_profile_values_keys_are_bounded(signup) -> None:
    """Item 14: a 10 MB profile is a clear 4xx, on the API and on the page."""
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    huge = {"label": "big", "values": {"k" * 50_000 + str(i): "v" for i in range(200)}}
    response = client.post("/api/profiles", json=huge)
    assert response.status_code == 422 and "values" in response.json()["detail"]
    ten_mb = {"label": "big", "values": {"Y/N": "x" * (10 * 2**20)}}
    assert client.post("/api/profiles", json=ten_mb).status_code == 422
    page = client.post("/profiles", data={"csrf": csrf, "label": "p", "values": "k" * 41 + "=v"})
    assert page.status_code == 422 and "placeholder name" in page.text
    assert client.get("/api/profiles").json() == []


def test_profiles_take_to_like_personalise_and_person_still_works(signup) -> None:
    """Item 6: ``to`` everywhere; ``person`` still accepted on profiles, flagged deprecated."""
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    new = client.post("/api/profiles", json={"label": "A", "name": "Ann", "to": "first"})
    assert new.status_code == 201 and "deprecation" not in new.headers
    assert new.json()["to"] == new.json()["person"] == "first"
    old = client.post("/api/profiles", json={"label": "B", "person": "second"})
    assert old.status_code == 201 and old.headers["deprecation"] == "true"
    assert old.json()["to"] == "second"
    both = client.post("/api/profiles", json={"label": "C", "to": "first", "person": "third"})
    assert both.status_code == 422
    put = client.put(f"/api/profiles/{new.json()['id']}", json={"label": "A", "to": "third"})
    assert put.json()["to"] == "third"
    told = client.post("/api/personalise", json={"text": "You ran.", "profile": {"to": "first"}})
    assert told.status_code == 200 and told.json()["text"].startswith("I ran")
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]["ProfileIn"]
    assert schema["properties"]["person"]["deprecated"] is True


def _card(page: str, title: str) -> str:
    cards = re.findall(r'<li class="work".*?</li>', page, re.S)
    return next(c for c in cards if f">{title}</a>" in c)


def test_in_progress_filter_works_for_as_written(signup) -> None:
    """Item 6: "as written" filters by where any of the account's profiles is."""
    client, csrf = signup("mara")
    work = _import_text(client, csrf, STORY)
    made = client.post(
        "/api/profiles", json={"label": "Mara", "to": "third"}, headers={"X-CSRF-Token": csrf}
    )
    profile = made.json()["id"]
    saved = client.post(
        f"/works/{work}/progress",
        data={"csrf": csrf, "profile": profile, "chapter": 0, "position": 0.2},
    )
    assert saved.status_code == 200
    reading = client.get("/", params={"profile": 0, "status": "reading", "min_words": ""}).text
    assert "The Gown" in reading and ">seed</a>" not in reading
    assert 'status-reading">in progress' in _card(reading, "The Gown")
    unread = client.get("/", params={"profile": 0, "status": "unread"}).text
    assert "The Gown" not in unread and ">seed</a>" in unread
    assert "Status (in any profile)" in unread


def test_card_pills_tell_the_author_from_ynsert(signup) -> None:
    """Item 6: declared and detected warnings look different; ynsert's "none" is not AO3's."""
    client, csrf = signup("mara")
    header = b"Title: Calm\nArchive Warning: Creator Chose Not To Use Archive Warnings\n\n"
    calm = _import_text(client, csrf, header + b"You sat by the window and read, Y/N.")
    # a death the author names in the summary and the text tells: flagged at the default level
    ash = (
        b"Title: Ash\nSummary: You die in the end.\n\nYou walked to the bridge. He drew his "
        b"blade. He stabbed you. The pain seared through your body. You died in his arms."
    )
    seed = _import_text(client, csrf, ash)
    for work in (calm, seed):
        assert client.get(f"/works/{work}").status_code == 200  # analyses inline
    page = client.get("/").text
    card = _card(page, "Calm")
    assert "No Archive Warnings Apply" not in card
    assert "author: Creator Chose Not To Use Archive Warnings" in card
    assert "ynsert found no warning" in card and "found: " not in card
    seed_card = _card(page, "Ash")
    assert re.search(r'class="warning-tag detected"[^>]*>found: Major Character Death', seed_card)
    assert "author:" not in seed_card and "ynsert found no warning" not in seed_card
    listed = {w["title"]: w for w in client.get("/api/works").json()}
    assert listed["Calm"]["declared"]["warning"] == ["Creator Chose Not To Use Archive Warnings"]
    assert "warning" not in listed["Ash"]["declared"]


def test_rating_filter_says_when_the_match_is_ynsert_estimate(signup) -> None:
    """Item 6: the Mature filter lists a work its author rated Teen, and says why."""
    client, csrf = signup("mara")
    text = (
        b"Title: Knife\nRating: Teen And Up Audiences\n\nKylo drove the knife into your stomach, "
        b"Y/N. The gash was gaping, its edges torn, blood welling up and pouring over the "
        b"exposed bone as he twisted the blade."
    )
    work = _import_text(client, csrf, text)
    assert client.get(f"/works/{work}").status_code == 200
    page = client.get("/", params={"rating": "Mature", "min_words": "", "max_words": ""}).text
    card = _card(page, "Knife")
    assert "ynsert: Mature" in card and ">Teen And Up Audiences<" in card
    assert "by ynsert's estimate from the text; the author rated it Teen And Up" in card
    teen = client.get("/", params={"rating": "Teen And Up Audiences"}).text
    assert "Listed as" not in _card(teen, "Knife")


def test_downloads_are_built_once_per_work_and_reader(signup, monkeypatch) -> None:
    """Item 6: a second EPUB download is the kept file, until the reader settings change."""
    client, csrf = signup("mara")
    client.headers["X-CSRF-Token"] = csrf
    work = _import_text(client, csrf, STORY)
    made = client.post("/api/profiles", json={"label": "Ann", "name": "Ann", "to": "third"})
    profile = made.json()["id"]
    url = f"/works/{work}/download?profile={profile}&format=epub"
    first = client.get(url)
    assert first.status_code == 200 and first.content.startswith(b"PK")
    built = []
    real = service.api.personalise
    monkeypatch.setattr(
        service.api, "personalise", lambda *a, **k: built.append(1) or real(*a, **k)
    )
    assert client.get(url).content == first.content
    assert client.get(f"/api/works/{work}/download?profile_id={profile}").content == first.content
    assert built == []
    client.put(f"/api/profiles/{profile}", json={"label": "Ann", "name": "Bea", "to": "third"})
    renamed = client.get(url)
    assert built == [1] and b"Bea" in _epub_text(renamed.content)
    assert client.get(f"{url[:-4]}txt").status_code == 200 and built == [1, 1]


def _epub_text(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.endswith("html"))


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_several_files_and_a_zip_in_one_upload(signup) -> None:
    """Item 5: the import form takes several files, and a zip of works, each its own result."""
    client, csrf = signup("mara")
    shelf = _zip(
        {
            "shelf/one.txt": b"Title: One\n\nYou ran home, Y/N.",
            "shelf/two.md": b"Title: Two\n\nYou sang, Y/N.",
            "shelf/cover.png": b"\x89PNG not a story",
            "__MACOSX/shelf/._one.txt": b"\x00\x05\x16\x07",
            "shelf/broken.epub": b"PK\x03\x04\x14\x00" + bytes(range(256)),
            "shelf/again.txt": STORY,
        }
    )
    files = [
        ("file", ("gown.txt", STORY)),
        ("file", ("three.txt", b"Title: Three\n\nYou waited, Y/N.")),
        ("file", ("shelf.zip", shelf)),
    ]
    page = client.post("/import", data={"csrf": csrf}, files=files)
    assert page.status_code == 200, page.text
    assert "Imported 5 of 6" in page.text
    assert "shelf.zip: shelf/broken.epub: " in page.text
    assert "cover.png" not in page.text and "MACOSX" not in page.text
    assert "shelf.zip: shelf/again.txt; already in your library" in page.text
    titles = sorted(w["title"] for w in client.get("/api/works").json())
    assert titles == ["One", "The Gown", "Three", "Two", "seed"]
    one = client.post("/import", data={"csrf": csrf}, files=[("file", ("four.txt", b"You hid."))])
    assert re.search(r"/works/\d+$", str(one.url))  # one file still opens its work page
    api = client.post(
        "/api/works/many",
        files=[("files", ("z.zip", _zip({"a/five.txt": b"Title: Five\n\nYou hid, Y/N."})))],
        headers={"X-CSRF-Token": csrf},
    )
    assert api.status_code == 200
    assert [(r["name"], r["work"]["title"]) for r in api.json()] == [("z.zip: a/five.txt", "Five")]


def test_hostile_zips_are_refused_per_upload_or_per_member(signup) -> None:
    """Item 5: a zip bomb, too many works, a damaged zip: 4xx or one line each, never a 500."""
    client, csrf = signup("mara")
    bomb = _zip({"bomb.txt": b"You " * (60 * 2**20 // 4)})
    many = _zip(
        {f"w{i}.txt": f"Title: W{i}\n\nYou ran {i} miles, Y/N.".encode() for i in range(103)}
    )
    cases = [
        ("bomb.zip", bomb, "possible zip bomb"),
        ("damaged.zip", b"PK\x03\x04 broken", "not a readable zip archive"),
        ("many.zip", many, "3 more files: not imported: at most 100 works per upload"),
    ]
    for name, data, message in cases:
        page = client.post("/import", data={"csrf": csrf}, files=[("file", (name, data))])
        assert page.status_code in (200, 422) and message in page.text, (name, page.text[-800:])
    assert len(client.get("/api/works", params={"limit": 500}).json()) == 101  # seed + 100


def test_opds_and_shared_pages_tell_the_author_from_ynsert(signup) -> None:
    """Item 6, the same for e-readers and guests: no "No Archive Warnings Apply" of ynsert's."""
    client, csrf = signup("mara")
    header = b"Title: Calm\nArchive Warning: Creator Chose Not To Use Archive Warnings\n\n"
    calm = _import_text(client, csrf, header + b"You sat by the window and read, Y/N.")
    assert client.get(f"/works/{calm}").status_code == 200  # analysed inline
    feed = _feed(client, "/opds/works")
    entry = next(e for e in feed.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Calm")
    summary = entry.findtext(f"{ATOM}summary")
    assert summary.startswith(
        "Author's warnings: Creator Chose Not To Use Archive Warnings. Found by ynsert: none."
    )
    terms = [c.get("term") for c in entry.iter(f"{ATOM}category") if c.get("scheme") == "warning"]
    assert terms == ["Creator Chose Not To Use Archive Warnings"]
    client.post("/sharing", data={"csrf": csrf, "enabled": "true"})
    shared = re.search(r"/shared/[\w-]+", client.get("/profiles").text).group(0)
    page = client.get(shared).text
    assert "No Archive Warnings Apply" not in page
    assert "author: Creator Chose Not To Use Archive Warnings" in page
