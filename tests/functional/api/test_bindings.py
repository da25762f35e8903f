"""GET …/versions/{n}/bindings/python and …/typescript: generated models that real tools accept.

The Python bindings are imported here (only here: the server never imports them) and every valid
sample of the demo round-trips through them; the TypeScript ones are type-checked by tsc, with
every valid sample assigned to its interface.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from app.config import DEMO_CATALOG, PROJECT_ROOT
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests import legs
from tests.functional.api.conftest import new_event, ok
from tests.functional.api.test_references_native import BY_NAME, ORDER, ORDER_V1, shared

TSC = PROJECT_ROOT / "tools" / "bindings" / "node_modules" / ".bin" / "tsc"
BINDINGS = "/api/v1/events/{}/{}/versions/{}/bindings/{}"


@pytest.fixture
def demo(session):
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def demo_events(client) -> list[tuple[str, str, list[dict]]]:
    """(domain, name, samples) of every demo event type with a version."""
    found = []
    for event in ok(client.get("/api/v1/events?limit=200"))["items"]:
        domain, name = event["domain"], event["name"]
        samples = ok(client.get(f"/api/v1/events/{domain}/{name}/samples?limit=200"))["items"]
        found.append((domain, name, samples))
    return found


def imported(source: str, folder: Path, module: str):
    path = folder / f"{module}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(module, path)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[module] = loaded  # pydantic resolves the postponed annotations through it
    spec.loader.exec_module(loaded)
    return loaded


def test_python_bindings_round_trip_every_valid_demo_sample(client, demo, tmp_path):
    rejected = 0
    for domain, name, samples in demo_events(client):
        response = client.get(BINDINGS.format(domain, name, "latest", "python"))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/x-python"
        source = response.get_data(as_text=True)
        assert f"Event {domain}.{name}, schema version" in source
        model = getattr(imported(source, tmp_path, f"binding_{domain}_{name}"), name)
        assert f"Event {domain}.{name}, schema version" in model.__doc__
        for sample in samples:
            payload = sample["payload"]
            if sample["expect_valid"]:
                parsed = model.model_validate_json(json.dumps(payload))
                # Back to JSON: the same model again, and still an event of the version (a
                # date-time may be written with other digits of the same instant).
                again = json.loads(parsed.model_dump_json(by_alias=True, exclude_unset=True))
                assert model.model_validate(again) == parsed
                assert set(again) == set(payload), (domain, name, sample["name"])
                check = client.post(
                    f"/api/v1/events/{domain}/{name}/validate", json={"event": again}
                )
                assert ok(check)["valid"], (domain, name, sample["name"], check.get_json())
            else:
                try:
                    model.model_validate_json(json.dumps(payload))
                except pydantic.ValidationError:
                    rejected += 1
        with pytest.raises(pydantic.ValidationError):  # an event with no fields at all
            model.model_validate({})
    assert rejected >= 1  # the demo's invalid-* samples: at least one breaks a typed field


def test_typescript_bindings_type_check_with_every_valid_demo_sample(client, demo, tmp_path):
    if not TSC.exists() or shutil.which("node") is None:
        if legs.in_ci():
            pytest.fail("tools/bindings is not installed: run make bindings-tools")
        pytest.skip("tools/bindings is not installed: run make bindings-tools")
    checked = []
    for domain, name, samples in demo_events(client):
        response = client.get(BINDINGS.format(domain, name, "latest", "typescript"))
        assert response.status_code == 200, response.get_data(as_text=True)
        source = response.get_data(as_text=True)
        assert f"Event {domain}.{name}, schema version" in source
        module = f"{domain}_{name}"
        (tmp_path / f"{module}.ts").write_text(source, encoding="utf-8")
        uses = [f'import type {{ {name} }} from "./{module}";']
        uses += [
            f"export const sample{i}: {name} = {json.dumps(s['payload'])};"
            for i, s in enumerate(samples)
            if s["expect_valid"]
        ]
        (tmp_path / f"{module}.samples.ts").write_text("\n".join(uses) + "\n", encoding="utf-8")
        checked.append(module)
    broken = f'import type {{ {name} }} from "./{module}";\nexport const none: {name} = {{}};\n'
    (tmp_path / "broken.ts").write_text(broken, encoding="utf-8")
    assert tsc(tmp_path, [f"{m}.samples.ts" for m in checked]).returncode == 0
    refused = tsc(tmp_path, ["broken.ts"])
    assert refused.returncode != 0 and "is missing the following properties" in refused.stdout


def tsc(folder: Path, files: list[str]) -> subprocess.CompletedProcess:
    command = [str(TSC), "--noEmit", "--strict", "--target", "es2022", "--module", "es2022"]
    return subprocess.run(
        [*command, *files], cwd=folder, capture_output=True, text=True, timeout=300, check=False
    )


def test_bindings_of_unknown_things_are_404(client, demo):
    assert client.get(BINDINGS.format("orders", "Nope", 1, "python")).status_code == 404
    assert client.get(BINDINGS.format("orders", "OrderPlaced", 99, "python")).status_code == 404
    assert client.get(BINDINGS.format("orders", "OrderPlaced", 1, "cobol")).status_code == 404


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("python", "names neither"),
        ("typescript", "names neither"),
    ],
)
def test_a_schema_the_generator_refuses_is_a_422_and_nothing_is_fetched(
    client, orders, language, says
):
    if language == "typescript" and not TSC.exists():
        pytest.skip("tools/bindings is not installed: run make bindings-tools")
    # A reference to a meta-schema: the registry resolves it from its bundled copy, but the
    # generators read only the schema and the files of its references, so it is refused.
    remote = {
        "type": "object",
        "properties": {"s": {"$ref": "http://json-schema.org/draft-07/schema#"}},
    }
    path = new_event(client, orders, "SchemaShared", remote)
    answer = client.get(f"{path}/1/bindings/{language}")
    assert answer.status_code == 422
    assert says in answer.get_json()["detail"]


def test_bindings_follow_references_to_other_registered_schemas(client, shared, tmp_path):
    ok(
        client.post(
            f"{ORDER}/versions", json={"schema": ORDER_V1, "references": BY_NAME}, headers=shared
        ),
        201,
    )
    source = client.get(f"{ORDER}/versions/1/bindings/python").get_data(as_text=True)
    model = imported(source, tmp_path, "binding_references").OrderSubmitted
    assert model.model_validate({"orderId": "o-1", "customer": {"id": "c-1"}}).customer.id == "c-1"
    with pytest.raises(pydantic.ValidationError):
        model.model_validate({"orderId": "o-1", "customer": {"email": "no id"}})
    if TSC.exists():
        typescript = client.get(f"{ORDER}/versions/1/bindings/typescript")
        assert typescript.status_code == 200, typescript.get_data(as_text=True)
        assert "customer: CustomerJson;" in typescript.get_data(as_text=True)  # by its $id


__all__ = ["shared"]  # a fixture, imported for the test above
