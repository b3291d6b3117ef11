"""The errors ynsert raises for a user's mistake: each message is one line a user can act on.

Callers (the CLI, the web app, the batch runner) catch ``YnsertError`` and show its text; any
other exception is a bug in ynsert.

    >>> str(FormatError("not an EPUB:\\n  bad zip"))
    'not an EPUB: bad zip'
"""

from __future__ import annotations


class YnsertError(ValueError):
    """Base of every user-facing error; whitespace in the message is folded to one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


class InputError(YnsertError):
    """The input cannot be read (missing, too large, a directory, permission)."""


class FormatError(YnsertError):
    """The input is not a readable story file, or an output format is unknown."""


class ProfileError(YnsertError):
    """A reader profile is missing, malformed or names impossible settings."""


class UnknownPronouns(ProfileError):
    """The user asked for a pronoun set we cannot build."""


class UnknownCharacter(ProfileError):
    """The user asked to read as a character the story's chains do not have."""
