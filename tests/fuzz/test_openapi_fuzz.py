"""schemathesis over every OpenAPI document the app serves (tests/fuzz/harness.py: DOCUMENTS),
each operation as an admin, a team and an anonymous caller: no 5xx, and no answer that
contradicts the document (status, content type, body schema, headers)."""

from __future__ import annotations

import pytest

from tests.fuzz import harness


@pytest.fixture(scope="module", params=harness.CALLERS, ids=lambda caller: caller.name)
def target(request, tmp_path_factory):
    """The app (a fresh demo registry per caller, so one caller's deletes leave the next
    caller's catalogue whole) and the caller's headers."""
    app = harness.app_on(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    yield app, request.param.headers(harness.team_secret(app))
    app.extensions["eventry"].engine.dispose()


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
