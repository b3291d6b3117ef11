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

__all__ = ["Edit", "Rewrite", "Story", "fill", "rewrite"]
__version__ = "0.1.0"
