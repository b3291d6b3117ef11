"""A bounded loopback load test of the reading room (a benchmark, not a test).

Starts ``ynsert serve`` on 127.0.0.1 with a temporary SQLite library, then:

1. one reader, then ``--readers`` concurrent readers (default 50), fetch the cached reading
   view back to back for ``--duration`` seconds (default 60) each (``--think`` seconds between
   pages if given); the ratio of their requests per second is printed;
2. ``--imports`` concurrent imports (default 5) of a ~100k-word EPUB built from the
   repository's own texts (the sample story and the test corpora), each a different work,
   while the same readers keep reading: the readers' latency *during* the imports and their
   analyses is what a reader feels.

Prints p50 / p95 / max latency, throughput, errors and the machine's load average for every
phase. ``--workers N`` starts ``ynsert serve --workers N`` (0: the command's own default, as
older versions had no such option). Traffic goes to 127.0.0.1 only; every loop is bounded in
time and count.

    .venv/bin/python benchmarks/web_load.py              # the full run (about 2–3 minutes)
    .venv/bin/python benchmarks/web_load.py --duration 10 --readers 10 --imports 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
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


def start_server(folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-c", "from ynsert.cli import main; main()", "serve"]
    command += ["--port", str(port), "--database", f"sqlite:///{folder / 'library.db'}"]
    if workers:
        command += ["--workers", str(workers)]
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (lives as long as the server)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
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


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min) {five:.2f} (5 min)"


def report(name: str, latencies: list[float], errors: int, seconds: float) -> float:
    """Print one phase's figures; returns its requests per second."""
    ms = [1000 * x for x in latencies]
    rate = len(ms) / seconds
    print(
        f"{name}: {len(ms)} requests in {seconds:.1f}s ({rate:.1f}/s); "
        f"p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"max {max(ms, default=float('nan')):.1f} ms; errors {errors}; {load()}",
        flush=True,
    )
    return rate


class Connection:
    """One reader's keep-alive HTTP/1.1 connection, spoken directly over asyncio streams.

    httpx's async pool costs the load generator more CPU per request than a cached page costs
    the server, and the generator shares the machine's two cores with it: a light client
    keeps the figures about the server.
    """

    def __init__(self, url: str, cookies: dict[str, str]) -> None:
        host_port = url.split("://", 1)[1]
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nCookie: {self.cookie}\r\n"
            "Accept: text/html\r\n\r\n".encode()
        )
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection") == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def readers(
    url: str,
    cookies: dict[str, str],
    path: str,
    count: int,
    duration: float,
    think: float,
    until: asyncio.Future[None] | None = None,
    name: str = "reading view",
) -> float:
    latencies: list[float] = []
    errors = 0
    seen: list[str] = []
    stop = time.monotonic() + duration

    async def reader() -> None:
        nonlocal errors
        connection = Connection(url, cookies)
        if think:  # readers arrive and turn pages at their own pace, not in lock-step
            await asyncio.sleep(random.uniform(0, think))
        while time.monotonic() < stop and not (until and until.done()):
            start = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(connection.get(path), 30)
                if status != 200 or b'id="story"' not in body:
                    errors += 1
                    seen.append(f"HTTP {status}: {body[:120]!r}")
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as error:
                connection.close()
                errors += 1
                seen.append(f"{type(error).__name__}: {error}")
            latencies.append(time.perf_counter() - start)
            if think:
                await asyncio.sleep(random.uniform(0.5, 1.5) * think)
        connection.close()

    began = time.monotonic()
    await asyncio.gather(*(reader() for _ in range(count)))
    for problem in sorted(set(seen))[:5]:
        print(f"  error: {problem}")
    return report(
        f"{name}, {count} readers, think {think}s",
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


async def imports(url: str, count: int, words: int, wait: bool, wait_for: float = 900) -> None:
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
            deadline = time.monotonic() + wait_for
            while time.monotonic() < deadline:
                if (await client.get(f"/api/works/{work['id']}")).json()["analysed"]:
                    ready.append(time.perf_counter() - start)
                    return
                await asyncio.sleep(1)
            print(f"  import {n}: not analysed after {wait_for:.0f} s")

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
                f"analysed (import + background analysis): "
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
        "--workers", type=int, default=0, help="ynsert serve --workers N (0: its default)"
    )
    parser.add_argument(
        "--during",
        type=float,
        default=120.0,
        help="seconds the readers keep reading while imports and analyses run (at most)",
    )
    parser.add_argument(
        "--analysis-wait", type=float, default=900.0, help="seconds to wait for the analyses"
    )
    parser.add_argument(
        "--no-wait-analysis",
        dest="wait_analysis",
        action="store_false",
        help="readers stop when the uploads are in, not when their analyses are",
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="ynsert-load-") as folder:
        process, url = start_server(Path(folder), args.workers)
        try:
            cookies, work, profile = sign_up(url)
            path = f"/read/{work}?profile={profile}&chapter=0"
            one = asyncio.run(readers(url, cookies, path, 1, args.duration, 0.0))
            many = asyncio.run(readers(url, cookies, path, args.readers, args.duration, args.think))
            print(f"requests/s, {args.readers} readers / 1 reader: {many / one:.2f}×")
            if args.imports:
                asyncio.run(during_imports(url, cookies, path, args))
        finally:
            process.terminate()
            process.wait(timeout=30)


async def during_imports(
    url: str, cookies: dict[str, str], path: str, args: argparse.Namespace
) -> None:
    """Readers keep reading while the imports (and their analyses) run."""
    work = asyncio.ensure_future(
        imports(url, args.imports, args.words, args.wait_analysis, args.analysis_wait)
    )
    name = "reading view during the imports" + (" and analyses" if args.wait_analysis else "")
    await readers(url, cookies, path, args.readers, args.during, args.think, work, name)
    await work


if __name__ == "__main__":
    main()
