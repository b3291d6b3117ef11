"""Formats raise ``FormatError`` (defined once, in ``ynsert.errors``)."""

from ynsert.errors import FormatError

__all__ = ["FormatError"]
