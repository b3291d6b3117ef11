"""Story text to safe HTML for the reading view, each change marked from the edit list.

The engine's story text is plain text (``*…*`` marks italics); it is escaped here and the
result is cleaned once more by nh3 with a tiny allow-list, so no markup from a story can ever
run in the page, whatever an uploaded file contained.

>>> html = chapter_html([["You <b>ran</b>\\n\\nand "], ["she", "YN-R-PRON", "subject", "you"]])
>>> html.split("</p>")[0]
'<p>You &lt;b&gt;ran&lt;/b&gt;'
>>> html.split("</p>")[1]
'<p>and <mark class="edit" title="subject: you → she" data-code="YN-R-PRON">she</mark>'
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import nh3

_ALLOWED_TAGS = {"p", "em", "mark", "br"}
_ALLOWED_ATTRIBUTES = {"mark": {"class", "title", "data-code"}}
_ITALIC = re.compile(r"\*([^*\n<>]{1,2000}?)\*")


def chapter_html(pieces: list[list[Any]]) -> str:
    """Pieces (plain ``[text]`` or ``[new, code, reason, old]``) as paragraphs of HTML."""
    parts: list[str] = []
    for piece in pieces:
        if len(piece) == 1:
            parts.append(escape(str(piece[0]), quote=False))
        else:
            new, code, reason, old = (str(p) for p in piece[:4])
            title = escape(f"{reason}: {old} → {new}")
            parts.append(
                f'<mark class="edit" title="{title}" data-code="{escape(code)}">'
                f"{escape(new, quote=False)}</mark>"
            )
    body = "".join(parts).strip("\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    html = "".join(f"<p>{_paragraph(p)}</p>" for p in paragraphs)
    return clean(html)


def _paragraph(text: str) -> str:
    return _ITALIC.sub(r"<em>\1</em>", text).replace("\n", "<br>")


def clean(html: str) -> str:
    """The last line of defence: only paragraphs, emphasis and change marks survive."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )
