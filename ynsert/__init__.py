"""ynsert: the reader-insert engine.

>>> import ynsert
>>> ynsert.rewrite("You smile at him.", to="first").text
'I smile at him.'
>>> ynsert.fill("Y/N's coffee", {"Y/N": "Mara"}).text
"Mara's coffee"

The work-level verbs (a file or a ``Work`` in, plain data out) are in ``ynsert.api``.
``import ynsert`` (and ``ynsert --version``) does not load spaCy: it loads on the first parse.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import version
from typing import TYPE_CHECKING

from ynsert.document import Document
from ynsert.document.segment import Story
from ynsert.edits import Edit, Rewrite
from ynsert.rewrite import fill, rewrite  # no spaCy here: it loads on the first parse

if TYPE_CHECKING:
    from ynsert.analysis import analyse

__all__ = ["Document", "Edit", "Rewrite", "Story", "analyse", "fill", "rewrite"]
__version__ = version("ynsert")  # one definition: pyproject.toml, read from the install

_HOMES = {"analyse": "ynsert.analysis"}  # loads the warnings model: imported on first use


def __getattr__(name: str) -> object:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'ynsert' has no attribute {name!r}")
