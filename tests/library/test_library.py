"""The library service on SQLite and on PostgreSQL: one suite, both databases."""

from __future__ import annotations

import io
import math
import zipfile

import pytest
from sqlalchemy import func, inspect, select

from ynsert import api
from ynsert.analysis.content import flag_level
from ynsert.analysis.workmodel import load
from ynsert.errors import YnsertError
from ynsert.formats import write_work
from ynsert.library import Conflict, Invalid, Library, NotFound, WorkQuery, search
from ynsert.library.models import Analysis, Base, Work, WorkTag
from ynsert.library.service import sample_bytes

STORY = (
    b"Title: The Lighthouse\nFandom: Original Work\nRelationship: Keeper/Reader\n"
    b"Rating: General Audiences\nSummary: A storm, a lamp, a keeper.\n\n"
    b"You climb the stairs of the lighthouse, Y/N, and the keeper smiles at you."
)
MCD = "Major Character Death"


def _account(library: Library, name: str = "alice"):
    return library.create_account(name, "correct horse battery")


def test_schema_matches_the_models(library: Library) -> None:
    inspector = inspect(library.engine)
    tables = set(inspector.get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "work_search" in tables  # FTS5 virtual table / tsvector table
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys())
    with library.engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    assert version == "0003"


def test_accounts_hash_passwords_and_refuse_duplicates(library: Library) -> None:
    alice = _account(library)
    assert alice.password_hash.startswith("$argon2id$")
    assert library.authenticate("alice", "correct horse battery").id == alice.id
    assert library.authenticate("alice", "wrong password") is None
    assert library.authenticate("nobody", "correct horse battery") is None
    with pytest.raises(Conflict):
        _account(library)
    with pytest.raises(Invalid):
        library.create_account("bob", "short")
    with pytest.raises(Invalid):
        library.create_account("bad name!", "long enough password")


def test_sessions_start_and_end(library: Library) -> None:
    alice = _account(library)
    token, csrf = library.start_session(alice.id)
    account, found_csrf = library.session_of(token)
    assert account.id == alice.id and found_csrf == csrf
    library.end_session(token)
    assert library.session_of(token) is None
    assert library.session_of("made-up") is None


def test_import_stores_metadata_and_recognises_duplicates(library: Library) -> None:
    alice = _account(library)
    first = library.import_work(alice.id, STORY, "lighthouse.txt")
    assert not first.duplicate
    work = first.work
    assert (work.title, work.format, work.rating) == ("The Lighthouse", "txt", "General Audiences")
    assert work.summary == "A storm, a lamp, a keeper."
    assert work.original == STORY  # the original bytes are kept
    again = library.import_work(alice.id, STORY, "copy.txt")
    assert again.duplicate and again.work.id == work.id
    # Another account importing the same bytes gets its own copy.
    bob = _account(library, "bob")
    assert not library.import_work(bob.id, STORY, "lighthouse.txt").duplicate


def test_same_ao3_work_id_is_a_duplicate(library: Library) -> None:
    alice = _account(library)
    header = b"Title: Kylo\nSource: https://archiveofourown.org/works/4242/chapters/1\n\n"
    first = library.import_work(alice.id, header + b"You wake up.", "a.txt")
    assert first.work.ao3_id == "4242"
    second = library.import_work(alice.id, header + b"You wake up. Edited.", "b.txt")
    assert second.duplicate and second.work.id == first.work.id


def test_a_failed_import_leaves_nothing(library: Library, monkeypatch) -> None:
    alice = _account(library)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while indexing")

    monkeypatch.setattr(search, "index", broken)
    with pytest.raises(RuntimeError):
        library.import_work(alice.id, STORY, "lighthouse.txt")
    with library.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Work)) == 0
        assert session.scalar(select(func.count()).select_from(WorkTag)) == 0
    monkeypatch.undo()
    assert not library.import_work(alice.id, STORY, "lighthouse.txt").duplicate


@pytest.mark.parametrize(
    "data, message",
    [(b"", "empty"), (b"   \n", "empty"), (b"PK\x03\x04 not really a zip", None)],
)
def test_bad_files_are_refused_with_a_message(library: Library, data: bytes, message) -> None:
    alice = _account(library)
    with pytest.raises(YnsertError, match=message):
        library.import_work(alice.id, data, "story.epub" if data.startswith(b"PK") else "s.txt")
    assert library.list_works(alice.id) == []


