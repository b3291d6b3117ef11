"""The dev split of real AO3 works, read with the protocol of the held-out measurement.

The corpus (``github:jfrankbryant/fictiontaggingengine``, AO3 "Download → HTML" files) has no
licence: it is unpacked outside the repository by ``../shared/eval/ao3-dev-unpack.sh`` and only
the works listed in ``../shared/eval/ao3-dev.tsv`` are read. Every other work is held out and
is never opened: ``dev_works`` reads the list first and opens only the files it names.

Protocol (the same as the held-out measurement): the declared tags (rating, archive warnings,
category, fandoms, relationships, characters, additional tags) are taken from the file as the
gold and then removed from it; the story text, the summary and the author's notes are kept.
Works whose author chose not to use archive warnings have no gold and are left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

REPO = Path(__file__).resolve().parent.parent
DEV_LIST = REPO.parent / "shared" / "eval" / "ao3-dev.tsv"
DEFAULT_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
DEFAULT_DIR = DEFAULT_DIR / "ynsert-dev" / "ao3" / "Fanfic_HTML"

ARCHIVE = (
    "Major Character Death",
    "Graphic Depictions Of Violence",
    "Rape/Non-Con",
    "Underage",
)
_TAG_LIST = re.compile(rb'<dl class="tags">.*?</dl>', re.S)


@dataclass(frozen=True)
class DevWork:
    work_id: str
    file: str
    declared: frozenset[str]  # archive warnings the author declared
    unknown: bool  # the author chose not to use archive warnings
    relationships: tuple[str, ...]
    characters: tuple[str, ...]
    hidden: bytes  # the file with its tag list removed

    def has(self, warning: str) -> bool:
        return warning in self.declared


def dev_list(path: Path = DEV_LIST) -> list[tuple[str, str]]:
    """(work id, file name) of every dev work, in the list's order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            work_id, name = line.split("\t")
            rows.append((work_id, name))
    return rows


def _declared(data: bytes, field: str) -> tuple[str, ...]:
    match = _TAG_LIST.search(data)
    if not match:
        return ()
    dl = lxml_html.fromstring(match.group(0))
    label = ""
    for child in dl:
        if child.tag == "dt":
            label = (child.text_content() or "").strip().rstrip(":")
        elif child.tag == "dd" and label.startswith(field):
            return tuple(a.text_content().strip() for a in child.iter("a"))
    return ()


def read_dev_work(directory: Path, work_id: str, name: str) -> DevWork:
    data = (directory / name).read_bytes()
    warnings = _declared(data, "Archive Warning")
    return DevWork(
        work_id=work_id,
        file=name,
        declared=frozenset(w for w in warnings if w in ARCHIVE),
        unknown=not warnings or any("not to use" in w.lower() for w in warnings),
        relationships=_declared(data, "Relationship"),
        characters=_declared(data, "Character"),
        hidden=_TAG_LIST.sub(b"", data, count=1),
    )


def dev_works(directory: Path = DEFAULT_DIR, *, include_unknown: bool = False) -> Iterator[DevWork]:
    """The dev works present in ``directory``, listed order; only files the dev list names."""
    for work_id, name in dev_list():
        if not (directory / name).is_file():
            continue
        work = read_dev_work(directory, work_id, name)
        if include_unknown or not work.unknown:
            yield work


def available(directory: Path = DEFAULT_DIR) -> bool:
    return DEV_LIST.is_file() and directory.is_dir()
