"""The one exception every reader and writer raises for input it cannot handle."""

from __future__ import annotations


class FormatError(ValueError):
    """The input is not a readable story file; the message is one line a user can act on.

    Messages from parsers (lxml, zipfile) often span lines; the constructor folds all
    whitespace so the CLI can print ``error: <message>`` without reformatting.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))
