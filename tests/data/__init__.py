"""Where the test and benchmark data live: one definition, imported by tests and benchmarks.

Bundled (redistributable, in the repository under ``tests/data/``; see ``tests/data/README.md``):
the seed story and its three gold conversions, the dev sentences with their README, and the
public-domain stories.

Opt-in (not redistributable): the trigger-passages data set (third-party AO3 excerpts) is read
from ``../shared/data/trigger-passages`` beside the clone when it is there; tests that need it
call :func:`require_trigger_passages`, which skips them with a visible reason otherwise.

Nothing here reads a file at import time, so collection works in a bare clone.

>>> SEED.name, SEED.is_file()
('seed.txt', True)
>>> sorted(GOLDS)
['first', 'third-she', 'third-they']
>>> [p.name for p in PUBLIC_DOMAIN][:1]
['david-swan.third-person.txt']
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent
REPO = DATA.parents[1]

SEED_DIR = DATA / "seed"
SEED = SEED_DIR / "seed.txt"
GOLDS = {
    "first": SEED_DIR / "seed.first.txt",
    "third-she": SEED_DIR / "seed.third-she.txt",
    "third-they": SEED_DIR / "seed.third-they.txt",
}

EVAL = DATA / "eval"
DEV_SENTENCES = EVAL / "sentences.dev.tsv"
#: 90 invented cases of issue 17's kinds with messy typography, written blind (cases.blind.md).
BLIND_CASES = EVAL / "cases.blind.tsv"
PD_DIR = EVAL / "pd"
PUBLIC_DOMAIN = sorted(PD_DIR.glob("*.txt"))
HAUNTED_MIND = PD_DIR / "haunted-mind.second-person.txt"  # the one second-person story

# Opt-in: third-party AO3 excerpts may not be redistributed, so they stay outside the repo.
TRIGGER_PASSAGES_HINT = "../shared/data/trigger-passages"
TRIGGER_PASSAGES = REPO.parent / "shared" / "data" / "trigger-passages"


def require_trigger_passages(*files: str) -> Path:
    """The trigger-passages folder, or skip the calling test with the reason it is missing.

    Call it inside a test or fixture (never at import time): ``pytest.skip`` needs a test.
    """
    import pytest  # only tests call this; benchmarks import the paths without pytest

    missing = [name for name in files if not (TRIGGER_PASSAGES / name).is_file()]
    if not TRIGGER_PASSAGES.is_dir() or missing:
        pytest.skip(
            f"trigger-passages not present beside the clone ({TRIGGER_PASSAGES_HINT}); opt-in"
        )
    return TRIGGER_PASSAGES


#: Third-person public-domain passages with gold "character becomes the reader" rewrites
#: (written blind by a helper who had not seen the code; see character/README.md).
CHARACTER_GOLDS = DATA / "character"
#: Two LitBank documents (CC BY 4.0, see litbank/ATTRIBUTION.md) for the chain-quality test.
LITBANK = DATA / "litbank"
