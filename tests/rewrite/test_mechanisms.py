"""Each mechanism of the real-works round with its own positive and negative sentences.

Every row: source, third person "she" (names "none"), first person. None of these sentences
comes from the blind passages; a negative row is the same construction without the cue.
"""

from __future__ import annotations

import pytest

import ynsert
from ynsert import api
from ynsert.document import Document
from ynsert.rewrite.person import story_person

CASES: dict[str, list[tuple[str, str, str]]] = {
    "floating quantifier": [
        (
            "You were both pretending it was nothing.",
            "They were both pretending it was nothing.",
            "We were both pretending it was nothing.",
        ),
        ("You each sip your tea.", "They each sip their tea.", "We each sip our tea."),
        ("You lifted both hands.", "She lifted both hands.", "I lifted both hands."),
        (
            "You kiss each of his knuckles.",
            "She kisses each of his knuckles.",
            "I kiss each of his knuckles.",
        ),
    ],
    "reciprocal in the reader's clause": [
        (
            "You gazed into each other's eyes.",
            "They gazed into each other's eyes.",
            "We gazed into each other's eyes.",
        ),
        (
            "Sam and Dean gave each other a look, and you laughed.",
            "Sam and Dean gave each other a look, and she laughed.",
            "Sam and Dean gave each other a look, and I laughed.",
        ),
    ],
    "collective adverb without an object": [
        (
            "You bolted down the corridor together.",
            "They bolted down the corridor together.",
            "We bolted down the corridor together.",
        ),
        (
            "You rubbed your hands together.",
            "She rubbed her hands together.",
            "I rubbed my hands together.",
        ),
        (
            "You walked together with him.",
            "She walked together with him.",
            "I walked together with him.",
        ),
    ],
    "collective predicate": [
        ("You were inseparable.", "They were inseparable.", "We were inseparable."),
        ("You were inconsolable.", "She was inconsolable.", "I was inconsolable."),
    ],
    "preposition that needs two": [
        (
            "The silence between you felt new.",
            "The silence between them felt new.",
            "The silence between us felt new.",
        ),
        ("He sat beside you.", "He sat beside her.", "He sat beside me."),
    ],
    "one-per-person possession": [
        (
            "Your foreheads pressed together.",
            "Their foreheads pressed together.",
            "Our foreheads pressed together.",
        ),
        ("Your hands shook.", "Her hands shook.", "My hands shook."),
    ],
    "reciprocal verb of a possession or a bare plural object": [
        ("Your shoulders touched.", "Their shoulders touched.", "Our shoulders touched."),
        ("Your shoulders touched his.", "Her shoulders touched his.", "My shoulders touched his."),
        (
            "You bump shoulders and keep walking.",
            "They bump shoulders and keep walking.",
            "We bump shoulders and keep walking.",
        ),
        (
            "You bump his shoulder and keep walking.",
            "She bumps his shoulder and keeps walking.",
            "I bump his shoulder and keep walking.",
        ),
    ],
    "plural carried into a subordinate clause, not past another person": [
        (
            "The two of you end up at the river while the city hums around you.",
            "The two of them end up at the river while the city hums around them.",
            "The two of us end up at the river while the city hums around us.",
        ),
        (
            "The two of you had a routine: he'd harden, you'd hit.",
            "The two of them had a routine: he'd harden, she'd hit.",
            "The two of us had a routine: he'd harden, I'd hit.",
        ),
        (
            "You're all crammed so close together that you can feel his heartbeat.",
            "They're all crammed so close together that she can feel his heartbeat.",
            "We're all crammed so close together that I can feel his heartbeat.",
        ),
    ],
    "plural companion of the subject": [
        (
            "You stayed like that, the two of you, until dawn.",
            "They stayed like that, the two of them, until dawn.",
            "We stayed like that, the two of us, until dawn.",
        ),
        (
            "You stayed like that until dawn.",
            "She stayed like that until dawn.",
            "I stayed like that until dawn.",
        ),
    ],
    "floating all only beside a collective word": [
        ("You were all alone.", "She was all alone.", "I was all alone."),
    ],
    "tense from the verb form and its neighbours": [
        (
            "You bit your lip and bent forward.",
            "She bit her lip and bent forward.",
            "I bit my lip and bent forward.",
        ),
        (
            "You bite your lip and bend forward.",
            "She bites her lip and bends forward.",
            "I bite my lip and bend forward.",
        ),
        (
            "You put the cup down and smiled.",
            "She put the cup down and smiled.",
            "I put the cup down and smiled.",
        ),
        (
            "You put the cup down and smile.",
            "She puts the cup down and smiles.",
            "I put the cup down and smile.",
        ),
    ],
    "no agreement after a modal": [
        ("You'd better say no.", "She'd better say no.", "I'd better say no."),
        ("You say no.", "She says no.", "I say no."),
    ],
    "mandative subjunctive": [
        ("He insisted that you stay.", "He insisted that she stay.", "He insisted that I stay."),
        (
            "He knew that you stay late.",
            "He knew that she stays late.",
            "He knew that I stay late.",
        ),
    ],
    "counterfactual were": [
        (
            "He looked at you as if you were mad.",
            "He looked at her as if she were mad.",
            "He looked at me as if I were mad.",
        ),
        ("Maybe you were mad.", "Maybe she was mad.", "Maybe I was mad."),
    ],
    "comma parenthesis after the subject": [
        (
            "Dean paced, and you, too wired to sit, were sharpening a knife.",
            "Dean paced, and she, too wired to sit, was sharpening a knife.",
            "Dean paced, and I, too wired to sit, was sharpening a knife.",
        ),
        (
            "He handed it to you, smiling, and left.",
            "He handed it to her, smiling, and left.",
            "He handed it to me, smiling, and left.",
        ),
    ],
    "relative clause of the reader": [
        (
            "And you, who have lived here forever, go still.",
            "And she, who has lived here forever, goes still.",
            "And I, who have lived here forever, go still.",
        ),
    ],
    "reported italics stay, emphasis is rewritten": [
        (
            "<em>You'll stay</em>, you repeat.",
            "<em>You'll stay</em>, she repeats.",
            "<em>You'll stay</em>, I repeat.",
        ),
        ("<em>You</em> did it.", "<em>She</em> did it.", "<em>I</em> did it."),
    ],
    "a present verb after a bare-infinitive complement": [
        (
            "You watch him pop the collar up and have to bite your cheek.",
            "She watches him pop the collar up and has to bite her cheek.",
            "I watch him pop the collar up and have to bite my cheek.",
        ),
        (
            "You watch him pop the collar up and grin.",
            "She watches him pop the collar up and grin.",
            "I watch him pop the collar up and grin.",
        ),
    ],
    "case after a participle or a preposition": [
        (
            "The figure hunting you stopped.",
            "The figure hunting her stopped.",
            "The figure hunting me stopped.",
        ),
        (
            "With you beside him, he slept.",
            "With her beside him, he slept.",
            "With me beside him, he slept.",
        ),
        ("He left because you asked.", "He left because she asked.", "He left because I asked."),
    ],
    "case before a hyphenated verb": [
        (
            "He turned when you half-woke and reached for him.",
            "He turned when she half-woke and reached for him.",
            "He turned when I half-woke and reached for him.",
        ),
    ],
    "mandative clause without that": [
        (
            "He recommended you keep the ring.",
            "He recommended she keep the ring.",
            "He recommended I keep the ring.",
        ),
        (
            "He helped you keep the ring.",
            "He helped her keep the ring.",
            "He helped me keep the ring.",
        ),
    ],
}

