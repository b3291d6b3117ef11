"""The two fuzzing budgets; ``YNSERT_FUZZ`` (or pytest's ``--fuzz-campaign``) picks one."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("YNSERT_FUZZ", "ci")
_SCALE = int(os.environ.get("YNSERT_FUZZ_SCALE", {"ci": 1, "campaign": 100}.get(PROFILE, 1)))
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def fuzz_settings(examples: int) -> settings:
    """``examples`` in CI, a hundred times more in a campaign; no deadline (spaCy, big docs)."""
    return settings(
        max_examples=examples * _SCALE,
        deadline=None,
        suppress_health_check=_QUIET,
        print_blob=True,
    )
