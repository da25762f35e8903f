"""schemathesis over every OpenAPI document the app serves (tests/fuzz/harness.py: DOCUMENTS),
each operation as an admin, a team and an anonymous caller, on SQLite and on PostgreSQL when
the suite's PostgreSQL leg runs: no 5xx, and no answer that
contradicts the document (status, content type, body schema, headers)."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS
from tests.fuzz import harness

# Every caller on every database of the suite: SQLite, and PostgreSQL when its leg runs
# (tests/legs.py), where types, collations and constraints differ.
TARGETS = [(backend, caller) for backend in BACKENDS for caller in harness.CALLERS]


@pytest.fixture(scope="module", params=TARGETS, ids=lambda target: f"{target[0]}-{target[1].name}")
def target(request, tmp_path_factory, postgres):
    """The app (a fresh demo registry per database and caller, so one caller's deletes leave
    the next caller's catalogue whole) and the caller's headers."""
    backend, caller = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    else:
        url = postgres.create()
    app = harness.app_on(url)
    yield app, caller.headers(harness.team_secret(app))
    app.extensions["eventry"].engine.dispose()
    if backend != "sqlite":
        postgres.drop(url)


def _fuzz_test(path: str):
    schema = harness.load(path)

    @schema.parametrize()
    def fuzz(case, target):
        app, headers = target
        from schemathesis.specs.openapi.checks import positive_data_acceptance

        case.call_and_validate(app=app, headers=headers, excluded_checks=[positive_data_acceptance])

    return fuzz


for _path in harness.DOCUMENTS:
    globals()["test_" + _path.strip("/").replace("/", "_").replace(".", "_")] = _fuzz_test(_path)