def test_uploads_are_size_capped(library: Library) -> None:
    alice = _account(library)
    with pytest.raises(YnsertError, match="larger than"):
        library.import_work(alice.id, b"You ran. " * (2 * 2**20), "huge.txt")


def test_full_text_search_over_title_summary_tags_and_text(library: Library) -> None:
    alice = _account(library)
    lighthouse = library.import_work(alice.id, STORY, "lighthouse.txt").work.id
    seed = library.import_work(alice.id, sample_bytes(), "seed.txt").work.id
    find = lambda q: [w["id"] for w in library.list_works(alice.id, WorkQuery(q=q))]  # noqa: E731
    assert find("lighthouse") == [lighthouse]  # title
    assert find("storm lamp") == [lighthouse]  # summary, every word
    assert find("keeper reader") == [lighthouse]  # tags
    assert find("Starkiller") == [seed]  # story text
    assert find("corridors racing") == [seed]  # stemmed: "raced" and "racing"
    assert find("lighthouse Starkiller") == []
    for hostile in ['"', "NEAR(", "*", "a OR", "') --", "∅"]:
        assert isinstance(find(hostile), list)  # query syntax is never passed through
    bob = _account(library, "bob")
    assert library.list_works(bob.id, WorkQuery(q="lighthouse")) == []


def test_analysis_is_stored_with_its_version_and_recomputed_when_stale(library: Library) -> None:
    alice = _account(library)
    seed = library.import_work(alice.id, sample_bytes(), "seed.txt").work.id
    assert not library.analysis_ready(alice.id, seed)
    data = library.analysis(alice.id, seed)
    assert MCD in [item["name"] for item in data["content"]["assessed"]]
    assert library.analysis_ready(alice.id, seed)
    with library.sessions.begin() as session:
        session.get(Analysis, seed).version = '{"ynsert": "0.0.1"}'
    assert not library.analysis_ready(alice.id, seed)
    assert library.analysis(alice.id, seed) == data
    with library.sessions() as session:
        assert session.get(Analysis, seed).version == library._version
    facets = library.facets(alice.id)
    assert MCD in facets["warning"] and "second" in facets["person"]


def test_filters_exclusions_and_status(library: Library) -> None:
    alice = _account(library)
    seed = library.import_work(alice.id, sample_bytes(), "seed.txt").work.id
    lighthouse = library.import_work(alice.id, STORY, "lighthouse.txt").work.id

    def ids(**query) -> list[int]:
        return sorted(w["id"] for w in library.list_works(alice.id, WorkQuery(**query)))

    # Not analysed yet: not known to be safe, so hidden while any warning is excluded.
    assert ids(exclude_warnings=[MCD]) == []
    seed_analysis = library.analysis(alice.id, seed)
    library.analysis(alice.id, lighthouse)
    # The seed's death is assessed, with a probability below the default level: it counts for
    # a reader who asks to be warned from that probability up, and for nobody else.
    [death] = [w for w in seed_analysis["content"]["assessed"] if w["name"] == MCD]
    assert death["confidence"] < flag_level(MCD, load())
    assert ids(exclude_warnings=[MCD]) == sorted([seed, lighthouse])
    assert ids(warnings=[MCD]) == []
    level = math.floor(death["confidence"] * 100) / 100
    cautious = library.create_profile(
        alice.id, {"label": "Cautious", "excluded_warnings": [MCD], "warn_at": level}
    )
    assert ids(profile_id=cautious.id) == [lighthouse]
    assert ids(profile_id=cautious.id, exclude_warnings=["major character death"]) == [lighthouse]
    assert ids(profile_id=cautious.id, warnings=[MCD], apply_profile=False) == [seed]
    library.update_profile(alice.id, cautious.id, {"warn_at": level + 0.05})
    assert ids(profile_id=cautious.id) == sorted([seed, lighthouse])
    with pytest.raises(Invalid, match="warn_at"):
        library.update_profile(alice.id, cautious.id, {"warn_at": 0.01})
    # A warning the author declares always counts.
    declared = library.import_work(alice.id, b"Warnings: " + MCD.encode() + b"\n" + STORY, "d.txt")
    library.analysis(alice.id, declared.work.id)
    assert ids(warnings=[MCD]) == [declared.work.id]
    library.delete_work(alice.id, declared.work.id)
    assert ids(fandom="Original Work") == [lighthouse]
    assert ids(person="second") == sorted([seed, lighthouse])
    assert ids(min_words=500) == [seed] and ids(max_words=500) == [lighthouse]
    assert ids(exclude_tags=["Original Work"]) == [seed]
    titles = [w["title"] for w in library.list_works(alice.id, WorkQuery(sort="title"))]
    assert titles == sorted(titles, key=str.lower)
    # A profile's saved "hide works with …" applies unless asked not to.
    mara = library.create_profile(
        alice.id, {"label": "Mara", "excluded_warnings": [MCD], "warn_at": level}
    )
    assert ids(profile_id=mara.id) == [lighthouse]
    assert ids(profile_id=mara.id, apply_profile=False) == sorted([seed, lighthouse])
    # Read / in progress / unread, per profile.
    library.save_progress(alice.id, mara.id, lighthouse, 0, 0.3)
    assert ids(profile_id=mara.id, status="reading", apply_profile=False) == [lighthouse]
    assert ids(profile_id=mara.id, status="unread", apply_profile=False) == [seed]
    library.save_progress(alice.id, mara.id, lighthouse, 0, 1.0)
    assert ids(profile_id=mara.id, status="read", apply_profile=False) == [lighthouse]
    with pytest.raises(Invalid):
        ids(profile_id=mara.id, status="someday")


