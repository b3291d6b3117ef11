"""Four realistic multi-paragraph reader-inserts with hand-made gold conversions.

Written for this project by a tester who had not seen the rules (tests/rewrite/stories/):
NN.txt is the story, NN.first.txt its first-person conversion (Y/N → Mara), NN.she.txt its
third-person conversion (Mara, she, naming policy "first"). Each must match byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ynsert

STORIES = Path(__file__).with_name("stories")
PROFILES = {
    "first": dict(to="first", values={"Y/N": "Mara"}),
    "she": dict(to="third", name="Mara", pronouns="she", names="first"),
}
KNOWN_MISSES = {
    ("02", "she"): "'…against his shoulder and breathe.': a sentence-final verb after an object "
    "is parsed as a second noun, so it is not agreed (breathes)",
}
CASES = [
    pytest.param(
        story,
        mode,
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[(story, mode)])]
        if (story, mode) in KNOWN_MISSES
        else [],
        id=f"{story}-{mode}",
    )
    for story in ("01", "02", "03", "04")
    for mode in PROFILES
]


@pytest.mark.parametrize(("story", "mode"), CASES)
def test_story_matches_its_gold(story: str, mode: str) -> None:
    source = (STORIES / f"{story}.txt").read_bytes().decode("utf-8")
    gold = (STORIES / f"{story}.{mode}.txt").read_bytes().decode("utf-8")
    assert ynsert.rewrite(source, **PROFILES[mode]).text == gold
