"""The one parse: sentence docs parsed once, a chapter as one Doc, offsets into the original."""

from __future__ import annotations

from ynsert.document import Document

TEXT = (
    'Title: Ashes\n\nYou wake up. "Stay," Kylo says. *Why did I come?* You stay.\n\n'
    "Y/N looks at him. He smiles."
)


def test_sentences_are_parsed_once_however_often_they_are_asked_for() -> None:
    document = Document(TEXT)
    sentences = list(document.story.sentences())
    document.parse.docs(sentences[:2])
    document.parse.docs(sentences)
    document.parse.docs(sentences, entities=True)
    assert document.parse.sentences_parsed == len(sentences)


def test_a_chapter_doc_has_the_original_offsets_spans_and_narrative_flags() -> None:
    document = Document(TEXT)
    start = document.story.header.end
    doc = document.parse.chapter_doc(start, len(TEXT))
    assert len(doc.text) == len(TEXT) - start
    for token in doc:
        if not token.is_space:
            assert TEXT[start + token.idx : start + token.idx + len(token)] == token.text.replace(
                "Ann", "Y/N"
            )
    assert [span.text for span in doc.spans["dialogue"]] == ['"Stay,"']
    assert [span.text.strip() for span in doc.spans["thought"]] == ["Why did I come?"]
    narrative = {token.text for token in doc if token._.narrative and token.is_alpha}
    assert {"wake", "Kylo", "says", "looks"} <= narrative
    assert "Stay" not in narrative


def test_sentence_starts_come_from_the_story_model() -> None:
    document = Document(TEXT)
    start = document.story.header.end
    doc = document.parse.chapter_doc(start, len(TEXT))
    starts = {s.start for s in document.story.sentences()}
    parsed_starts = {start + sent.start_char for sent in doc.sents if sent.text.strip()}
    assert starts <= parsed_starts