def test_profiles_are_validated(library: Library) -> None:
    alice = _account(library)
    mara = library.create_profile(
        alice.id, {"label": "Mara", "name": "Mara", "pronouns": "she", "person": "third"}
    )
    assert library.profile(alice.id, mara.id).name == "Mara"
    updated = library.update_profile(alice.id, mara.id, {"display": {"theme": "dark", "size": 5}})
    assert updated.display["theme"] == "dark" and updated.display["size"] == 5
    with pytest.raises(Invalid, match="pronoun"):
        library.update_profile(alice.id, mara.id, {"pronouns": "zork"})
    with pytest.raises(Invalid, match="size"):
        library.update_profile(alice.id, mara.id, {"display": {"size": 99}})
    with pytest.raises(Invalid):
        library.create_profile(alice.id, {"label": "X", "person": "fourth"})
    assert library.profile(alice.id, mara.id).pronouns == "she"  # failed updates change nothing
    library.delete_profile(alice.id, mara.id)
    with pytest.raises(NotFound):
        library.profile(alice.id, mara.id)


def test_rendition_is_the_personalised_text_and_cached(library: Library, monkeypatch) -> None:
    alice = _account(library)
    seed = library.import_work(alice.id, sample_bytes(), "seed.txt").work.id
    mara = library.create_profile(
        alice.id, {"label": "Mara", "name": "Mara", "pronouns": "she", "names": "first"}
    )
    rendition = library.rendition(alice.id, seed, mara.id)
    text = "".join(piece[0] for piece in rendition["chapters"][0]["pieces"])
    expected = api.personalise(
        sample_bytes(), {"name": "Mara", "pronouns": "she", "names": "first"}
    )
    assert text == expected.text and rendition["edits"] == len(expected.edits)
    calls = []
    monkeypatch.setattr(api, "personalise", lambda *a, **k: calls.append(a))
    assert library.rendition(alice.id, seed, mara.id) == rendition
    assert calls == []  # the second reading is a lookup
    monkeypatch.undo()
    as_written = library.rendition(alice.id, seed, None)
    assert "".join(p[0] for p in as_written["chapters"][0]["pieces"]) == sample_bytes().decode()


def test_download_is_the_personalised_epub(library: Library) -> None:
    alice = _account(library)
    seed = library.import_work(alice.id, sample_bytes(), "seed.txt").work.id
    mara = library.create_profile(alice.id, {"label": "Mara", "name": "Mara", "names": "first"})
    data, name, media = library.download(alice.id, seed, mara.id, "epub")
    assert media == "application/epub+zip" and name.endswith(".epub")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        body = " ".join(book.read(n).decode() for n in book.namelist() if n.endswith("html"))
    assert "Mara raced down the corridors" in body
    with pytest.raises(Invalid):
        library.download(alice.id, seed, mara.id, "pdf")


