"""schemathesis against the OpenAPI schema: generated requests never get a 500.

Examples are bounded (a few per operation) to keep the suite fast; the account has works,
a profile, progress and a bookmark, so generated ids sometimes hit real rows. The cases are
drawn with schemathesis's Hypothesis strategies directly (its pytest plugin does not run
under this pytest version).
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from webtools import CHEAP, PASSWORD

from ynsert.library import Library
from ynsert.web import create_app

AUTH = {"Authorization": "Basic " + base64.b64encode(f"mara:{PASSWORD}".encode()).decode()}
FOLDER = tempfile.mkdtemp(prefix="ynsert-fuzz-")
LIBRARY = Library(f"sqlite:///{FOLDER}/library.db", hasher=CHEAP)
SCHEMA = schemathesis.openapi.from_asgi(
    "/api/openapi.json", create_app(LIBRARY, login_attempts=10_000)
)
OPERATIONS = {op.ok().label: op.ok() for op in SCHEMA.get_all_operations()}


@pytest.fixture(scope="module", autouse=True)
def account():
    account = LIBRARY.create_account("mara", PASSWORD)  # with the sample story, work 1
    profile = LIBRARY.create_profile(account.id, {"label": "Mara", "name": "Mara"})
    LIBRARY.analysis(account.id, 1)
    LIBRARY.save_progress(account.id, profile.id, 1, 0, 0.5)
    LIBRARY.add_bookmark(account.id, profile.id, 1, 0, 0.5, "here")
    yield account
    LIBRARY.close()
    shutil.rmtree(FOLDER, ignore_errors=True)


def test_every_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) >= 15


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_no_server_errors(label: str) -> None:
    @given(case=OPERATIONS[label].as_strategy())
    @settings(
        max_examples=int(os.environ.get("YNSERT_FUZZ_EXAMPLES", "6")),
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(headers=AUTH, checks=[not_a_server_error])

    run()
