"""Which works are rewritten as reader-inserts: the rule before issue 20 against ``judge``.

Counts only (no text is printed): on the AO3 dev works (``~/.cache/ynsert-dev/ao3/Fanfic_HTML``,
ids in ``../shared/eval/ao3-dev.tsv``), none tagged Reader/You/Y/N, how many each rule would
rewrite, with the page's tags and from the text alone; on the repository's reader-insert
stories (second and first person), how many are still rewritten.

    .venv/bin/python benchmarks/reader_address.py [--dev-list PATH] [--dev-dir PATH]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from ynsert import api
from ynsert.document import Document
from ynsert.document.address import count_address
from ynsert.errors import YnsertError
from ynsert.rewrite.person import judge
from ynsert.vocab.placeholders import READER_NAME_KEYS

REPO = Path(__file__).resolve().parents[1]
READER_INSERTS = [
    REPO / "tests" / "data" / "seed" / "seed.txt",
    *sorted(p for p in (REPO / "tests" / "rewrite" / "stories").glob("[0-9][0-9].txt")),
    # blind/21.txt is that set's listener passage (test_blind.py): not a reader-insert
    *sorted(
        p for p in (REPO / "tests" / "rewrite" / "blind").glob("[0-9][0-9].txt") if p.stem != "21"
    ),
    REPO / "tests" / "data" / "eval" / "pd" / "haunted-mind.second-person.txt",
]


def rewritten_before(document: Document) -> bool:
    """The rule before issue 20: more narrated "you" than "I" words, or an "I" narration marked
    by Y/N or a Reader tag in the text's own header."""
    address = count_address(document.story)
    if address.is_reader_insert:
        return True
    meta = document.metadata
    marked = any(ph.key in READER_NAME_KEYS for ph in document.placeholders) or any(
        "reader" in tag.lower() for tag in (*meta.relationships, *meta.tags)
    )
    return address.first_person > 0 and marked


def rewritten_now(document: Document) -> bool:
    judgement = judge(document)
    return judgement.reader_insert and any(b.person for b in judgement.blocks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev-list", default=str(REPO.parent.parent / "shared/eval/ao3-dev.tsv"))
    parser.add_argument("--dev-dir", default=str(Path.home() / ".cache/ynsert-dev/ao3/Fanfic_HTML"))
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    still: list[str] = []
    for line in Path(args.dev_list).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        try:
            work = api.open_work(Path(args.dev_dir) / line.split("\t")[1])
        except YnsertError:
            counts["unreadable"] += 1
            continue
        counts["works"] += 1
        tagged, text_only = work.document, Document(work.text)
        counts["before"] += rewritten_before(text_only)
        if rewritten_now(tagged):
            counts["now, with the page's tags"] += 1
            still.append(line.split("\t")[0])
        counts["now, text alone"] += rewritten_now(text_only)
        judged = judge(text_only)
        if not judged.reader_insert and count_address(text_only.story).second_person:
            reasons[_kind_of(judged.reason)] += 1
    print(f"AO3 dev works read: {counts['works']} (unreadable: {counts['unreadable']}); none is")
    print("tagged Reader, You or Y/N, so each one rewritten is a non-reader work rewritten:")
    for key in ("before", "now, with the page's tags", "now, text alone"):
        print(f"  rewritten {key}: {counts[key]}")
    print("  ids still rewritten with the page's tags:", " ".join(still))
    print("  left (text alone, works with a narrated 'you'), by reason:", dict(reasons))
    stories = [p for p in READER_INSERTS if p.is_file()]
    missed = [p for p in stories if not rewritten_now(Document(p.read_text(encoding="utf-8")))]
    print(f"repository reader-insert stories still rewritten: {len(stories) - len(missed)}")
    print(f"  of {len(stories)}; not: {[str(p.relative_to(REPO)) for p in missed]}")


def _kind_of(reason: str) -> str:
    for key in ("listener", "generic", "tags name characters", "told by 'I'"):
        if key in reason:
            return key
    return reason


if __name__ == "__main__":
    main()
