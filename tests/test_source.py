"""Decoding what users hand us, and refusing what is not a story, in one line."""

from __future__ import annotations

import codecs

import pytest

from ynsert.source import InputError, decode, write_atomic


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"You nod.", "You nod.", "utf-8"),
        (codecs.BOM_UTF8 + b"You nod.", "You nod.", "utf-8"),
        (
            "You nod — café.".encode("utf-16-le").join([codecs.BOM_UTF16_LE, b""]),
            "You nod — café.",
            "utf-16",
        ),
        (codecs.BOM_UTF16_BE + "You nod.".encode("utf-16-be"), "You nod.", "utf-16"),
        ("“You’re here,” he said.".encode("cp1252"), "“You’re here,” he said.", "cp1252"),
        (b"Line one.\r\nLine two.\r", "Line one.\r\nLine two.\r", "utf-8"),
    ],
)
def test_decodes_text(data: bytes, text: str, encoding: str) -> None:
    source = decode(data)
    assert (source.text, source.encoding) == (text, encoding)


def test_bom_is_remembered_for_writing_back() -> None:
    assert decode(codecs.BOM_UTF8 + b"x y").bom == codecs.BOM_UTF8


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"caf\x81\x8d", "not UTF-8"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa", "not utf-8"),
    ],
)
def test_refuses_with_one_line(data: bytes, fragment: str) -> None:
    with pytest.raises(InputError) as error:
        decode(data, "story.txt")
    message = str(error.value)
    assert fragment in message and "\n" not in message and message.startswith("story.txt")


def test_write_atomic_leaves_no_temporary_files(tmp_path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(str(target), b"one")
    write_atomic(str(target), b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
