"""One reader profile: who the reader is and how their stories are told.

The CLI, the web app and the batch runner all build a ``ReaderProfile`` (from a TOML file, a
form, a JSON body) and hand it to the API; overrides (command-line flags) merge on top.

    # reader.toml
    name = "Mara"
    pronouns = "she"              # she, he, they, xe … or "xe/xem/xyr/xyrs/xemself"
    plural_verbs = false          # agree verbs in the plural (default: only for "they")
    to = "third"                  # first, second (fill placeholders only) or third
    source = "auto"               # the story's person: auto, second or first (a reader-insert
                                  # told by "I")
    names = "smart"               # first, smart or none
    character = "Elizabeth"       # a third-person story: this character becomes the reader

    [values]                      # placeholders other than Y/N
    "L/N" = "Okafor"
    "H/C" = "auburn"

>>> profile = ReaderProfile.from_mapping({"name": "Mara", "values": {"h/c": "auburn"}})
>>> profile.merged(to="first", name=None).to, profile.values
('first', {'H/C': 'auburn'})
>>> ReaderProfile.from_mapping({"to": "fourth"})
Traceback (most recent call last):
ynsert.errors.ProfileError: to: Input should be 'first', 'second' or 'third'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ynsert.errors import ProfileError, YnsertError
from ynsert.placeholders import normalise_key
from ynsert.vocab.persons import PronounSet

#: A profile file is a few hundred bytes; anything larger is not a profile.
MAX_PROFILE_BYTES = 64 * 1024
_DEEP_NESTING = re.compile(r"(?:[\[{][ \t\r\n]*){16}")

Person = Literal["first", "second", "third"]
SourcePerson = Literal["auto", "second", "first"]
NamingPolicy = Literal["first", "smart", "none"]


class ReaderProfile(BaseModel):
    """The reader: name, pronouns, target person, naming policy and placeholder values."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    pronouns: str = Field(default="she", max_length=200)
    plural_verbs: bool | None = None
    to: Person = "third"
    source: SourcePerson = "auto"
    names: NamingPolicy = "smart"
    #: Read a third-person story as this character (``ynsert.rewrite.character``).
    character: str | None = Field(default=None, max_length=200)
    values: dict[str, str] = Field(default_factory=dict, max_length=200)
    #: How sure an archive warning must be before it flags a work for this reader ("warn me at
    #: 30 % and up"); None: each warning's default level, chosen on real works.
    warn_at: float | None = Field(default=None, ge=0.1, le=1.0)

    @field_validator("pronouns")
    @classmethod
    def _known_pronouns(cls, spec: str) -> str:
        PronounSet.parse(spec)  # UnknownPronouns (a ProfileError) explains what is accepted
        return spec

    @field_validator("values")
    @classmethod
    def _normalised_keys(cls, values: dict[str, str]) -> dict[str, str]:
        return {normalise_key(key): value for key, value in values.items()}

    @property
    def pronoun_set(self) -> PronounSet:
        return PronounSet.parse(self.pronouns, plural=self.plural_verbs)

    def placeholder_values(self) -> dict[str, str]:
        """Every placeholder value, Y/N from ``name`` unless ``values`` sets it."""
        return {"Y/N": self.name, **self.values} if self.name else dict(self.values)

    def merged(self, **overrides: Any) -> ReaderProfile:
        """A copy with every override that is not None; ``values`` merge key by key."""
        given = {key: value for key, value in overrides.items() if value is not None}
        if "values" in given:
            given["values"] = {**self.values, **_checked_values(given["values"])}
        return ReaderProfile.from_mapping({**self.model_dump(), **given})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ReaderProfile:
        """Validate plain data (parsed TOML or JSON); ProfileError names the first problem."""
        try:
            return cls.model_validate(dict(data))
        except ValidationError as error:
            raise ProfileError(_first_problem(error)) from None

    @classmethod
    def from_toml(cls, text: str, where: str = "profile") -> ReaderProfile:
        if _DEEP_NESTING.search(text):  # a profile is two levels deep; tomllib would recurse
            raise ProfileError(f"{where}: nested too deeply to be a profile")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ProfileError(f"{where}: not valid TOML ({error})") from None
        except RecursionError:
            raise ProfileError(f"{where}: nested too deeply to be a profile") from None
        try:
            return cls.from_mapping(data)
        except YnsertError as error:
            raise ProfileError(f"{where}: {error}") from None


def load_profile(path: str | Path) -> ReaderProfile:
    """Read a profile TOML file (bounded: a device or FIFO cannot make it read forever)."""
    where = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise ProfileError(f"{where}: no such profile file") from None
    except IsADirectoryError:
        raise ProfileError(f"{where}: is a directory, not a profile file") from None
    except OSError as error:
        raise ProfileError(f"{where}: cannot read profile ({error.strerror})") from None
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileError(f"{where}: larger than {MAX_PROFILE_BYTES // 1024} KB; not a profile")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(f"{where}: not UTF-8 text") from None
    return ReaderProfile.from_toml(text, where)


def coerce_profile(profile: ReaderProfile | Mapping[str, Any] | str | Path | None) -> ReaderProfile:
    """What the API accepts as a profile: a profile, plain data, a TOML path, or None."""
    if profile is None:
        return ReaderProfile()
    if isinstance(profile, ReaderProfile):
        return profile
    if isinstance(profile, str | Path):
        return load_profile(profile)
    return ReaderProfile.from_mapping(profile)


def _checked_values(values: object) -> dict[str, str]:
    if not isinstance(values, Mapping):
        raise ProfileError("values: must map placeholders to strings")
    return dict(values)


def _first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "profile"
    if problem["type"] == "extra_forbidden":
        return f"unknown profile key: {where}"
    message = problem["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"
