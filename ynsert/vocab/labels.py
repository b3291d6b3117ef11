"""Header and metadata labels: every ``Label:`` a story, an archive page or an e-book uses for
its metadata, lower-cased without the colon, mapped to the ``Metadata`` field it fills.

One table for the story model's header block, the text/Markdown/HTML/EPUB readers, AO3 pages
and the declared-metadata analysis. ``extra`` keeps a known label's value without a field
("Requested by: anon"). Sources: AO3 work pages (``dt`` labels), FanFicFare title pages,
Tumblr/Wattpad header blocks as fans write them.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # what the work is
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "by": "authors",
    "writer": "authors",
    "summary": "summary",
    "description": "summary",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "source": "source_url",
    "url": "source_url",
    "story url": "source_url",
    "link": "source_url",
    "published": "published",
    "updated": "updated",
    "words": "words",
    "word count": "words",
    "wordcount": "words",
    "chapter": "chapters_declared",
    "chapters": "chapters_declared",
    # AO3 tags
    "rating": "rating",
    "rated": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "tw": "warnings",
    "cw": "warnings",
    "trigger warning": "warnings",
    "trigger warnings": "warnings",
    "content warning": "warnings",
    "content warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "ship": "relationships",
    "ships": "relationships",
    "character": "characters",
    "characters": "characters",
    "tag": "tags",
    "tags": "tags",
    "additional tag": "tags",
    "additional tags": "tags",
    "freeform tags": "tags",
    "genre": "tags",
    # the author's words around the story
    "notes": "notes",
    "note": "notes",
    "author's note": "notes",
    "author's notes": "notes",
    "a/n": "notes",
    "an": "notes",
    # known labels kept as they are
    "requested by": "extra",
    "request": "extra",
    "prompt": "extra",
    "beta": "extra",
    "beta reader": "extra",
    "dedication": "extra",
    "status": "extra",
}

#: FanFicFare title pages call the fandom "Category" and freeform tags "Genre".
FANFICFARE_LABELS: dict[str, str] = {
    **LABELS,
    "category": "fandoms",
    "extra tags": "tags",
    "ao3 category": "categories",
}

#: AO3's "Creator Chose Not To Use Archive Warnings" means unknown, not none.
UNKNOWN_WARNINGS = frozenset(
    {"creator chose not to use archive warnings", "choose not to use archive warnings"}
)

#: The four AO3 archive warnings, in AO3's order.
ARCHIVE_WARNINGS = (
    "Major Character Death",
    "Graphic Depictions Of Violence",
    "Rape/Non-Con",
    "Underage",
)