ROWS = [(kind, *row) for kind, rows in CASES.items() for row in rows]


@pytest.mark.parametrize(("kind", "source", "she", "first"), ROWS, ids=[r[1][:40] for r in ROWS])
def test_mechanism(kind: str, source: str, she: str, first: str) -> None:
    assert ynsert.rewrite(source, to="third", pronouns="she", names="none").text == she, kind
    assert ynsert.rewrite(source, to="first").text == first, kind


# --- typography ------------------------------------------------------------------------------


def test_inserted_possessive_follows_a_curly_story() -> None:
    source = "Your phone buzzes. Kylo’s text says he’s outside."
    result = ynsert.rewrite(source, to="third", name="Mara", names="first")
    assert result.text == "Mara’s phone buzzes. Kylo’s text says he’s outside."


def test_inserted_possessive_follows_a_straight_story() -> None:
    source = "Your phone buzzes. Kylo's text says he's outside."
    result = ynsert.rewrite(source, to="third", name="Mara", names="first")
    assert result.text == "Mara's phone buzzes. Kylo's text says he's outside."


# --- dialogue protection when quotes do not pair ------------------------------------------------


def test_missing_closing_quote_ends_speech_at_its_tag() -> None:
    source = '"It\'s fine, he admitted, handing it back to you. "Who taught you that?"'
    result = ynsert.rewrite(source, to="third", pronouns="she", names="none")
    assert result.text == '"It\'s fine, he admitted, handing it back to her. "Who taught you that?"'


