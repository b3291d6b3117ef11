"""Full-text search over title, summary, tags and text: FTS5 on SQLite, tsvector on PostgreSQL.

Both keep one row per work in ``work_search`` (created by the migration). A reader's query is
turned into plain words (AND), never passed through as query syntax, so ``"`` or ``NEAR(``
typed in the search box is a word to look for and not an error.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

#: WorkTag kinds a profile's "hide works with …" tag list looks at.
TAG_KINDS = ("tag", "trigger", "fandom", "relationship", "character", "category", "rating")
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(query: str) -> list[str]:
    return _WORD.findall(query)[:20]


def index(session: Session, work_id: int, title: str, summary: str, tags: str, body: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "INSERT INTO work_search (work_id, document) VALUES (:id,"
                " setweight(to_tsvector('english', :title), 'A') ||"
                " setweight(to_tsvector('english', :tags), 'B') ||"
                " setweight(to_tsvector('english', :summary), 'B') ||"
                " setweight(to_tsvector('english', left(:body, 900000)), 'D'))"
            ),
            {"id": work_id, "title": title, "tags": tags, "summary": summary, "body": body},
        )
    else:
        session.execute(
            text(
                "INSERT INTO work_search (rowid, title, summary, tags, body)"
                " VALUES (:id, :title, :summary, :tags, :body)"
            ),
            {"id": work_id, "title": title, "tags": tags, "summary": summary, "body": body},
        )


def unindex(session: Session, work_id: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("DELETE FROM work_search WHERE work_id = :id"), {"id": work_id})
    else:
        session.execute(text("DELETE FROM work_search WHERE rowid = :id"), {"id": work_id})


def matching(session: Session, query: str) -> list[int]:
    """The ids of works matching every word of ``query``."""
    words = _words(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT work_id FROM work_search WHERE document @@ plainto_tsquery('english', :q)"
        return list(session.scalars(text(sql), {"q": " ".join(words)}))
    match = " ".join('"' + w + '"' for w in words)
    sql = "SELECT rowid FROM work_search WHERE work_search MATCH :q"
    return list(session.scalars(text(sql), {"q": match}))
