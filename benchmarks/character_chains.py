"""Chain quality on LitBank: mention-level precision/recall per character, MUC and B³.

    .venv/bin/python benchmarks/character_chains.py            # the held-out split (20 docs)
    .venv/bin/python benchmarks/character_chains.py --train    # the 80 the constants came from
    .venv/bin/python benchmarks/character_chains.py --root tests/data/litbank

Each of ynsert's chains is mapped to the gold chain most of its name mentions belong to. A
system mention is right when it matches a gold mention of that chain (same span, or the
smallest gold mention containing it that ends where it ends: "Mr. Bennet" in "Mr. Bennet's").
"Certain" counts only the mentions the rewrite would change (narration, confidence ≥ CERTAIN);
"all" counts every chain mention, dialogue names included. Recall is over the gold chain's
third-person pronouns and names in narration (what the rewrite can change) and, separately,
over every gold mention (nominals, "I" and "you" in dialogue included).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.litbank import MIRROR, GoldMention, LitBankDoc, Source, split  # noqa: E402
from ynsert.analysis.cast import analyse_cast  # noqa: E402
from ynsert.analysis.characters import CERTAIN, Characters, character_chains  # noqa: E402
from ynsert.analysis.parsed import parse_story  # noqa: E402
from ynsert.document import Document  # noqa: E402
from ynsert.vocab.persons import THIRD_PERSON_GENDER  # noqa: E402

#: Where the benchmark keeps sentence parses between runs (tests parse afresh: None).
CACHE: Path | None = None


def chains_of(doc: LitBankDoc) -> tuple[Characters, Document]:
    """The chains of one document; its sentence parses are cached between runs (the rules are
    what changes while tuning, not the parse)."""
    from spacy.tokens import DocBin

    document = Document(doc.text)
    parse = document.parse
    sentences = list(document.story.sentences())
    cached = CACHE / f"{doc.name}.spacy" if CACHE else None
    if cached is not None and cached.exists():
        docs = list(DocBin().from_bytes(cached.read_bytes()).get_docs(parse.nlp.vocab))
        for sentence, sdoc in zip(sentences, docs, strict=True):
            parse._docs[(sentence.start, sentence.end)] = sdoc
            parse._with_entities.add((sentence.start, sentence.end))
    parsed = parse_story(document)
    if cached is not None and not cached.exists():
        cached.parent.mkdir(exist_ok=True)
        bin_ = DocBin(store_user_data=False)
        for sdoc in parse.docs(sentences, entities=True):
            bin_.add(sdoc)
        cached.write_bytes(bin_.to_bytes())
    return character_chains(parsed, analyse_cast(parsed)), document


def match(span: tuple[int, int], gold: list[GoldMention]) -> GoldMention | None:
    start, end = span
    exact = [g for g in gold if (g.start, g.end) == (start, end)]
    if exact:
        return exact[0]
    around = [g for g in gold if g.start <= start and g.end == end and g.type == "PER"]
    return min(around, key=lambda g: g.end - g.start) if around else None


@dataclass
class Tally:
    system: int = 0
    right: int = 0
    gold_rewritable: int = 0
    found_rewritable: int = 0
    gold_all: int = 0
    found_all: int = 0


def rewritable(g: GoldMention, document: Document) -> bool:
    lower = g.text.lower()
    narrated = document.story.is_narrative(g.start, g.end)
    return narrated and (lower in THIRD_PERSON_GENDER or g.kind == "PROP")


def evaluate(
    doc: LitBankDoc, certain_only: bool
) -> tuple[dict[str, Tally], list[list[tuple[int, int]]], list[list[tuple[int, int]]]]:
    characters, document = chains_of(doc)
    gold = list(doc.mentions)
    chains = doc.chains()
    per: dict[str, Tally] = {}
    response: list[list[tuple[int, int]]] = []
    used_gold: set[str] = set()
    for chain in characters.chains:
        mentions = chain.certain() if certain_only else list(chain.mentions)
        names = [m for m in chain.mentions if m.kind == "name"]
        votes = Counter(g.chain for m in names if (g := match((m.start, m.end), gold)))
        if not votes:
            continue
        gold_chain = votes.most_common(1)[0][0]
        used_gold.add(gold_chain)
        tally = per.setdefault(f"{doc.name}:{chain.name}", Tally())
        spans = []
        hit_ids = set()
        for m in mentions:
            g = match((m.start, m.end), gold)
            tally.system += 1
            spans.append((g.start, g.end) if g else (m.start, m.end))
            if g is not None and g.chain == gold_chain:
                tally.right += 1
                hit_ids.add((g.start, g.end))
        response.append(spans)
        members = chains[gold_chain]
        tally.gold_all += len(members)
        tally.found_all += sum((g.start, g.end) in hit_ids for g in members)
        rw = [g for g in members if rewritable(g, document)]
        tally.gold_rewritable += len(rw)
        tally.found_rewritable += sum((g.start, g.end) in hit_ids for g in rw)
    key = [
        [(g.start, g.end) for g in members]
        for cid, members in chains.items()
        if any(g.kind == "PROP" for g in members) and members[0].type == "PER"
    ]
    return per, key, response


def muc(
    key: list[list[tuple[int, int]]], response: list[list[tuple[int, int]]]
) -> tuple[float, float]:
    def score(a: list[list[tuple[int, int]]], b: list[list[tuple[int, int]]]) -> tuple[int, int]:
        where = {m: i for i, chain in enumerate(b) for m in chain}
        num = den = 0
        for chain in a:
            parts = {where.get(m, ("alone", m)) for m in chain}
            num += len(chain) - len(parts)
            den += len(chain) - 1
        return num, den

    rn, rd = score(key, response)
    pn, pd = score(response, key)
    return (pn / pd if pd else 0.0), (rn / rd if rd else 0.0)


def b_cubed(
    key: list[list[tuple[int, int]]], response: list[list[tuple[int, int]]]
) -> tuple[float, float]:
    def score(a: list[list[tuple[int, int]]], b: list[list[tuple[int, int]]]) -> tuple[float, int]:
        where = {m: set(chain) for chain in b for m in chain}
        total = 0.0
        count = 0
        for chain in a:
            members = set(chain)
            for m in chain:
                total += len(members & where.get(m, set())) / len(members)
                count += 1
        return total, count

    pt, pc = score(response, key)
    rt, rc = score(key, response)
    return (pt / pc if pc else 0.0), (rt / rc if rc else 0.0)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    documents: int
    rows: list[tuple[str, Tally]]
    precision: float
    recall_rewritable: float
    recall_all: float
    muc: tuple[float, float]
    b_cubed: tuple[float, float]


def score(source: Source, names: list[str], certain_only: bool = True) -> Scores:
    totals = Tally()
    keys: list[list[tuple[int, int, int]]] = []
    responses: list[list[tuple[int, int, int]]] = []
    rows = []
    for position, name in enumerate(names):
        per, key, response = evaluate(source.load(name), certain_only)
        # mentions carry their document's position, so documents never mix
        keys.extend([[(position, *m) for m in c] for c in key])
        responses.extend([[(position, *m) for m in c] for c in response])
        for label, t in per.items():
            rows.append((label, t))
            for attr in vars(totals):
                setattr(totals, attr, getattr(totals, attr) + getattr(t, attr))
    return Scores(
        len(names),
        rows,
        totals.right / totals.system if totals.system else 0.0,
        totals.found_rewritable / totals.gold_rewritable if totals.gold_rewritable else 0.0,
        totals.found_all / totals.gold_all if totals.gold_all else 0.0,
        muc(keys, responses),  # type: ignore[arg-type]
        b_cubed(keys, responses),  # type: ignore[arg-type]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=MIRROR)
    parser.add_argument("--train", action="store_true", help="score the training split")
    parser.add_argument("--all-mentions", action="store_true", help="not only the certain ones")
    parser.add_argument("--per-character", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = parser.parse_args()
    global CACHE
    CACHE = Path("/tmp/ynsert-litbank-parses")
    source = Source(args.root)
    names = source.names()
    train, test = split(names) if len(names) > 5 else (names, names)
    chosen = train if args.train else test
    if args.limit:
        chosen = chosen[: args.limit]
    result = score(source, chosen, not args.all_mentions)
    rows = result.rows
    (mp, mr), (bp, br) = result.muc, result.b_cubed
    p, r_rw, r_all = result.precision, result.recall_rewritable, result.recall_all
    if args.per_character:
        for label, t in sorted(rows, key=lambda r: -r[1].system):
            tp = t.right / t.system if t.system else 0.0
            tr = t.found_rewritable / t.gold_rewritable if t.gold_rewritable else 0.0
            print(f"{label[:60]:60} sys {t.system:4} P {tp:.3f}  R(rewritable) {tr:.3f}")
    macro = [t.right / t.system for _, t in rows if t.system]
    split_name = "train" if args.train else "held-out"
    which = "all chain mentions" if args.all_mentions else f"certain mentions (conf ≥ {CERTAIN})"
    print(f"LitBank {split_name}: {len(chosen)} documents, {len(rows)} characters; {which}")
    macro_p = sum(macro) / max(1, len(macro))
    print(f"mention precision (micro) {p:.3f}   macro over characters {macro_p:.3f}")
    print(f"mention recall: names + he/she words in narration {r_rw:.3f}; ", end="")
    print(f"every gold mention {r_all:.3f}")
    print(f"MUC  P {mp:.3f} R {mr:.3f} F1 {f1(mp, mr):.3f}")
    print(f"B3   P {bp:.3f} R {br:.3f} F1 {f1(bp, br):.3f}")


if __name__ == "__main__":
    main()
