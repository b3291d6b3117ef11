"""Hypothesis profiles for the fuzzing harness: ``ci`` (bounded, the default) and ``campaign``.

    .venv/bin/python -m pytest -q tests/fuzz                       # ci: a minute or two
    YNSERT_FUZZ=campaign .venv/bin/python -m pytest -q tests/fuzz  # or --fuzz-campaign: hours

Profiles are applied per test (``fuzz_settings``), never loaded globally, so the rest of the
suite keeps hypothesis' defaults.
"""
