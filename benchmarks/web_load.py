"""A bounded loopback load test of the reading room (a benchmark, not a test).

Starts ``ynsert serve`` on 127.0.0.1 with a temporary SQLite library, then:

1. ``--readers`` concurrent readers (default 50) fetch the cached reading view for
   ``--duration`` seconds (default 60), each waiting ``--think`` seconds between pages;
2. ``--imports`` concurrent imports (default 5) of a ~100k-word EPUB built from the
   repository's own texts (the sample story and the test corpora), each a different work.

Prints p50 / p95 / max latency, throughput and errors for both phases. Traffic goes to
127.0.0.1 only; every loop is bounded in time and count.

    .venv/bin/python benchmarks/web_load.py              # the full run (about 2–3 minutes)
    .venv/bin/python benchmarks/web_load.py --duration 10 --readers 10 --imports 2
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "benchmark password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-c", "from ynsert.cli import main; main()", "serve"]
    command += ["--port", str(port), "--database", f"sqlite:///{folder / 'library.db'}"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/login", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("ynsert serve did not start")


def sign_up(url: str) -> tuple[dict[str, str], int, int]:
    """(session cookies, work id of the sample, profile id) for a new account."""
    with httpx.Client(base_url=url, timeout=300) as client:
        page = client.get("/register")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        client.post("/register", data={"username": "reader", "password": PASSWORD, "csrf": csrf})
        auth = ("reader", PASSWORD)
        profile = client.post(
            "/api/profiles",
            json={"label": "Mara", "name": "Mara", "pronouns": "she", "names": "first"},
            auth=auth,
        ).json()["id"]
        work = client.get("/api/works", auth=auth).json()[0]["id"]
        client.get(f"/works/{work}?profile={profile}")  # analysed
        client.get(f"/read/{work}?profile={profile}")  # personalised once: the cache
        return dict(client.cookies), work, profile


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(name: str, latencies: list[float], errors: int, seconds: float) -> None:
    ms = [1000 * x for x in latencies]
    print(
        f"{name}: {len(ms)} requests in {seconds:.1f}s ({len(ms) / seconds:.1f}/s); "
        f"p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"max {max(ms, default=float('nan')):.1f} ms; errors {errors}"
    )


async def readers(
    url: str, cookies: dict[str, str], path: str, count: int, duration: float, think: float
) -> None:
    latencies: list[float] = []
    errors = 0
    seen: list[str] = []
    stop = time.monotonic() + duration
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)

    async with httpx.AsyncClient(base_url=url, cookies=cookies, limits=limits, timeout=30) as c:

        async def reader() -> None:
            nonlocal errors
            if think:  # readers arrive and turn pages at their own pace, not in lock-step
                await asyncio.sleep(random.uniform(0, think))
            while time.monotonic() < stop:
                start = time.perf_counter()
                try:
                    response = await c.get(path)
                    if response.status_code != 200 or 'id="story"' not in response.text:
                        errors += 1
                        seen.append(f"HTTP {response.status_code}: {response.text[:120]!r}")
                except httpx.HTTPError as error:
                    errors += 1
                    seen.append(f"{type(error).__name__}: {error}")
                latencies.append(time.perf_counter() - start)
                if think:
                    await asyncio.sleep(random.uniform(0.5, 1.5) * think)

        began = time.monotonic()
        await asyncio.gather(*(reader() for _ in range(count)))
        report(
            f"reading view, {count} readers, think {think}s",
            latencies,
            errors,
            time.monotonic() - began,
        )


def corpus_text() -> str:
    """Story text from the repository (sample, test data), as plain paragraphs."""
    texts = [(REPO / "examples" / "seed.txt").read_text()]
    for path in sorted(REPO.glob("tests/**/*.txt")):
        try:
            texts.append(path.read_text())
        except UnicodeDecodeError:
            continue
    return "\n\n".join(t.strip() for t in texts if len(t.split()) > 50)


def big_epub(words: int, title: str) -> bytes:
    from ynsert.document.header import Metadata
    from ynsert.formats import Chapter, Work, write_work

    source = corpus_text().split()
    chapters = []
    taken = 0
    while taken < words:
        size = min(2500, words - taken)
        chunk = [source[(taken + i) % len(source)] for i in range(size)]
        paragraphs = [" ".join(chunk[i : i + 120]) for i in range(0, size, 120)]
        chapters.append(Chapter(f"Chapter {len(chapters) + 1}", "\n\n".join(paragraphs)))
        taken += size
    return write_work(Work(Metadata(title=title, authors=["Benchmark"]), chapters), "epub")


async def imports(url: str, count: int, words: int, wait: bool) -> None:
    books = [big_epub(words, f"Long work {n}") for n in range(count)]
    latencies: list[float] = []
    errors = 0
    ready: list[float] = []
    auth = httpx.BasicAuth("reader", PASSWORD)
    async with httpx.AsyncClient(base_url=url, auth=auth, timeout=300) as client:

        async def one(n: int) -> None:
            nonlocal errors
            start = time.perf_counter()
            response = await client.post("/api/works", files={"file": (f"long-{n}.epub", books[n])})
            latencies.append(time.perf_counter() - start)
            if response.status_code != 201:
                errors += 1
                print(f"  import {n}: {response.status_code} {response.text[:200]}")
                return
            work = response.json()["work"]
            print(
                f"  import {n}: {work['words']} words, {work['chapters']} chapters, "
                f"{latencies[-1]:.1f}s"
            )
            if not wait:
                return
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                if (await client.get(f"/api/works/{work['id']}")).json()["analysed"]:
                    ready.append(time.perf_counter() - start)
                    return
                await asyncio.sleep(1)

        began = time.monotonic()
        await asyncio.gather(*(one(n) for n in range(count)))
        report(
            f"import of a {words}-word EPUB, {count} at once",
            latencies,
            errors,
            time.monotonic() - began,
        )
        if ready:
            print(
                f"analysed (import + background analysis, one at a time): "
                f"first {min(ready):.1f}s, last {max(ready):.1f}s"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--imports", type=int, default=5)
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument(
        "--wait-analysis", action="store_true", help="also time the background analyses"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ynsert-load-") as folder:
        process, url = start_server(Path(folder))
        try:
            cookies, work, profile = sign_up(url)
            path = f"/read/{work}?profile={profile}&chapter=0"
            asyncio.run(readers(url, cookies, path, 1, min(5.0, args.duration), 0.0))
            asyncio.run(readers(url, cookies, path, args.readers, args.duration, args.think))
            if args.imports:
                asyncio.run(imports(url, args.imports, args.words, args.wait_analysis))
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
