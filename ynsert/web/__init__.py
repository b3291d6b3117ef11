"""The reading room web app (``ynsert serve``): pages, JSON API and OPDS over the library.

>>> from ynsert.web import create_app
>>> create_app("sqlite://").title
'ynsert reading room'
"""

from ynsert.web.app import create_app

__all__ = ["create_app"]
