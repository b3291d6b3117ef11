"""Issue 20 item 11: batch inputs that lost, doubled or hung on works, or read outside the tree."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import pytest

from ynsert.batch.sources import open_source


def _items(path: Path, shard_size: int = 2) -> list:
    return [item for shard in open_source(path).shards(shard_size) for item in shard.load()]


def test_duplicate_zip_members_are_each_a_work_of_their_own(tmp_path: Path) -> None:
    archive = tmp_path / "dup.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("b.txt", b"You wave.")
        with pytest.warns(UserWarning, match="Duplicate name"):
            zipped.writestr("a.txt", b"You run first.")
            zipped.writestr("a.txt", b"You run second.")
            zipped.writestr("a.txt", b"You run third.")
        zipped.writestr("a (2).txt", b"You are a real member named like a copy.")
    source = open_source(archive)
    items = _items(archive)
    assert source.count() == len(items) == 5
    ids = [item.id for item in items]
    assert len(set(ids)) == 5, ids  # no id twice, so no output file overwritten
    assert sorted(item.data for item in items) == sorted(
        [
            b"You wave.",
            b"You run first.",
            b"You run second.",
            b"You run third.",
            b"You are a real member named like a copy.",
        ]
    )
    real = next(item for item in items if item.data.startswith(b"You are a real"))
    assert real.id == "a (2).txt"
    copies = [item for item in items if item.source == "a.txt"]
    assert [c.data for c in copies] == [b"You run first.", b"You run second.", b"You run third."]
    assert all(c.filename and c.filename.endswith(".txt") for c in copies)  # format kept


def test_a_fifo_in_the_input_folder_is_an_error_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_bytes(b"You wake.")
    os.mkfifo(tmp_path / "pipe.txt")
    done: list = []
    reader = threading.Thread(target=lambda: done.append(_items(tmp_path)), daemon=True)
    reader.start()
    reader.join(20)
    if reader.is_alive():  # unblock the stuck read so the test process can end
        with open(tmp_path / "pipe.txt", "wb"):
            pass
        pytest.fail("reading a FIFO in the input folder hung")
    items = {item.id: item for item in done[0]}
    assert items["story.txt"].data == b"You wake."
    assert items["pipe.txt"].data is None
    assert items["pipe.txt"].error == "not a regular file (a FIFO), not read"


def test_a_symlink_out_of_the_input_tree_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_bytes(b"You should never see this.")
    tree = tmp_path / "in"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "inside.txt").write_bytes(b"You stay inside.")
    (tree / "escape.txt").symlink_to(secret)
    (tree / "link.txt").symlink_to(tree / "sub" / "inside.txt")  # inside the tree: fine
    items = {item.id: item for item in _items(tree)}
    assert items["escape.txt"].data is None
    assert items["escape.txt"].error == "a symlink to a file outside the input folder, not read"
    assert items["link.txt"].data == items["sub/inside.txt"].data == b"You stay inside."


def test_a_jsonl_path_to_a_fifo_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "works.jsonl").write_text('{"id": "p", "path": "pipe.txt"}\n', encoding="utf-8")
    done: list = []
    reader = threading.Thread(target=lambda: done.append(_items(tmp_path / "works.jsonl")))
    reader.daemon = True
    reader.start()
    reader.join(20)
    if reader.is_alive():
        with open(tmp_path / "pipe.txt", "wb"):
            pass
        pytest.fail("reading a FIFO named by a JSONL record hung")
    assert done[0][0].error == "pipe.txt: not a regular file (a FIFO), not read"
