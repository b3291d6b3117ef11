"""Control characters out of everything a user or a file gives the library.

A label with U+0001 or a file name with ESC is harmless in a page but fatal in XML (the OPDS
feeds, EPUB packages), and PostgreSQL refuses U+0000 in text. So the library drops them on
the way in (``clean_line`` for one-line fields, ``clean_text`` for prose), and whatever
writes XML drops them again on the way out (rows stored before this cleaning still exist).

>>> clean_line("Ma\\x01ra\\tK\\x1b[31m\\ud800")
'Mara K[31m'
>>> clean_text("one\\n\\ntwo\\x00\\x85")
'one\\n\\ntwo'
"""

from __future__ import annotations

import re
from typing import Any

#: C0 controls but tab and line breaks, DEL, C1 controls, lone surrogates, the two noncharacters
#: XML 1.0 forbids (U+FFFE, U+FFFF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\t\n\r]+")


def clean_text(value: str) -> str:
    """Prose without control characters (tabs and line breaks stay)."""
    return _CONTROL.sub("", value)


def clean_line(value: str) -> str:
    """A one-line field: no control characters, tabs and line breaks become one space."""
    return _BREAKS.sub(" ", _CONTROL.sub("", value))


def clean_data(value: Any) -> Any:
    """Every string inside JSON-like data cleaned (``clean_text``), keys as lines."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_line(str(k)): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    return value
