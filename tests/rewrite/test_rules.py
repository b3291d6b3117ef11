"""Each rewrite rule with its own example sentences (none taken from the dev set).

Every row: source, first person, third person "she", third person "they" (names "none").
"""

from __future__ import annotations

import pytest

import ynsert

CASES: dict[str, list[tuple[str, str, str, str]]] = {
    "subject vs object after let/make/hear/help": [
        (
            "She lets you borrow her jacket, and you thank her quietly.",
            "She lets me borrow her jacket, and I thank her quietly.",
            "She lets her borrow her jacket, and she thanks her quietly.",
            "She lets them borrow her jacket, and they thank her quietly.",
        ),
        (
            "Loki heard you come in and smiled.",
            "Loki heard me come in and smiled.",
            "Loki heard her come in and smiled.",
            "Loki heard them come in and smiled.",
        ),
        (
            "He wants you to stay.",
            "He wants me to stay.",
            "He wants her to stay.",
            "He wants them to stay.",
        ),
    ],
    "present-tense agreement and spelling": [
        (
            "You fly to Paris tomorrow.",
            "I fly to Paris tomorrow.",
            "She flies to Paris tomorrow.",
            "They fly to Paris tomorrow.",
        ),
        (
            "You wash your face and fix your hair.",
            "I wash my face and fix my hair.",
            "She washes her face and fixes her hair.",
            "They wash their face and fix their hair.",
        ),
        (
            "You relax.",
            "I relax.",
            "She relaxes.",
            "They relax.",
        ),
        ("You seem tired.", "I seem tired.", "She seems tired.", "They seem tired."),
    ],
    "coordinated verbs in any linking": [
        (
            "You hurry down the stairs, grab your coat and run outside.",
            "I hurry down the stairs, grab my coat and run outside.",
            "She hurries down the stairs, grabs her coat and runs outside.",
            "They hurry down the stairs, grab their coat and run outside.",
        ),
        (
            "You push the door open and step inside.",
            "I push the door open and step inside.",
            "She pushes the door open and steps inside.",
            "They push the door open and step inside.",
        ),
        (
            "You stand up, stretch, and walk to the window where Loki waits.",
            "I stand up, stretch, and walk to the window where Loki waits.",
            "She stands up, stretches, and walks to the window where Loki waits.",
            "They stand up, stretch, and walk to the window where Loki waits.",
        ),
        (
            "You watch as he turns and leaves.",
            "I watch as he turns and leaves.",
            "She watches as he turns and leaves.",
            "They watch as he turns and leaves.",
        ),
    ],
    "one auxiliary for two verbs": [
        (
            "You don't eat or sleep for days.",
            "I don't eat or sleep for days.",
            "She doesn't eat or sleep for days.",
            "They don't eat or sleep for days.",
        ),
        (
            "You can't help but smile.",
            "I can't help but smile.",
            "She can't help but smile.",
            "They can't help but smile.",
        ),
        (
            "You want to run and hide.",
            "I want to run and hide.",
            "She wants to run and hide.",
            "They want to run and hide.",
        ),
    ],
    "questions, do-support, tags": [
        (
            "Why do you always do this to yourself?",
            "Why do I always do this to myself?",
            "Why does she always do this to herself?",
            "Why do they always do this to themselves?",
        ),
        (
            "Does he even know you exist?",
            "Does he even know I exist?",
            "Does he even know she exists?",
            "Does he even know they exist?",
        ),
        (
            "You've been crying, haven't you?",
            "I've been crying, haven't I?",
            "She's been crying, hasn't she?",
            "They've been crying, haven't they?",
        ),
        (
            "Aren't you supposed to be asleep?",
            "Aren't I supposed to be asleep?",
            "Isn't she supposed to be asleep?",
            "Aren't they supposed to be asleep?",
        ),
    ],
    "contractions": [
        (
            "You're late, and you've missed the bus.",
            "I'm late, and I've missed the bus.",
            "She's late, and she's missed the bus.",
            "They're late, and they've missed the bus.",
        ),
        (
            "You'd better hurry. You’ll be fine.",
            "I'd better hurry. I’ll be fine.",
            "She'd better hurry. She’ll be fine.",
            "They'd better hurry. They’ll be fine.",
        ),
    ],
    "coordinated subjects and plural you": [
        (
            "You and Natasha were laughing so hard you couldn't breathe.",
            "Natasha and I were laughing so hard I couldn't breathe.",
            "She and Natasha were laughing so hard she couldn't breathe.",
            "They and Natasha were laughing so hard they couldn't breathe.",
        ),
        (
            "Bucky and you share a look.",
            "Bucky and I share a look.",
            "Bucky and she share a look.",
            "Bucky and they share a look.",
        ),
        (
            "He handed you and Peter the keys.",
            "He handed Peter and me the keys.",
            "He handed her and Peter the keys.",
            "He handed them and Peter the keys.",
        ),
        (
            "You and your sister are the last to leave.",
            "My sister and I are the last to leave.",
            "She and her sister are the last to leave.",
            "They and their sister are the last to leave.",
        ),
        (
            "You, Kylo and Rey were the last ones out.",
            "Kylo, Rey and I were the last ones out.",
            "She, Kylo and Rey were the last ones out.",
            "They, Kylo and Rey were the last ones out.",
        ),
        (
            "You guys are ridiculous.",
            "We are ridiculous.",
            "They are ridiculous.",
            "They are ridiculous.",
        ),
        (
            "The three of you sat in silence.",
            "The three of us sat in silence.",
            "The three of them sat in silence.",
            "The three of them sat in silence.",
        ),
        (
            "You both know what happens next.",
            "We both know what happens next.",
            "They both know what happens next.",
            "They both know what happens next.",
        ),
    ],
    "object form in comparisons, clefts, exceptions": [
        (
            "He's taller than you, but you're faster than him.",
            "He's taller than me, but I'm faster than him.",
            "He's taller than her, but she's faster than him.",
            "He's taller than them, but they're faster than him.",
        ),
        (
            "All of them but you were gone.",
            "All of them but me were gone.",
            "All of them but her were gone.",
            "All of them but them were gone.",
        ),
        (
            "Nobody but you heard it.",
            "Nobody but me heard it.",
            "Nobody but her heard it.",
            "Nobody but them heard it.",
        ),
        ("It's you he wants.", "It's me he wants.", "It's her he wants.", "It's them he wants."),
    ],
    "possessives and reflexives": [
        (
            "The choice is yours.",
            "The choice is mine.",
            "The choice is hers.",
            "The choice is theirs.",
        ),
        (
            "You fix yourself a drink and sit down.",
            "I fix myself a drink and sit down.",
            "She fixes herself a drink and sits down.",
            "They fix themselves a drink and sit down.",
        ),
    ],
    "modals never change": [
        ("You need not worry.", "I need not worry.", "She need not worry.", "They need not worry."),
        ("You must be tired.", "I must be tired.", "She must be tired.", "They must be tired."),
        (
            "If you want, you can stay.",
            "If I want, I can stay.",
            "If she wants, she can stay.",
            "If they want, they can stay.",
        ),
    ],
    "dialogue, thoughts and idioms stay": [
        (
            '"You look lovely," Kylo says, and you blush.',
            '"You look lovely," Kylo says, and I blush.',
            '"You look lovely," Kylo says, and she blushes.',
            '"You look lovely," Kylo says, and they blush.',
        ),
        (
            "*He can't see you like this,* you think.",
            "*He can't see you like this,* I think.",
            "*He can't see you like this,* she thinks.",
            "*He can't see you like this,* they think.",
        ),
        (
            "You name it, you've probably done it.",
            "You name it, I've probably done it.",
            "You name it, she's probably done it.",
            "You name it, they've probably done it.",
        ),
        (
            "It was, mind you, the third time you had asked.",
            "It was, mind you, the third time I had asked.",
            "It was, mind you, the third time she had asked.",
            "It was, mind you, the third time they had asked.",
        ),
    ],
}

