"""Optional coverage-guided fuzzing of the readers with atheris (not installed by default).

    .venv/bin/pip install atheris==2.3.0   # a campaign machine only; CI runs tests/fuzz instead
    .venv/bin/python tests/fuzz/atheris_target.py -max_total_time=3600 corpus/

Any exception other than ``YnsertError`` from ``read_work`` (and writing what it read) is a
finding; atheris saves the input that caused it.
"""

from __future__ import annotations

import sys


def one_input(data: bytes) -> None:
    from ynsert.errors import YnsertError
    from ynsert.formats import read_work, write_work

    for name in (None, "a.txt", "a.html"):
        try:
            work = read_work(data, name)
        except YnsertError:
            continue
        for fmt in ("txt", "html", "epub"):
            write_work(work, fmt)


def main() -> None:
    try:
        import atheris  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("atheris is not installed: pip install atheris==2.3.0 (campaign machines only)")
    with atheris.instrument_imports():
        import ynsert.formats  # noqa: F401
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