def test_import_reads_epub_and_ao3_html_made_by_ynsert(library: Library) -> None:
    alice = _account(library)
    work = api.open_work(sample_bytes(), filename="seed.txt")
    for fmt in ("epub", "html"):
        result = library.import_work(alice.id, write_work(work, fmt), f"seed.{fmt}")
        assert result.work.format == fmt and result.work.words == len(work.text.split())


def test_progress_and_bookmarks(library: Library) -> None:
    alice = _account(library)
    seed = library.import_work(alice.id, sample_bytes(), "seed.txt").work.id
    mara = library.create_profile(alice.id, {"label": "Mara"})
    assert library.progress(alice.id, mara.id, seed) is None
    saved = library.save_progress(alice.id, mara.id, seed, 7, 1.7)  # clamped into the work
    assert (saved.chapter, saved.position, saved.finished) == (0, 1.0, True)
    library.save_progress(alice.id, mara.id, seed, 0, 0.25)
    found = library.progress(alice.id, mara.id, seed)
    assert (found.chapter, found.position, found.finished) == (0, 0.25, False)
    mark = library.add_bookmark(alice.id, mara.id, seed, 0, 0.5, "the kiss")
    assert [b.note for b in library.bookmarks(alice.id, seed)] == ["the kiss"]
    library.delete_bookmark(alice.id, mark.id)
    assert library.bookmarks(alice.id, seed) == []


def test_every_id_is_private_to_its_account(library: Library) -> None:
    alice, bob = _account(library), _account(library, "bob")
    work = library.import_work(alice.id, STORY, "lighthouse.txt").work.id
    profile = library.create_profile(alice.id, {"label": "Mara"})
    mark = library.add_bookmark(alice.id, profile.id, work, 0, 0.1, "")
    library.save_progress(alice.id, profile.id, work, 0, 0.5)
    bobs = library.create_profile(bob.id, {"label": "Bob"})
    attempts = [
        lambda: library.work(bob.id, work),
        lambda: library.analysis(bob.id, work),
        lambda: library.rendition(bob.id, work, None),
        lambda: library.rendition(bob.id, work, profile.id),
        lambda: library.download(bob.id, work, None, "epub"),
        lambda: library.delete_work(bob.id, work),
        lambda: library.profile(bob.id, profile.id),
        lambda: library.update_profile(bob.id, profile.id, {"label": "mine"}),
        lambda: library.delete_profile(bob.id, profile.id),
        lambda: library.profile_token(bob.id, profile.id),
        lambda: library.progress(bob.id, bobs.id, work),
        lambda: library.progress(bob.id, profile.id, work),
        lambda: library.save_progress(bob.id, bobs.id, work, 0, 0.9),
        lambda: library.bookmarks(bob.id, work),
        lambda: library.add_bookmark(bob.id, bobs.id, work, 0, 0.0, ""),
        lambda: library.delete_bookmark(bob.id, mark.id),
        lambda: library.work(bob.id, 2**40),  # out of range: "not found", not an overflow
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert library.list_works(bob.id) == []
    assert [p.label for p in library.profiles(bob.id)] == ["Bob"]
    assert library.progress(alice.id, profile.id, work).position == 0.5


def test_tokens_for_opds_and_guest_sharing(library: Library) -> None:
    alice = _account(library)
    profile = library.create_profile(alice.id, {"label": "Mara"})
    token = library.profile_token(alice.id, profile.id)
    assert library.profile_by_token(token).id == profile.id
    newer = library.profile_token(alice.id, profile.id)
    with pytest.raises(NotFound):
        library.profile_by_token(token)  # a new token replaces the old one
    assert library.profile_by_token(newer).id == profile.id
    share = library.set_sharing(alice.id, True)
    assert library.shared_account(share).id == alice.id
    library.set_sharing(alice.id, False)
    with pytest.raises(NotFound):
        library.shared_account(share)


def test_new_accounts_start_with_the_sample(database_url: str) -> None:
    library = Library(database_url)  # seed=True, as ``ynsert serve`` runs it
    try:
        alice = library.create_account("alice", "correct horse battery")
        [work] = library.list_works(alice.id)
        assert work["words"] == len(sample_bytes().split())
    finally:
        library.close()
