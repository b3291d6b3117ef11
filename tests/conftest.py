"""Shared test set-up.

Test data paths are defined once in ``tests/data/__init__.py`` (imported as ``data``): the
seed, golds, dev sentences and public-domain stories are bundled in the repository; the
trigger-passages data set is opt-in and read from ``../shared`` when present.
"""