ROWS = [(rule, *row) for rule, rows in CASES.items() for row in rows]


@pytest.mark.parametrize(("rule", "source", "first", "she", "they"), ROWS)
def test_rule(rule: str, source: str, first: str, she: str, they: str) -> None:
    assert ynsert.rewrite(source, to="first").text == first, rule
    assert ynsert.rewrite(source, to="third", pronouns="she", names="none").text == she, rule
    assert ynsert.rewrite(source, to="third", pronouns="they", names="none").text == they, rule


def test_custom_pronoun_set_agrees_in_the_singular() -> None:
    result = ynsert.rewrite(
        "You brush your hair and smile at yourself.",
        to="third",
        pronouns="xe/xem/xyr/xyrs/xemself",
        names="none",
    )
    assert result.text == "Xe brushes xyr hair and smiles at xemself."


def test_custom_pronoun_set_can_agree_in_the_plural() -> None:
    result = ynsert.rewrite(
        "You are tired.",
        to="third",
        pronouns="ey/em/eir/eirs/emself",
        plural_verbs=True,
        names="none",
    )
    assert result.text == "Ey are tired."


def test_he_pronouns() -> None:
    result = ynsert.rewrite(
        "Your hands shake. You hide them.", to="third", pronouns="he", names="none"
    )
    assert result.text == "His hands shake. He hides them."


def test_capitals_follow_the_source() -> None:
    result = ynsert.rewrite("YOU ARE LATE. you are late.", to="third", names="none")
    assert result.text == "SHE IS LATE. she is late."


def test_hard_wrapped_lines_do_not_derail_the_parse() -> None:
    source = "The clock strikes. You\nquestion with yourself, half seriously, whether it\nwoke you."
    result = ynsert.rewrite(source, to="third", pronouns="she", names="none")
    assert result.text == (
        "The clock strikes. She\nquestions with herself, half seriously, whether it\nwoke her."
    )


def test_adjective_in_a_series_is_not_taken_for_a_verb() -> None:
    source = "You lie in bed like an oyster in its shell, content with the warmth."
    result = ynsert.rewrite(source, to="third", pronouns="she", names="none")
    assert result.text == "She lies in bed like an oyster in its shell, content with the warmth."
