"""Generated batch inputs (duplicate zip members, FIFOs and symlinks in a folder) and generated
mixed-person text (issue 20 items 11 and 12).

- a zip with repeated member names yields every member once, under ids that are all distinct;
- a folder with FIFOs and symlinks (inside and outside the tree) never hangs: regular files and
  links inside the tree are read, FIFOs and links out of it are that work's error;
- mixed-person text: a work judged not to be a reader-insert is left byte for byte; inside one,
  edits lie only in the paragraphs of converted blocks, and left blocks come with a note.
"""

from __future__ import annotations

import io
import os
import tempfile
import threading
import zipfile
from pathlib import Path

from fuzz_profiles import fuzz_settings
from hypothesis import given
from hypothesis import strategies as st

from ynsert.batch.sources import Item, open_source
from ynsert.document.segment import Story
from ynsert.rewrite import rewrite

NAMES = ["a.txt", "b.md", "a (2).txt", "dir/a.txt", "c.html"]


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            # zipfile warns about a duplicate name and writes it anyway, as `zip` can
            archive.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


@fuzz_settings(60)
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=12))
def test_every_zip_member_is_one_work_under_a_distinct_id(names: list[str]) -> None:
    members = [(name, f"You read member {n}.".encode()) for n, name in enumerate(names)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "in.zip")
        with warnings_off():
            path.write_bytes(_zip(members))
        items = [i for shard in open_source(path).shards(3) for i in shard.load()]
    assert sorted(i.data for i in items if i.data) == sorted(d for _, d in members)
    assert len({i.id for i in items}) == len(items) == len(members)


KINDS = ["file", "fifo", "link-in", "link-out", "dir-link"]


@fuzz_settings(30)
@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
def test_fifos_and_symlinks_in_a_folder_never_hang_nor_leave_it(kinds: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder, "in")
        (root / "real").mkdir(parents=True)
        (root / "real" / "base.txt").write_bytes(b"You stay.")
        outside = Path(folder, "outside.txt")
        outside.write_bytes(b"You must not be read.")
        expected: dict[str, bytes | None] = {"real/base.txt": b"You stay."}
        for n, kind in enumerate(kinds):
            entry = root / f"w{n}.txt"
            if kind == "file":
                entry.write_bytes(f"You are work {n}.".encode())
                expected[entry.name] = entry.read_bytes()
            elif kind == "fifo":
                os.mkfifo(entry)
                expected[entry.name] = None
            elif kind == "link-in":
                entry.symlink_to(root / "real" / "base.txt")
                expected[entry.name] = b"You stay."
            elif kind == "link-out":
                entry.symlink_to(outside)
                expected[entry.name] = None
            else:  # a linked folder is not walked into (os.walk does not follow links)
                (root / f"d{n}").symlink_to(Path(folder), target_is_directory=True)
        items = _load_with_timeout(root)
        for fifo in root.glob("*.txt"):  # unblock a stuck reader, if any, before asserting
            if fifo.is_fifo():
                _release(fifo)
    assert items is not None, "reading the folder hung"
    assert {i.id: i.data for i in items} == expected
    assert all(i.error for i in items if i.data is None)


def _load_with_timeout(root: Path) -> list[Item] | None:
    done: list[list[Item]] = []
    worker = threading.Thread(
        target=lambda: done.append([i for s in open_source(root).shards(4) for i in s.load()]),
        daemon=True,
    )
    worker.start()
    worker.join(20)
    return done[0] if done else None


def _release(fifo: Path) -> None:
    try:
        descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return  # no reader is waiting on it
    os.close(descriptor)


class warnings_off:
    """``zipfile`` warns on a duplicate member name; here that is the point."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore", UserWarning)

    def __exit__(self, *exc: object) -> None:
        self._catch.__exit__(*exc)


SECOND = ["You walk in.", "You sit down.", "Your hands shake.", "He looks at you."]
FIRST = ["I walk in.", "I sit down.", "My hands shake.", "He looks at me."]
ASIDE = ["I hope you like this.", "I wrote it for you.", "Thank you for reading, I mean it."]
THIRD = ["She walks in.", "The rain falls.", "He laughs.", '"You came," he says.']
POOLS = {"second": SECOND, "first": FIRST, "aside": ASIDE, "third": THIRD}
PARAGRAPH = st.tuples(
    st.sampled_from(sorted(POOLS)), st.lists(st.integers(0, 3), min_size=1, max_size=4)
)


@fuzz_settings(25)
@given(st.lists(PARAGRAPH, min_size=1, max_size=6), st.booleans())
def test_mixed_person_text_changes_only_in_converted_blocks(
    paragraphs: list[tuple[str, list[int]]], marked: bool
) -> None:
    body = "\n\n".join(
        " ".join(POOLS[kind][i % len(POOLS[kind])] for i in picks) for kind, picks in paragraphs
    )
    text = ("Characters: Kylo Ren, Reader\n\n" if marked else "") + body
    result = rewrite(text, to="third", name="Mara", pronouns="she")
    address = result.address
    assert address is not None
    if not address["reader_insert"]:
        assert result.text == text
        return
    story = Story.from_text(text)
    converted = [
        (
            story.paragraphs[b["paragraphs"][0] - 1].start,
            story.paragraphs[b["paragraphs"][1] - 1].end,
        )
        for b in address["converted"]
    ]
    for edit in result.edits:
        assert any(start <= edit.start and edit.end <= end for start, end in converted), edit
    if address["left"]:
        assert any("left as written" in note for note in result.notes)
