"""OPTIONS and 405 answers under /ccompat name the methods of the path's own operation, as the
OpenAPI document lists them, never those of the catch-all route that answers 40401 for paths the
API does not have; a path the API does not have is 404 (40401) whatever the method."""

import pytest

from app import create_app
from tests.functional.confluent.conftest import fails

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
VALUES = {"subject": "s", "version": "1", "schema_id": "1", "guid": "g", "namespace": "-"}


def _documented() -> list[tuple[str, frozenset[str]]]:
    app = create_app({"database_url": "sqlite://", "demo": False})
    document = app.test_client().get("/ccompat/openapi.json").get_json()
    found = []
    for path, operations in document["paths"].items():
        for name, value in VALUES.items():
            path = path.replace(f"{{{name}}}", value)
        found.append((path.replace("{name}", "t"), frozenset(m.upper() for m in operations)))
    return found


DOCUMENTED = [
    (path, methods & set(METHODS))
    for path, methods in _documented()
    if path != "/ccompat/openapi.json"
]


def allowed(methods: frozenset[str]) -> set[str]:
    return set(methods) | ({"HEAD"} if "GET" in methods else set()) | {"OPTIONS"}


@pytest.mark.parametrize(("path", "methods"), DOCUMENTED, ids=[path for path, _ in DOCUMENTED])
def test_options_and_405_name_the_documented_methods_only(client, path, methods):
    options = client.options(path)
    assert options.status_code == 200
    assert {m.strip() for m in options.headers["Allow"].split(",")} == allowed(methods)
    for method in sorted(set(METHODS) - methods):
        refused = client.open(path, method=method)
        if path.startswith("/ccompat/associations/") and method in ("POST", "DELETE"):
            # the association calls clients make: 200 or 404, anything else breaks them
            fails(refused, 404, 40401)
            continue
        fails(refused, 405, 405)
        assert {m.strip() for m in refused.headers["Allow"].split(",")} == allowed(methods)


@pytest.mark.parametrize("method", [*METHODS, "OPTIONS"])
def test_a_path_the_api_does_not_have_is_40401_for_every_method(client, method):
    answer = client.open("/ccompat/nothing/here", method=method)
    fails(answer, 404, 40401)
    assert "Allow" not in answer.headers
