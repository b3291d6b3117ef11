"""EPUB stylesheet members are sanitised like ``<style>`` (issue 20 item 10, issue 18 item 7).

A book's ``.css`` files used to be copied byte for byte: ``@import`` of a remote sheet,
``expression()``, ``url(javascript:…)``, ``behavior``, ``-moz-binding``, CSS escapes that spell
those, and remote fonts all reached the reader's device.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from ynsert import api
from ynsert.formats import write_work
from ynsert.formats.epub import new_epub
from ynsert.formats.sanitize import clean_css, css_is_safe

HOSTILE = {
    "import": '@import "https://evil.example/a.css";\n',
    "import-url": "@import url(//evil.example/b.css) screen;\n",
    "expression": "div { width: expression(alert(1)); }\n",
    "javascript": "a { background: url( 'javascript:alert(1)' ) }\n",
    "behavior": "p { behavior: url(evil.htc) }\n",
    "binding": "p { -moz-binding: url('evil.xml#x') }\n",
    "escaped-url": "p { background: u\\72 l(https://evil.example/t.png) }\n",
    "escaped-import": "@\\69mport 'https://evil.example/c.css';\n",
    "escaped-expression": "p { width: e\\78pression(alert(2)) }\n",
    "comment-split": "p { background: url/**/(https://evil.example/x) }\n",
    "remote-font": "@font-face { font-family: Remote; src: url(https://evil.example/f.woff2) }\n",
    "in-media": "@media screen { p { background: url(https://evil.example/m.png) } }\n",
}
SAFE = (
    '@charset "utf-8";\n'
    "p { text-indent: 1em; color: #333 }\n"
    "@font-face { font-family: Local; src: url(../Fonts/local.woff) }\n"
    "@media (min-width: 30em) { p { margin: 0 2em } }\n"
)
BAD_WORDS = ("evil", "javascript", "expression", "behavior", "binding", "@import", "\\")


def _book(css: str) -> bytes:
    meta = api.open_work(b"Title: Book\n\nYou wait.", filename="b.txt").metadata
    data = new_epub(meta, [("One", "<p>You wait, Y/N.</p>")], False)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith("style.css"):
                content = css.encode()
            target.writestr(info, content)
    return out.getvalue()


def _stylesheet(epub: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".css"))
        return archive.read(name).decode()


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_each_hostile_rule_is_dropped_and_the_rest_kept(case: str) -> None:
    css = SAFE + HOSTILE[case]
    assert not css_is_safe(css, local_urls=True)
    for personalised in (True, False):
        work = api.open_work(_book(css), filename="b.epub")
        data = (
            api.personalise(work, {"name": "Mara", "to": "second"}).data
            if personalised
            else write_work(work, "epub")
        )
        out = _stylesheet(data)
        assert css_is_safe(out, local_urls=True), out
        for word in BAD_WORDS:
            assert word not in out.lower(), (case, word, out)
        assert "text-indent: 1em" in out and "url(../Fonts/local.woff)" in out
        assert "@charset" not in out  # written as UTF-8, whatever the sheet declared
        assert "@media (min-width: 30em) { p { margin: 0 2em } }" in out


def test_a_safe_stylesheet_is_kept_byte_for_byte() -> None:
    work = api.open_work(_book(SAFE), filename="b.epub")
    assert _stylesheet(api.personalise(work, {"name": "Mara", "to": "second"}).data) == SAFE


def test_an_escaped_backslash_is_not_decoded_twice() -> None:
    # "\\5c " is a backslash character: a browser reads "\\75rl(" as a name, not url(.
    # Rebuilt sheets are decoded once, so the check after rebuilding sees url( and drops it.
    css = "p { background: \\5c 75rl(https://evil.example/x) } q { behavior: x; color: red }"
    assert clean_css(css) == "q { color: red }"


def test_an_import_of_a_sheet_in_the_book_stays() -> None:
    css = (
        "@import 'fonts.css' screen;\n@import url(https://evil.example/a.css);\n"
        "@import url(javascript:alert(1));\n@import 'x.css' screen and (e\\78pression(1));\n"
        "p { color: red }"
    )
    out = _stylesheet(api.personalise(api.open_work(_book(css), filename="b.epub"), {}).data)
    assert out == '@import url("fonts.css") screen;\np { color: red }'
