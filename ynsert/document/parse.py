"""The one parse of a story: every sentence parsed at most once, shared by rewrite and analyses.

Sentence boundaries come from the story model (``segment``), so a parsed sentence starts where
the segmentation says and ``base + token.idx`` is an offset into the original text. What spaCy
sees is the same-length masked text (``masking``). The rewrite asks only for the sentences that
mention the reader (entities off); an analysis asks for every sentence with entities, and gets
the already-parsed ones back with entities added, never parsed again. ``chapter_doc`` joins the
sentence parses of a chapter into one ``Doc`` for work that crosses sentences, with the
story model's dialogue/thought/emphasis spans in ``doc.spans`` and a narrative flag per token.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from ynsert.document import pipeline
from ynsert.document.masking import SentenceMasker
from ynsert.document.segment import Kind, Sentence, Story
from ynsert.placeholders import Placeholder

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

BATCH_SIZE = 256
#: No text longer than this goes to spaCy in one piece (its limit is 1,000,000 characters, and
#: its memory grows with the length): longer sentences are parsed in chunks cut at a line
#: break, else a sentence end, else a space, else anywhere, and the chunk docs joined.
MAX_PARSE_CHARS = 5_000
_CUTS = ("\n", ". ", "! ", "? ", "; ", ", ", " ")
#: Sentence docs are kept (for the next verb on the same work) up to this many tokens, each
#: doc counted with ``DOC_COST`` more for what a doc costs whatever its length (spaCy
#: allocates room for 20 tokens and padding). Past it, docs are handed out and not kept, so a
#: 5M-line work does not hold 5M docs (~3 KB each): a later verb parses such a work again.
KEEP_TOKENS = 600_000
DOC_COST = 10
#: ``doc.spans`` groups a chapter doc carries, one per story-model span kind.
SPAN_GROUPS: tuple[Kind, ...] = ("dialogue", "thought", "emphasis")


@dataclass
class ParsedSentence:
    """A story sentence with its doc; ``base`` turns doc offsets into story offsets."""

    sentence: Sentence
    doc: Doc
    narrative: list[bool]  # per token: does the narrator say it (not dialogue or thought)?
    index: int

    @property
    def base(self) -> int:
        return self.sentence.start

    @property
    def start(self) -> int:
        return self.sentence.start

    @property
    def end(self) -> int:
        return self.sentence.end

    @property
    def paragraph(self) -> int:
        return self.sentence.paragraph

    def span(self, token: Token) -> tuple[int, int]:
        return self.base + token.idx, self.base + token.idx + len(token)

    def narration(self) -> Iterator[Token]:
        return (t for t in self.doc if self.narrative[t.i])

    def dialogue(self) -> Iterator[Token]:
        return (t for t in self.doc if not self.narrative[t.i])

    @cached_property
    def has_narration(self) -> bool:
        return any(self.narrative[t.i] and t.is_alpha for t in self.doc)


class Parse:
    """Sentence docs of one story, parsed on first request and kept."""

    def __init__(
        self, story: Story, placeholders: Sequence[Placeholder], nlp: Language | None = None
    ) -> None:
        self.story = story
        self._nlp = nlp
        self._masker = SentenceMasker(story, placeholders)
        self._docs: dict[tuple[int, int], Doc] = {}
        self._with_entities: set[tuple[int, int]] = set()
        self._kept_cost = 0
        #: How many sentences went through the parser (a test proves nothing is parsed twice).
        self.sentences_parsed = 0

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = pipeline.load()
        return self._nlp

    def docs(self, sentences: Sequence[Sentence], *, entities: bool = False) -> list[Doc]:
        """The doc of each sentence, parsing (in batches) only those not parsed before."""
        keys = [(s.start, s.end) for s in sentences]
        missing = list(dict.fromkeys(k for k in keys if k not in self._docs))
        fresh: dict[tuple[int, int], Doc] = {}  # parsed now, past the budget: not kept
        if missing:
            wanted_keys = set(missing)
            wanted = [s for s in dict.fromkeys(sentences) if (s.start, s.end) in wanted_keys]
            texts = (self._masker(s) for s in wanted)
            # entities come after, and only where a name can be (``_add_entities``)
            disable = [*pipeline.ENTITY_COMPONENTS]
            for key, doc in zip(missing, self._pipe(texts, disable), strict=True):
                # the tok2vec output (384 bytes a token) is read by nothing after the parse
                # (the entity recogniser has its own): dropping it keeps a kept parse small
                doc.tensor = _no_tensor()
                if self._kept_cost < KEEP_TOKENS:
                    self._docs[key] = doc
                    self._kept_cost += len(doc) + DOC_COST
                else:
                    fresh[key] = doc
            self.sentences_parsed += len(missing)
        if entities:
            kept = [k for k in dict.fromkeys(keys) if k in self._docs]
            self._add_entities([k for k in kept if k not in self._with_entities])
            self._add_entities(list(fresh), fresh)
        return [self._docs[k] if k in self._docs else fresh[k] for k in keys]

    def _pipe(self, texts: Iterator[str], disable: list[str]) -> Iterator[Doc]:
        """``nlp.pipe`` over bounded pieces: one doc per text, long texts parsed in chunks."""
        from spacy.tokens import Doc

        counts: list[int] = []

        def chunks() -> Iterator[str]:
            for text in texts:
                pieces = bounded_pieces(text)
                counts.append(len(pieces))
                yield from pieces

        parsed = self.nlp.pipe(chunks(), batch_size=BATCH_SIZE, disable=disable)
        # every text has at least one piece ("" is one empty piece)
        for index, doc in enumerate(parsed):
            group = [doc, *(next(parsed) for _ in range(counts[index] - 1))]
            yield group[0] if len(group) == 1 else Doc.from_docs(group, ensure_whitespace=False)

    def _tokens(self, text: str) -> Doc:
        """Unparsed filler tokens for text between sentences, bounded like parsed text."""
        from spacy.tokens import Doc

        pieces = [self.nlp.make_doc(piece) for piece in bounded_pieces(text)]
        return pieces[0] if len(pieces) == 1 else Doc.from_docs(pieces, ensure_whitespace=False)

    def _add_entities(
        self, keys: list[tuple[int, int]], docs: dict[tuple[int, int], Doc] | None = None
    ) -> None:
        """Run only the entity recogniser over sentences parsed without it, and only where a
        name can be: a sentence with no capitalised word but a common one opening it ("She
        smiled at the dog.") has no entity the analyses read (they read PERSON, ORG, NORP),
        and the recogniser costs about as much as the parse. ``docs``: docs past the keep
        budget (the kept ones by default)."""
        held = self._docs if docs is None else docs
        named = [k for k in keys if may_name(held[k])]
        for name in pipeline.ENTITY_COMPONENTS:
            component: Any = self.nlp.get_pipe(name)  # a trainable pipe: it has .pipe
            done = component.pipe((held[k] for k in named), batch_size=BATCH_SIZE)
            for key, doc in zip(named, done, strict=True):
                held[key] = doc
        if docs is None:
            self._with_entities.update(keys)

    def parsed(
        self, sentences: Sequence[Sentence], *, entities: bool = False
    ) -> list[ParsedSentence]:
        """Parsed sentences with their narrative masks, numbered in the given order."""
        docs = self.docs(sentences, entities=entities)
        return [
            ParsedSentence(sentence, doc, narrative_mask(self.story, sentence, doc), i)
            for i, (sentence, doc) in enumerate(zip(sentences, docs, strict=True))
        ]

    def chapter_doc(self, start: int, end: int) -> Doc:
        """One ``Doc`` for the story text in ``[start, end)`` (a chapter), from the sentence
        parses: ``doc.text`` equals the masked text there, so ``start + token.idx`` is an
        offset into the story. Text between sentences becomes unparsed filler tokens.
        """
        from spacy.tokens import Doc, Token

        if not Token.has_extension("narrative"):
            Token.set_extension("narrative", default=False)
        sentences = [
            s
            for s in self.story.sentences()
            if start <= s.start and s.end <= end and s.end > s.start
        ]
        pieces: list[Doc] = []
        cursor = start
        for sentence, doc in zip(sentences, self.docs(sentences), strict=True):
            if sentence.start > cursor:
                pieces.append(self._tokens(self.story.text[cursor : sentence.start]))
            pieces.append(doc)
            cursor = sentence.end
        if cursor < end:
            pieces.append(self._tokens(self.story.text[cursor:end]))
        # the filler between sentences has no tensor: the chapter doc carries none
        chapter = (
            Doc.from_docs(pieces, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]
            if pieces
            else self.nlp.make_doc("")
        )
        for token in chapter:
            token._.narrative = self.story.is_narrative(
                start + token.idx, start + token.idx + len(token)
            )
        for group in SPAN_GROUPS:
            chapter.spans[group] = [
                span
                for s in self.story.spans(group)
                if start <= s.start
                and s.end <= end
                and (
                    span := chapter.char_span(
                        s.start - start, s.end - start, alignment_mode="expand"
                    )
                )
                is not None
            ]
        return chapter


def may_name(doc: Doc) -> bool:
    """Could ``doc`` hold a name? A capitalised word other than "I" and other than a common
    word opening the sentence (or a quotation)."""
    opening = True
    for token in doc:
        if not token.is_alpha:
            continue
        if token.text[:1].isupper() and token.text != "I" and not (opening and token.is_stop):
            return True
        opening = False
    return False


def bounded_pieces(text: str, limit: int = MAX_PARSE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters that join back to it.

    >>> [len(p) for p in bounded_pieces("a " * 6000)]
    [5000, 5000, 2000]
    """
    if len(text) <= limit:
        return [text]
    pieces = []
    start = 0
    while len(text) - start > limit:
        window_end = start + limit
        cut = next(
            (
                found + len(mark)
                for mark in _CUTS
                if (found := text.rfind(mark, start + limit // 2, window_end - len(mark) + 1)) >= 0
            ),
            window_end,
        )
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


@cache
def _no_tensor() -> Any:
    import numpy  # numpy comes with spaCy; imported here so start-up does not pay for it

    return numpy.zeros((0,), dtype="float32")


def narrative_mask(story: Story, sentence: Sentence, doc: Doc) -> list[bool]:
    base = sentence.start
    return [story.is_narrative(base + t.idx, base + t.idx + len(t)) for t in doc]