def test_balanced_quotes_keep_a_tag_inside_speech() -> None:
    source = '"Say it, he said, say it," you whisper.'
    result = ynsert.rewrite(source, to="third", pronouns="she", names="none")
    assert result.text == '"Say it, he said, say it," she whispers.'


# --- stories told in first person -------------------------------------------------------------


def test_narrator_i_is_the_reader_only_in_a_marked_reader_insert() -> None:
    assert story_person(Document('"Y/N!" he called. I turned around.'), "auto") == "first"
    header = "Pairing: Levi x Reader\n\nI turned around. You would have, too."
    assert story_person(Document(header), "auto") == "first"
    assert story_person(Document("I turned around. You would have, too."), "auto") is None
    assert story_person(Document("You turn around."), "auto") == "second"
    assert story_person(Document("I turned around."), "first") == "first"


def test_i_is_capitalised_only_where_a_sentence_starts() -> None:
    source = '"Y/N," he said. I nodded, and then I left. "Bye," I said.'
    result = ynsert.rewrite(source, to="third", pronouns="she", names="none", source="first")
    assert result.text == '"Y/N," he said. She nodded, and then she left. "Bye," she said.'


def test_first_person_be_and_contractions() -> None:
    source = "I'm tired. I am not an idiot. I was late, and I've had worse. I think I'll go."
    third = ynsert.rewrite(source, to="third", pronouns="she", names="none", source="first")
    second = ynsert.rewrite(source, to="second", source="first")
    assert third.text == (
        "She's tired. She is not an idiot. She was late, and she's had worse. She thinks she'll go."
    )
    assert second.text == (
        "You're tired. You are not an idiot. You were late, and you've had worse. "
        "You think you'll go."
    )


def test_first_person_plural_and_partners() -> None:
    source = (
        "Dean and I were tired. We'd driven all night, the three of us, and between Dean and "
        "me sat Sam."
    )
    third = ynsert.rewrite(source, to="third", pronouns="she", names="none", source="first")
    assert third.text == (
        "Dean and she were tired. They'd driven all night, the three of them, and between Dean "
        "and her sat Sam."
    )


def test_listener_story_told_by_i_is_left_alone() -> None:
    source = "You will say I am mad. I am not. Listen, and you will hear it: I envy you."
    result = api.personalise(source.encode(), {"to": "third", "name": "Mara"})
    assert result.text == source
    assert not result.edits
    assert any("listener" in note for note in result.notes)


def test_source_and_second_person_pass_through_profile_api_and_cli(tmp_path) -> None:
    from typer.testing import CliRunner

    from ynsert.cli import app

    source = 'Pairing: Gojo x Reader\n\n"Y/N!" he called. I turned around.'
    reader = api.ReaderProfile.from_mapping({"to": "second", "name": "Mara", "source": "first"})
    assert api.personalise(source.encode(), reader).text.endswith(
        '"Mara!" he called. You turned around.'
    )
    assert api.personalise(source.encode(), {"to": "second", "source": "second"}).text == source
    path = tmp_path / "story.txt"
    path.write_text(source, encoding="utf-8")
    out = CliRunner().invoke(
        app,
        [
            "rewrite",
            str(path),
            "--from",
            "first",
            "--to",
            "third",
            "--name",
            "Mara",
            "--names",
            "none",
        ],
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.endswith('"Mara!" he called. She turned around.')
