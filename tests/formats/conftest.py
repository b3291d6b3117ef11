"""Shared helpers for the format tests: the external validators (epubcheck, calibre)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
# A client JIT and serial GC start the JVM about twice as fast for one short check.
JAVA = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(EPUBCHECK_JAR)]


@pytest.fixture(scope="session")
def epubcheck(tmp_path_factory):
    """``epubcheck({name: epub_bytes})`` → ``{name: (ok, report)}``, checked in parallel.

    Skips (visibly) where the Debian ``epubcheck`` jar or java is absent.
    """
    if not EPUBCHECK_JAR.exists() or shutil.which("java") is None:
        pytest.skip("epubcheck not installed (apt-get install epubcheck)")
    folder = tmp_path_factory.mktemp("epubcheck")

    def check(books: dict[str, bytes]) -> dict[str, tuple[bool, str]]:
        running = {}
        for name, data in books.items():
            path = folder / f"{name}.epub"
            path.write_bytes(data)
            running[name] = subprocess.Popen(
                [*JAVA, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
        reports = {}
        for name, process in running.items():
            output, _ = process.communicate(timeout=600)
            reports[name] = (process.returncode == 0, output)
        return reports

    return check


@pytest.fixture
def ebook_meta(tmp_path):
    """``ebook_meta(data)`` returns calibre's metadata report for an EPUB."""
    if shutil.which("ebook-meta") is None:
        pytest.skip("calibre's ebook-meta not installed (apt-get install calibre)")

    def run(data: bytes) -> str:
        path = tmp_path / "meta.epub"
        path.write_bytes(data)
        result = subprocess.run(
            ["ebook-meta", str(path)], capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run
