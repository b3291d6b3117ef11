"""The batch runner's parts without a cluster: sources, the engine, the store, the CLI errors."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_synthetic import works, write_folder, write_zip

from ynsert.batch import SCHEMA
from ynsert.batch.engine import process
from ynsert.batch.library import FolderImporter, library_importer
from ynsert.batch.sources import open_source
from ynsert.batch.store import Store, safe_relative, table_bytes
from ynsert.batch.worker import Engine, EngineConfig
from ynsert.errors import InputError

REPO = Path(__file__).resolve().parents[2]


def test_folder_and_zip_give_the_same_fixed_shards(tmp_path: Path) -> None:
    made = write_folder(tmp_path / "tree", works(23, max_words=60))
    write_zip(tmp_path / "tree.zip", made)
    (tmp_path / "tree" / "notes.png").write_bytes(b"\x89PNG")  # not a story: not a work
    folder, archive = open_source(tmp_path / "tree"), open_source(tmp_path / "tree.zip")
    assert folder.count() == archive.count() == 23
    shards = [[item.id for item in shard.load()] for shard in folder.shards(5)]
    assert [len(s) for s in shards] == [5, 5, 5, 5, 3]
    assert sorted(sum(shards, [])) == sorted(w.path for w in made)
    zipped = [[item.id for item in shard.load()] for shard in archive.shards(5)]
    assert zipped == shards
    first = next(iter(archive.shards(5))).load()[0]
    assert first.data == (tmp_path / "tree" / first.id).read_bytes()


def test_jsonl_records_text_path_metadata_and_bad_lines(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("You ran home.", encoding="utf-8")
    lines = [
        {"id": "a", "text": "You smile.", "metadata": {"warnings": ["No Archive Warnings Apply"]}},
        {"id": "b", "path": "story.txt"},
        "this line is not JSON",
        {"id": "d"},
        {"text": "No id here."},
    ]
    body = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines)
    (tmp_path / "works.jsonl").write_text(body + "\n\n", encoding="utf-8")
    items = [i for s in open_source(tmp_path / "works.jsonl").shards(2) for i in s.load()]
    assert [i.id for i in items] == ["a", "b", "record-000001-0000", "d", "record-000002-0000"]
    assert items[0].metadata == {"warnings": ["No Archive Warnings Apply"]}
    assert items[1].data == b"You ran home." and items[1].source == "story.txt"
    assert items[2].error and items[3].error == "record has neither text nor path"


def test_parquet_input_streams_rows(tmp_path: Path) -> None:
    rows = [{"id": f"p{n}", "text": f"You wave at {n}.", "metadata": "{}"} for n in range(7)]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet", row_group_size=3)
    source = open_source(tmp_path / "in.parquet")
    assert source.count() == 7
    assert [[i.id for i in s.load()] for s in source.shards(4)] == [
        ["p0", "p1", "p2", "p3"],
        ["p4", "p5", "p6"],
    ]
    pq.write_table(pa.Table.from_pylist([{"id": "x"}]), tmp_path / "bad.parquet")
    with pytest.raises(InputError, match="text or path column"):
        list(open_source(tmp_path / "bad.parquet").refs())


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing", "no such file"), ("a.csv", "give a folder"), ("z.zip", "not a readable zip")],
)
def test_unusable_inputs_are_one_line_errors(tmp_path: Path, name: str, message: str) -> None:
    if name != "missing":
        (tmp_path / name).write_text("x")
    with pytest.raises(InputError, match=message):
        open_source(tmp_path / name)


def test_engine_rows_for_good_and_broken_works() -> None:
    good, broken = next(w for w in works(40) if not w.broken), works(40)[37]
    assert broken.broken
    row, data = process("personalise", _item(good), {"name": "Mara", "pronouns": "she"})
    assert row["error"] is None and row["words"] > 0 and row["format"] == good.format
    assert row["person"] in {"first", "second", "third"} and row["engine"].startswith("ynsert ")
    assert data and row["edits"] is not None
    table = pa.Table.from_pylist([row], schema=SCHEMA)  # the row fits the fixed schema
    assert table.num_rows == 1
    failed, nothing = process("analyse", _item(broken), None)
    assert failed["error_kind"] == "format" and failed["error"] and nothing is None


def test_engine_process_timeout_is_the_works_error_and_the_engine_restarts() -> None:
    big = (REPO / "tests" / "analysis" / "workset" / "wA01.txt").read_bytes() * 40
    engine = Engine(EngineConfig("analyse", None, timeout=1.0))
    try:
        rows, _ = engine.run_items(
            [
                {"id": "big", "source": "big", "filename": "big.txt", "data": big},
                {"id": "small", "source": "s", "filename": "s.txt", "data": b"You nod."},
            ]
        )
    finally:
        engine.close()
    assert rows[0]["error_kind"] == "timeout" and "1 s" in rows[0]["error"]
    assert rows[1]["error"] is None and rows[1]["person"] == "second"
    assert engine.starts == 2  # killed on the timeout, a fresh engine for the next work


def test_engine_memory_limit_is_the_works_error() -> None:
    story = (REPO / "tests" / "analysis" / "workset" / "wA01.txt").read_bytes() * 4
    engine = Engine(EngineConfig("analyse", None, timeout=120, memory_limit=1))
    try:
        engine.start()  # starting is not policed; the limit applies while a work runs
        row, _ = engine.run({"id": "m", "source": "m", "filename": "m.txt", "data": story})
    finally:
        engine.close()
    assert row["error_kind"] == "memory" and "MB" in row["error"]


def test_store_manifest_ignores_a_torn_line_and_refuses_other_arguments(tmp_path: Path) -> None:
    store = Store(tmp_path, {"verb": "analyse", "shard_size": 5})
    row = process("analyse", _item(works(1)[0]), None)[0]
    store.write_shard(0, [row], {"works": 1, "words": 3, "failed": 0, "ids": "x"})
    with store.manifest.open("a") as handle:
        handle.write('{"index": 1, "works"')  # what a kill in the middle of a write leaves
    assert list(store.finished()) == [0]
    with pytest.raises(InputError, match="other arguments"):
        Store(tmp_path, {"verb": "analyse", "shard_size": 6})
    assert pq.read_table(store.shard_path(0)).schema.equals(SCHEMA)
    assert table_bytes([row])[:4] == b"PAR1"


def test_output_paths_stay_inside_the_output() -> None:
    assert safe_relative("../../etc/passwd").as_posix() == "etc/passwd"
    assert safe_relative("/abs/x.txt").as_posix() == "abs/x.txt"
    assert safe_relative("..").as_posix() == "work"


def test_folder_importer(tmp_path: Path) -> None:
    FolderImporter(tmp_path)("a/b.epub", b"PK", "a/b.epub", {"title": "T"})
    assert (tmp_path / "a" / "b.epub").read_bytes() == b"PK"
    assert json.loads((tmp_path / "a" / "b.epub.json").read_text())["title"] == "T"


def test_the_library_importer_stores_works_in_one_account(tmp_path: Path) -> None:
    from ynsert.library import Library
    from ynsert.library.service import Invalid, NotFound

    url = f"sqlite:///{tmp_path / 'library.db'}"
    library = Library(url, seed=False)
    account = library.create_account("mara", "correct horse battery")
    store = library_importer(f"mara@{url}")
    store("a.txt", b"Title: Ashes\n\nYou wake up, Y/N.", "a.txt", {})
    store("copy.txt", b"Title: Ashes\n\nYou wake up, Y/N.", "copy.txt", {})  # a duplicate
    assert [w["title"] for w in library.list_works(account.id)] == ["Ashes"]
    with pytest.raises(NotFound, match="no account 'nobody'"):
        library_importer(f"nobody@{url}")
    with pytest.raises(Invalid, match="needs --library"):
        library_importer(None)


def test_cli_batch_errors_are_one_line(tmp_path: Path) -> None:
    ynsert = [sys.executable, "-m", "ynsert"]
    missing = subprocess.run(
        [*ynsert, "batch", "analyse", str(tmp_path / "nope"), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        f"ynsert: error: {tmp_path / 'nope'}: no such file or folder"
    ]
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as archive:
        archive.writestr("a.txt", "You ran.")
    imported = subprocess.run(
        [*ynsert, "batch", "import", str(tmp_path / "in.zip"), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = imported.stderr.strip().splitlines()
    assert imported.returncode == 1 and len(lines) == 1 and "needs --library" in lines[0]
    assert not (tmp_path / "o").exists()  # refused before anything was started or written


def _item(work: object) -> dict[str, object]:
    path = work.path  # type: ignore[attr-defined]
    return {"id": path, "source": path, "filename": path, "data": work.data}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "name", ["sources", "engine", "store", "protocol", "cluster", "library", "worker"]
)
def test_module_examples(name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"ynsert.batch.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
