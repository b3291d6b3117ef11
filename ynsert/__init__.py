"""ynsert: the reader-insert engine.

>>> import ynsert
>>> ynsert.rewrite("You smile at him.", to="first").text
'I smile at him.'
>>> ynsert.fill("Y/N's coffee", {"Y/N": "Mara"}).text
"Mara's coffee"

The work-level verbs (a file or a ``Work`` in, plain data out) are in ``ynsert.api``. Names are
imported on first use, so ``import ynsert`` (and ``ynsert --version``) does not load spaCy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ynsert.analysis import analyse
    from ynsert.document import Document
    from ynsert.document.segment import Story
    from ynsert.edits import Edit, Rewrite
    from ynsert.rewrite import fill, rewrite

__all__ = ["Document", "Edit", "Rewrite", "Story", "analyse", "fill", "rewrite"]
__version__ = "0.1.0"

_HOMES = {
    "Document": "ynsert.document",
    "Edit": "ynsert.edits",
    "Rewrite": "ynsert.edits",
    "Story": "ynsert.document.segment",
    "analyse": "ynsert.analysis",
    "fill": "ynsert.rewrite",
    "rewrite": "ynsert.rewrite",
}


def __getattr__(name: str) -> object:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'ynsert' has no attribute {name!r}")
