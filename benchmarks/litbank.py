"""LitBank coreference (Bamman, Lewke and Mansoor 2020; CC BY 4.0) read for ynsert's chains.

A document is the original Gutenberg excerpt (``original/ID.txt``, so paragraphs and quotes are
as printed) with every annotated mention mapped from LitBank's tokens (``coref/tsv/ID_brat.txt``
and ``.ann``) onto character offsets of that text. Two sources: a LitBank git directory (the
mirror fetched with ``fetch github:dbamman/litbank``) or a folder of the same three files per
document (what ``tests/data/litbank`` vendors).

The held-out split: documents sorted by name, every fifth one (the 0th, 5th, …) is test; the
rules' few constants were chosen on the others.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

MIRROR = Path("/work/.mirror/dbamman+litbank/repo")


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    type: str  # PER, FAC, LOC …
    kind: str  # PROP, NOM, PRON
    chain: str


@dataclass(frozen=True)
class LitBankDoc:
    name: str  # e.g. 1342_pride_and_prejudice
    text: str
    mentions: tuple[GoldMention, ...]

    def chains(self) -> dict[str, list[GoldMention]]:
        chains: dict[str, list[GoldMention]] = defaultdict(list)
        for m in self.mentions:
            chains[m.chain].append(m)
        return dict(chains)


class Source:
    """LitBank files from the git mirror or from a plain folder."""

    def __init__(self, root: Path = MIRROR) -> None:
        self.root = root
        self.git = (root / "HEAD").exists() and not (root / "original").exists()

    def read(self, path: str) -> str:
        if self.git:
            out = subprocess.run(
                ["git", "-C", str(self.root), "show", f"HEAD:{path}"],
                check=True,
                capture_output=True,
            )
            return out.stdout.decode("utf-8")
        return (self.root / path).read_text(encoding="utf-8")

    def names(self) -> list[str]:
        if self.git:
            out = subprocess.run(
                ["git", "-C", str(self.root), "ls-tree", "--name-only", "HEAD", "original/"],
                check=True,
                capture_output=True,
                text=True,
            )
            files = out.stdout.split()
        else:
            files = [f"original/{p.name}" for p in (self.root / "original").glob("*.txt")]
        return sorted(Path(f).stem for f in files)

    def load(self, name: str) -> LitBankDoc:
        text = self.read(f"original/{name}.txt")
        sentences = [
            line.split(" ") for line in self.read(f"coref/tsv/{name}_brat.txt").splitlines()
        ]
        offsets = _align(text, sentences)
        # the original is the whole book: keep it up to the paragraph the excerpt ends in
        last = max(span[1] for row in offsets for span in row if span is not None)
        end = text.find("\n\n", last)
        text = text[: end if end >= 0 else len(text)]
        ann = self.read(f"coref/tsv/{name}_brat.ann").splitlines()
        chain_of = {
            row[1]: row[2] for row in (line.split("\t") for line in ann) if row[0] == "COREF"
        }
        mentions = []
        for line in ann:
            row = line.split("\t")
            if row[0] != "MENTION":
                continue
            _, tid, s1, t1, s2, t2, words, etype, kind = row
            first, last = offsets[int(s1)][int(t1)], offsets[int(s2)][int(t2)]
            if first is None or last is None:
                continue
            start, end = first[0], last[1]
            mentions.append(
                GoldMention(start, end, text[start:end], etype, kind, chain_of.get(tid, tid))
            )
        return LitBankDoc(name, text, tuple(sorted(mentions, key=lambda m: (m.start, -m.end))))


def split(names: list[str]) -> tuple[list[str], list[str]]:
    """(train, test): every fifth document of the sorted list is held out."""
    ordered = sorted(names)
    test = ordered[::5]
    return [n for n in ordered if n not in test], test


def _align(text: str, sentences: list[list[str]]) -> list[list[tuple[int, int] | None]]:
    """Character span of every LitBank token in ``text`` (None where it cannot be found)."""
    cursor = 0
    result: list[list[tuple[int, int] | None]] = []
    for tokens in sentences:
        row: list[tuple[int, int] | None] = []
        for token in tokens:
            found = text.find(token, cursor, cursor + 200)
            if found < 0:
                row.append(None)
                continue
            row.append((found, found + len(token)))
            cursor = found + len(token)
        result.append(row)
    return result
