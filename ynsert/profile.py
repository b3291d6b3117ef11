"""Reader profiles: a small TOML file with who the reader is.

# reader.toml
name = "Mara"
pronouns = "she"              # she, he, they, xe … or "xe/xem/xyr/xyrs/xemself"
plural_verbs = false          # agree verbs in the plural (default: only for "they")
to = "third"                  # or "first"
names = "smart"               # first, smart or none

[values]                      # placeholders other than Y/N
"L/N" = "Okafor"
"H/C" = "auburn"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

_KEYS = {"name", "pronouns", "plural_verbs", "to", "names", "values"}


class ProfileError(ValueError):
    """The profile file is missing or malformed; the message is one line."""


@dataclass(frozen=True)
class ReaderProfile:
    name: str | None = None
    pronouns: str = "she"
    plural_verbs: bool | None = None
    to: str = "third"
    names: str = "smart"
    values: dict[str, str] = field(default_factory=dict)

    def with_values(self, extra: dict[str, str]) -> ReaderProfile:
        return replace(self, values={**self.values, **extra})


def load_profile(path: str) -> ReaderProfile:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{path}: no such profile file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}: cannot read profile ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{path}: not valid TOML ({error})") from None
    unknown = set(data) - _KEYS
    if unknown:
        raise ProfileError(f"{path}: unknown profile keys: {', '.join(sorted(unknown))}")
    values = data.get("values", {})
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise ProfileError(f"{path}: [values] must map placeholders to strings")
    for key in ("name", "pronouns", "to", "names"):
        if key in data and not isinstance(data[key], str):
            raise ProfileError(f"{path}: {key} must be a string")
    if "plural_verbs" in data and not isinstance(data["plural_verbs"], bool):
        raise ProfileError(f"{path}: plural_verbs must be true or false")
    return ReaderProfile(
        name=data.get("name"),
        pronouns=data.get("pronouns", "she"),
        plural_verbs=data.get("plural_verbs"),
        to=data.get("to", "third"),
        names=data.get("names", "smart"),
        values=dict(values),
    )
