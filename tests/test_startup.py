"""Start-up stays light: ``ynsert --version`` and ``import ynsert`` load neither spaCy nor
lemminflect (seconds each); they load on the first parse or inflection."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "thinc", "lemminflect", "pydantic", "numpy")


def _imported(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].split())


def test_version_imports_nothing_heavy() -> None:
    code = (
        "sys.argv = ['ynsert', '--version']\n"
        "from ynsert.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = _imported(code)
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)


def test_import_ynsert_and_its_rewrite_imports_nothing_heavy() -> None:
    loaded = _imported("import ynsert, ynsert.rewrite")
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)


def test_the_api_loads_no_parser_until_asked() -> None:
    loaded = _imported("import ynsert.api")
    assert not {m.split(".")[0] for m in loaded} & {"spacy", "thinc", "lemminflect"}
