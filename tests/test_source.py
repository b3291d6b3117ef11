"""Writing output: atomically, never a half-written or stray file."""

from __future__ import annotations

from ynsert.source import write_atomic


def test_write_atomic_leaves_no_temporary_files(tmp_path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(str(target), b"one")
    write_atomic(str(target), b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
