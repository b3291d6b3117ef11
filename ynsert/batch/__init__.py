"""Batch runs over archives: analyse, personalise or import thousands to millions of works.

The same verbs as the command ``ynsert batch analyse|personalise|import INPUT -o OUTPUT``
(a run starts a cluster, so this example is shown, not run; tests/batch runs it for real)::

    from ynsert import batch
    summary = batch.run("analyse", "archive.zip", "out/", workers=2)
    summary["works"], summary["failures"]        # (10000, {'format': 100})

Inputs (``sources``): a folder tree, a zip, JSONL or Parquet, streamed in fixed shards.
Outputs (``store``): one Parquet row per work (``works.parquet``, ``works.jsonl`` on request),
personalised files mirroring the input tree, a manifest of finished shards and a summary.
Engine (``cluster``, ``worker``, ``child``): Dask distributed, a ``LocalCluster`` by default or
an existing scheduler; one engine process with one spaCy pipeline per worker, loaded once.
Everything here goes through ``ynsert.api``. See docs/archives.md.
"""

from ynsert.batch.library import FolderImporter, Importer, LibraryMissing, library_importer
from ynsert.batch.runner import DEFAULT_SHARD_SIZE, run
from ynsert.batch.store import SCHEMA, VOLATILE

__all__ = [
    "DEFAULT_SHARD_SIZE",
    "SCHEMA",
    "VOLATILE",
    "FolderImporter",
    "Importer",
    "LibraryMissing",
    "library_importer",
    "run",
]
