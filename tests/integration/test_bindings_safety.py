"""Bindings of hostile schemas: code in names, descriptions and values stays text, and a
generator that runs too long is stopped."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from app.core.bindings import BindingRequest, Language
from app.core.errors import InvalidInput
from app.core.schema import SchemaDocument
from app.services import codegen

CODE = "__import__('pathlib').Path({!r}).touch()"


def hostile(marker) -> BindingRequest:
    code = CODE.format(str(marker))
    schema = {
        "type": "object",
        "required": [code],
        "properties": {
            code: {"type": "string", "description": f'"""\n{code}\n"""', "default": f'"""{code}'},
            "kind": {"enum": [f"'; {code}; '", f'"); {code}; ("']},
            "*/ import x from 'y'; /*": {"type": "integer"},
        },
    }
    description = f'"""\n{code}\n""" */ {code} /*'
    return BindingRequest("orders", "OrderPlaced", description, 1, SchemaDocument.checked(schema))


def test_python_bindings_of_hostile_schemas_run_nothing_when_imported(tmp_path):
    marker = tmp_path / "ran"
    source = codegen.generate(hostile(marker), Language.PYTHON)
    path = tmp_path / "hostile_binding.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("hostile_binding", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["hostile_binding"] = module
    spec.loader.exec_module(module)
    assert not marker.exists()
    assert "Event orders.OrderPlaced, schema version 1" in module.OrderPlaced.__doc__


def test_typescript_bindings_of_hostile_schemas_keep_comments_closed(tmp_path):
    if not (codegen.NODE_TOOLS / "node_modules" / "json-schema-to-typescript").is_dir():
        pytest.skip("tools/bindings is not installed: run make bindings-tools")
    source = codegen.generate(hostile(tmp_path / "ran"), Language.TYPESCRIPT)
    (tmp_path / "hostile.ts").write_text(source, encoding="utf-8")
    # Compiled to JavaScript, interfaces and comments leave nothing: no statement got out.
    tsc = codegen.NODE_TOOLS / "node_modules" / ".bin" / "tsc"
    command = [str(tsc), "--strict", "--module", "es2022", "--removeComments", "--outDir", "out"]
    command.append("hostile.ts")
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "out" / "hostile.js").read_text().strip() == "export {};"


def test_a_generator_that_runs_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(codegen, "TIMEOUT_SECONDS", 0.001)
    request = BindingRequest("orders", "OrderPlaced", "", 1, SchemaDocument.checked({}))
    with pytest.raises(InvalidInput, match="did not finish within"):
        codegen.generate(request, Language.PYTHON)


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        ("../outside.json", {"type": "object"}),
        ("https://example.com/x.json", {"type": "object"}),
        ("customer.json", {"$id": "file:///etc/", "type": "object"}),
    ],
)
def test_references_that_could_reach_outside_the_folder_are_refused(name, schema):
    from app.core.schema import Reference

    referenced = SchemaDocument.checked(schema)
    root = {"type": "object", "properties": {"c": {"$ref": name}}}
    document = SchemaDocument.checked(root, references=[Reference(name, "x.Y", 1, referenced)])
    request = BindingRequest("orders", "OrderPlaced", "", 1, document)
    with pytest.raises(InvalidInput, match="bindings"):
        codegen.generate(request, Language.PYTHON)
