"""One ReaderProfile: loaded, validated, merged; every problem is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ynsert.errors import ProfileError
from ynsert.profile import ReaderProfile, coerce_profile, load_profile


def test_a_profile_file_loads_and_overrides_merge(tmp_path: Path) -> None:
    path = tmp_path / "reader.toml"
    path.write_text('name = "Mara"\npronouns = "they"\n[values]\n"h/c" = "auburn"\n')
    profile = load_profile(path)
    assert profile.placeholder_values() == {"Y/N": "Mara", "H/C": "auburn"}
    merged = profile.merged(to="first", name=None, values={"E/C": "grey"})
    assert merged.to == "first" and merged.name == "Mara"
    assert merged.values == {"H/C": "auburn", "E/C": "grey"}
    assert merged.pronoun_set.plural


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"colour": "red"}, "unknown profile key: colour"),
        ({"to": "fourth"}, "to: Input should be 'first', 'second' or 'third'"),
        ({"pronouns": "zz/zz"}, "pronouns: unknown pronoun set 'zz/zz'"),
        ({"values": {"Y/N": 3}}, "values.Y/N: Input should be a valid string"),
        ({"plural_verbs": "maybe"}, "plural_verbs: Input should be a valid boolean"),
    ],
)
def test_bad_profiles_say_what_is_wrong_in_one_line(data: dict, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        ReaderProfile.from_mapping(data)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name = ", "not valid TOML"),
        (b"\xff\xfe", "not UTF-8"),
        (b"x = " + b"[" * 5_000 + b"]" * 5_000, "nested too deeply"),
        (b"x = " + b"[" * 100_000 + b"]" * 100_000, "larger than 64 KB"),
    ],
)
def test_bad_profile_files_are_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    with pytest.raises(ProfileError, match=message):
        load_profile(path)


def test_missing_and_directory_profiles(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="no such profile file"):
        load_profile(tmp_path / "nope.toml")
    with pytest.raises(ProfileError, match="is a directory"):
        load_profile(tmp_path)


def test_the_api_accepts_a_profile_plain_data_a_path_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text('name = "Sam"\n')
    assert coerce_profile(None) == ReaderProfile()
    assert coerce_profile({"name": "Sam"}) == coerce_profile(path) == ReaderProfile(name="Sam")
