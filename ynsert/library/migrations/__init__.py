"""Alembic migrations for the library (``ynsert.library.db.migrate`` runs them)."""
