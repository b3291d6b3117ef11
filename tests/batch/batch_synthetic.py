"""Synthetic archives for the batch tests and benchmarks, built from the repository's own texts.

Works vary in length (slices of paragraphs, some stories repeated), format (txt, md, html,
epub through ynsert's own writers), person (second-person reader-inserts, their first- and
third-person golds, third-person public-domain stories) and content (the labelled workset).
One in a hundred is deliberately broken, in one of four ways a real archive has.

    from batch_synthetic import build_folder
    works = build_folder(folder, 300)      # [(relative path, broken?), …]
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ynsert.formats import read_work, write_work

REPO = Path(__file__).resolve().parents[2]
TEXTS = [
    REPO / "examples" / "seed.txt",
    *sorted((REPO / "tests" / "rewrite" / "stories").glob("*.txt")),
    *sorted((REPO / "tests" / "rewrite" / "blind").glob("*.txt")),
    *sorted((REPO / "tests" / "analysis" / "workset").glob("*.txt")),
]
FORMATS = ("txt", "md", "html", "epub")
FANDOMS = ("marvel", "star-wars", "haikyuu", "bts", "classics", "misc/originals", "misc/crossover")
RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Not Rated")


@dataclass(frozen=True)
class Synthetic:
    path: str  # relative, posix
    data: bytes
    broken: bool
    format: str


def _paragraphs() -> list[list[str]]:
    stories = []
    for file in TEXTS:
        text = file.read_text(encoding="utf-8")
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
        if paragraphs:
            stories.append(paragraphs)
    return stories


def _broken(n: int, rng: random.Random) -> tuple[bytes, str]:
    """Four kinds: whitespace only, binary junk, a truncated EPUB, HTML without a story."""
    kind = n % 4
    if kind == 0:
        return b" \n\n \t\n", "txt"
    if kind == 1:
        return bytes(rng.randrange(256) for _ in range(300)) + b"\x00\x00", "txt"
    if kind == 2:
        whole = write_work(read_work(b"You ran home.\n\nHe waited.", "x.txt"), "epub")
        return whole[: len(whole) // 3], "epub"
    return b"<html><head><title>t</title></head><body><div></div></body></html>", "html"


def works(count: int, *, max_words: int = 400, seed: int = 7) -> list[Synthetic]:
    """``count`` works, the same for the same arguments; 1 % broken (work 37, 137, …)."""
    stories = _paragraphs()
    result = []
    for n in range(count):
        rng = random.Random(seed * 1_000_003 + n)
        folder = FANDOMS[n % len(FANDOMS)]
        if n % 100 == 37:
            data, fmt = _broken(n // 100, rng)
            result.append(Synthetic(f"{folder}/work-{n:06d}.{fmt}", data, True, fmt))
            continue
        story = stories[rng.randrange(len(stories))]
        target = int(max_words * rng.choice((0.15, 0.3, 0.5, 1.0)))
        start = rng.randrange(len(story))
        body: list[str] = []
        while len(" ".join(body).split()) < target:
            body.append(story[(start + len(body)) % len(story)])
        header = f"Title: Work {n}\nAuthor: writer{n % 13}\nRating: {RATINGS[n % 4]}\n\n"
        text = header + "\n\n".join(body)
        fmt = FORMATS[n % len(FORMATS)]
        data = text.encode("utf-8")
        if fmt != "txt":
            data = write_work(read_work(data, "w.txt"), fmt)
        result.append(Synthetic(f"{folder}/work-{n:06d}.{fmt}", data, False, fmt))
    return result


def build_folder(folder: Path, count: int, **options: int) -> list[Synthetic]:
    return write_folder(folder, works(count, **options))


def write_folder(folder: Path, made: list[Synthetic]) -> list[Synthetic]:
    for work in made:
        target = folder / work.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(work.data)
    return made


def write_zip(path: Path, made: list[Synthetic]) -> list[Synthetic]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for work in made:
            archive.writestr(work.path, work.data)
    path.write_bytes(buffer.getvalue())
    return made
