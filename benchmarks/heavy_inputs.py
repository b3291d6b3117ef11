"""Time and peak memory of ``rewrite`` and ``fill`` on heavy inputs of five shapes.

Each (shape, size, verb) runs in a fresh subprocess, so its peak memory (``ru_maxrss``) is its
own; the parent prints seconds, peak MB and the growth ratio per doubling of the size.

Shapes (generated here from a few second-person sentences, nothing downloaded):

- ``paragraphs``: ~60-word paragraphs separated by blank lines;
- ``lines``: one short line (~6 words) per line, no blank lines (a hard-wrapped or chat log);
- ``single``: the whole story as one paragraph;
- ``quotes``: alternating dialogue lines and narration, quote-heavy;
- ``html``: an HTML page of ``<p>`` paragraphs of ~12 words;
- ``short``: one or two words a line ("You nod.", "Okay."), no blank lines: 5M lines at 8.75M
  words (issue 20: ``fill`` peaked at 2.4 GB there, ``rewrite`` grew with the line count);
- ``shortparas``: the same short lines as paragraphs (blank lines between): ``rewrite`` grew
  ×2.15, ×2.54, ×3.06 per doubling up to 64k paragraphs (issue 20).

Goals (issues 12, 20): every growth ratio ≤ 2.2 per doubling; peak memory < 1 GB at 1M words in
every shape and for ``fill`` on 5M short lines; ``fill`` ≥ 1M words/s.

    .venv/bin/python benchmarks/heavy_inputs.py                       # 100k, 200k, 400k
    .venv/bin/python benchmarks/heavy_inputs.py --sizes 1000000 --verbs rewrite
    .venv/bin/python benchmarks/heavy_inputs.py --shapes lines --verbs fill
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

SENTENCES = [
    "You walk down the corridor and Y/N hears the hum of the engines.",
    "He looks at you for a long moment before he speaks.",
    "Your hands shake as you reach for the door.",
    "The lights flicker, and you wonder whether anyone else is awake.",
    "She laughs at something you said and turns away.",
]
QUOTES = ['"Stay with me," you whisper.', '"I never left," he says, and you believe him.']
SHORT = ["You nod.", "He waits.", "Your turn.", "Okay."]  # 1.5 words a line
SHAPES = ("paragraphs", "lines", "single", "quotes", "html", "short", "shortparas")


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def story(shape: str, words: int) -> tuple[bytes, str]:
    """A story of about ``words`` words in ``shape``, and a file name for it."""
    if shape in ("short", "shortparas"):
        lines = SHORT * max(1, words // _words(SHORT))
        return ("\n" if shape == "short" else "\n\n").join(lines).encode(), "story.txt"
    pool = QUOTES + SENTENCES if shape == "quotes" else SENTENCES
    per_round = _words(pool)
    rounds = max(1, words // per_round)
    sentences = pool * rounds
    if shape == "paragraphs":
        chunks = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
        return "\n\n".join(chunks).encode(), "story.txt"
    if shape == "lines":
        lines = [part for s in sentences for part in _halves(s)]
        return "\n".join(lines).encode(), "story.txt"
    if shape == "single":
        return " ".join(sentences).encode(), "story.txt"
    if shape == "quotes":
        return "\n\n".join(sentences).encode(), "story.txt"
    body = "\n".join(f"<p>{s}</p>" for s in sentences)
    return f"<html><head><title>T</title></head><body>{body}</body></html>".encode(), "s.html"


def _halves(sentence: str) -> list[str]:
    words = sentence.split()
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])]


def child(shape: str, words: int, verb: str) -> dict[str, float]:
    """Run one measurement in this (fresh) process."""
    from ynsert import api
    from ynsert.rewrite import fill

    data, name = story(shape, words)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    if verb == "fill-core":  # the placeholder pass alone, on the text
        text = data.decode()
        start = time.perf_counter()
        fill(text, {"Y/N": "Mara"})
        seconds = time.perf_counter() - start
    else:
        start = time.perf_counter()
        work = api.open_work(data, filename=name)
        to = "second" if verb == "fill" else "third"
        api.personalise(work, {"name": "Mara", "to": to}).data  # noqa: B018 (written out)
        seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return {"seconds": seconds, "cpu": cpu, "peak_mb": usage.ru_maxrss / 1024, "words": words}


def measure(shape: str, words: int, verb: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", shape, str(words), verb]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000, 400_000])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=SHAPES)
    parser.add_argument("--verbs", nargs="+", default=["fill", "rewrite"])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        shape, words, verb = args.child
        print(json.dumps(child(shape, int(words), verb)))
        return
    print(
        f"{'verb':9} {'shape':11} {'words':>9} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} "
        f"{'ratio':>6}  (ratio: CPU time over the previous size; CPU, not wall, on a shared box)"
    )
    for verb in args.verbs:
        for shape in args.shapes:
            previous = None
            for words in args.sizes:
                result = measure(shape, words, verb)
                if "error" in result:
                    print(f"{verb:9} {shape:11} {words:>9} error: {result['error']}")
                    continue
                ratio = result["cpu"] / previous if previous else float("nan")
                rate = f"  {words / result['cpu']:,.0f} words/CPU s" if verb != "rewrite" else ""
                print(
                    f"{verb:9} {shape:11} {words:>9} {result['seconds']:8.2f} {result['cpu']:8.2f} "
                    f"{result['peak_mb']:8.0f} {ratio:6.2f}{rate}",
                    flush=True,
                )
                previous = result["cpu"]


if __name__ == "__main__":
    main()
