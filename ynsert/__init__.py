"""ynsert: the reader-insert engine.

>>> import ynsert
>>> ynsert.rewrite("You smile at him.", to="first").text
'I smile at him.'
>>> ynsert.fill("Y/N's coffee", {"Y/N": "Mara"}).text
"Mara's coffee"
"""

from ynsert.edits import Edit, Rewrite
from ynsert.rewrite import fill, rewrite
from ynsert.story import Story

__all__ = ["Edit", "Rewrite", "Story", "analyse", "fill", "rewrite"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """``ynsert.analyse`` is imported on first use: it loads the warnings model."""
    if name == "analyse":
        from ynsert.analysis import analyse

        return analyse
    raise AttributeError(f"module 'ynsert' has no attribute {name!r}")
