"""Alembic environment: run migrations on the connection ``ynsert.library.db`` hands over.

From the command line (development): ``alembic -c ynsert/library/migrations/alembic.ini
-x url=sqlite:///lib.db upgrade head``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from ynsert.library.models import Base


def run() -> None:
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=Base.metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database: alembic -x url=sqlite:///library.db upgrade head")
    with create_engine(url).connect() as own:
        context.configure(connection=own, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        own.commit()


# Only inside an Alembic run (importing this module elsewhere, e.g. for doctests, does nothing).
if hasattr(context, "config"):
    run()
