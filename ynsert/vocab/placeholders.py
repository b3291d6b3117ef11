"""Reader placeholders: the keys readers and writers agree on, and what each stands for.

Sources: the conventions of AO3/Tumblr/Wattpad reader-inserts (Y/N, L/N, H/C …), as listed in
the rewrite contract (shared/spec/rewrite.md, section 4).
"""

from __future__ import annotations

#: The placeholders readers and writers agree on, with what each stands for.
STANDARD: dict[str, str] = {
    "Y/N": "your name",
    "F/N": "first name",
    "L/N": "last name",
    "M/N": "middle name",
    "N/N": "nickname",
    "Y/L/N": "your last name",
    "Y/F/N": "your full name",
    "H/C": "hair colour",
    "H/L": "hair length",
    "E/C": "eye colour",
    "S/C": "skin colour",
    "F/C": "favourite colour",
    "F/F": "favourite food",
    "Y/A": "age",
    "Y/B/F": "best friend",
}
#: Keys that default to another key's value when the profile leaves them out.
ALIASES: dict[str, str] = {"F/N": "Y/N", "Y/F/N": "Y/N", "Y/L/N": "L/N"}

#: Slash abbreviations that are not placeholders unless the profile defines them.
NOT_PLACEHOLDERS = frozenset(
    [
        "A/N",
        "W/O",
        "W/E",
        "B/C",
        "N/A",
        "I/O",
        "A/C",
        "S/O",
        "Y/O",
        "C/O",
        "P/S",
        "B/W",
        "W/",
        "AND/OR",
    ]
)


#: Placeholders that stand for the reader's own name (the reader is a character named this).
READER_NAME_KEYS = frozenset({"Y/N", "F/N", "Y/F/N"})
