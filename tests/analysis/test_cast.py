"""Cast: names, titles, aliases, mentioned characters, pronouns, the reader."""

from __future__ import annotations


def test_title_folded_and_mentioned(cast_of) -> None:
    _, cast = cast_of("You waited in the cell. They came by orders of General Hux. You slept.")
    hux = cast.cast.named("Hux")
    assert hux is not None and hux.name == "General Hux" and hux.status == "mentioned"


def test_short_name_is_alias_of_long_name(cast_of) -> None:
    text = "Kylo Ren turned to you. Kylo lifted his hand. He smiled at you. Kylo left."
    _, cast = cast_of(text)
    kylo = cast.cast.named("Kylo")
    assert kylo is not None and kylo.name == "Kylo Ren" and kylo.mentions == 3
    assert kylo.pronouns == ("he",) and kylo.status == "present"


def test_talked_about_only_in_dialogue_is_mentioned(cast_of) -> None:
    text = '"Snoke wants you dead," he said. You froze. "Snoke feels it," he added.'
    _, cast = cast_of(text)
    snoke = cast.cast.named("Snoke")
    assert snoke is not None and snoke.status == "mentioned"


def test_places_and_things_are_not_characters(cast_of) -> None:
    text = (
        "You ran through Starkiller Base. The Force held you. You reached Starkiller Base. "
        "The Force let go."
    )
    _, cast = cast_of(text)
    assert cast.cast.characters == ()


def test_one_off_interjection_is_not_a_character(cast_of) -> None:
    _, cast = cast_of('"Halloo, driver!" shouted he. The coach stopped.')
    assert cast.cast.characters == ()


def test_reader_is_a_character_in_second_person(cast_of) -> None:
    _, cast = cast_of("You ran. Y/N stopped. You waited for him.")
    assert cast.cast.reader is not None and cast.cast.reader.pronouns == ("you",)
    assert "Y/N" in cast.cast.reader.aliases


def test_no_reader_in_third_person(cast_of) -> None:
    _, cast = cast_of("Mara ran. Mara stopped. She waited for him.")
    assert cast.cast.reader is None
    mara = cast.cast.named("Mara")
    assert mara is not None and mara.pronouns == ("she",)


def test_name_the_tagger_takes_for_an_adjective(cast_of) -> None:
    # en_core_web_sm tags the sentence-initial "Bucky" as JJ; the mid-sentence capital says name
    text = (
        "Bucky claps you on the shoulder. You and Bucky have been best friends since you "
        "were kids. He grins at you."
    )
    _, cast = cast_of(text)
    bucky = cast.cast.named("Bucky")
    assert bucky is not None and bucky.mentions == 2


def test_full_name_acting_once_is_a_character(cast_of) -> None:
    _, cast = cast_of("Bucky Barnes pulls you close. He kisses you. You laugh.")
    assert cast.cast.named("Bucky Barnes") is not None


def test_personification_named_once_is_not(cast_of) -> None:
    _, cast = cast_of("Fortune was bending over him. You slept on.")
    assert cast.cast.characters == ()
