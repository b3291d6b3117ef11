"""What reading and writing an EPUB (or AO3 HTML) adds to a rewrite of the same story.

Goal (issue 4): reading + applying the edits + writing add at most 10 % to the rewrite of a
100,000-word EPUB.  Everything runs in this process, one step after the other, so the
ratio holds on a noisy machine where absolute numbers do not.  Format steps are timed as
the best of ``--repeat`` runs; the rewrite (much slower) runs once.

The book: the seed and the second-person Hawthorne from ``tests/data`` (nothing is downloaded),
paragraphs repeated into ~3,000-word chapters until the story has ``--words`` words,
written by ynsert as an EPUB 3 in AO3's layout.

    .venv/bin/python benchmarks/formats_speed.py [--words 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from html import escape

from corpus import READER_STORIES

import ynsert
from ynsert.formats import Metadata, read_work, write_work
from ynsert.formats.epub import new_epub

SOURCES = READER_STORIES
CHAPTER_WORDS = 3000


def paragraphs() -> list[str]:
    """Source paragraphs with hard-wrapped lines joined."""
    found = []
    for path in SOURCES:
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            if block.strip():
                found.append(" ".join(block.split()))
    return found


def build_book(words: int) -> bytes:
    source = paragraphs()
    chapters: list[tuple[str, str]] = []
    current: list[str] = []
    total = count = 0
    while total < words:
        paragraph = source[count % len(source)]
        count += 1
        current.append(f"<p>{escape(paragraph, quote=False)}</p>")
        total += len(paragraph.split())
        if sum(len(p.split()) for p in current) >= CHAPTER_WORDS or total >= words:
            chapters.append((f"Chapter {len(chapters) + 1}", "\n".join(current)))
            current = []
    return new_epub(Metadata(title="Benchmark", authors=["ynsert"]), chapters, False)


def best(step: Callable[[], object], repeat: int) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    book = build_book(args.words)
    read_s, work = best(lambda: read_work(book, "book.epub"), args.repeat)
    print(
        f"story: {len(work.text.split()):,} words in {len(work.chapters)} chapters, "
        f"EPUB {len(book) / 1e6:.1f} MB"
    )

    ynsert.rewrite("You wake.", to="third", name="Mara", pronouns="she")  # load the model
    start = time.perf_counter()
    result = ynsert.rewrite(work.text, to="third", name="Mara", pronouns="she")
    rewrite_s = time.perf_counter() - start

    apply_s, edited = best(lambda: work.apply(result.edits), args.repeat)
    write_s, _ = best(lambda: write_work(edited, "epub"), args.repeat)
    html = write_work(work, "html")
    html_read_s, html_work = best(lambda: read_work(html, "book.html"), args.repeat)
    html_apply_s, html_edited = best(lambda: html_work.apply(result.edits), args.repeat)
    html_write_s, _ = best(lambda: write_work(html_edited, "html"), args.repeat)

    epub_total = read_s + apply_s + write_s
    html_total = html_read_s + html_apply_s + html_write_s
    print(f"rewrite          {rewrite_s:8.2f} s  ({len(result.edits):,} edits)")
    print(f"epub read        {read_s:8.3f} s")
    print(f"epub apply       {apply_s:8.3f} s")
    print(f"epub write       {write_s:8.3f} s")
    print(f"html read+apply+write {html_total:8.3f} s")
    print(f"EPUB overhead: {epub_total / rewrite_s:6.1%} of the rewrite (goal: at most 10 %)")
    print(f"HTML overhead: {html_total / rewrite_s:6.1%} of the rewrite")


if __name__ == "__main__":
    main()
