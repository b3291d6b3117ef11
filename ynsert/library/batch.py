"""``ynsert batch import``'s way into the library: one importer for one account.

The target is ``USERNAME`` (the default library database) or ``USERNAME@DATABASE_URL``
(``mara@sqlite:///library.db``, ``mara@postgresql://…``); the account must exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ynsert.library.models import Account
from ynsert.library.service import Invalid, Library, NotFound

Importer = Callable[[str, bytes, str | None, dict[str, Any]], None]


def batch_importer(target: str | None) -> Importer:
    """An importer that stores each work in ``target``'s account (duplicates are skipped)."""
    if not target:
        raise Invalid("batch import needs --library USERNAME or USERNAME@DATABASE_URL")
    username, _, url = target.partition("@")
    library = Library(url or None, seed=False)
    with library.sessions() as session:
        account_id = session.scalar(select(Account.id).where(Account.username == username))
    if account_id is None:
        library.close()
        raise NotFound(f"no account {username!r} in that library; create it in the reading room")

    def store(work_id: str, data: bytes, filename: str | None, metadata: dict[str, Any]) -> None:
        library.import_work(account_id, data, filename=filename or work_id)

    return store
