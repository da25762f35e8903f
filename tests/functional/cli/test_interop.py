"""`eventry example` and `eventry bindings` on a schemas-as-code tree, offline."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli.main import main
from app.config import DEMO_CATALOG, PROJECT_ROOT
from app.core.access import Actor
from app.services.catalog_loader import load_catalog
from tests.functional.test_cli_check import CLEAN, V1, write_tree

DEMO = str(PROJECT_ROOT / "examples" / "catalog")
PLACED = ["--event", "payments.PaymentAuthorised", "--dir", DEMO]


@pytest.fixture
def cli() -> CliRunner:
    return CliRunner()


def test_an_example_validates_and_is_the_same_for_the_same_seed(cli, tmp_path):
    first = cli.invoke(main, ["example", *PLACED, "--seed", "5"])
    assert first.exit_code == 0, first.output
    assert first.output == cli.invoke(main, ["example", *PLACED, "--seed", "5"]).output
    assert first.output != cli.invoke(main, ["example", *PLACED, "--seed", "6"]).output
    event = tmp_path / "event.json"
    event.write_text(first.output, encoding="utf-8")
    checked = cli.invoke(
        main, ["validate", "--event", "payments.PaymentAuthorised", "--dir", DEMO, str(event)]
    )
    assert checked.exit_code == 0, checked.output


def test_example_and_bindings_refusals_say_why_with_their_exit_codes(cli, tmp_path):
    unknown = cli.invoke(main, ["example", "--event", "orders.Nope", "--dir", DEMO])
    assert unknown.exit_code == 2 and "orders.Nope is not in the tree" in unknown.output
    contradictory = {**V1, "properties": {**V1["properties"], "total": {
        "type": "integer", "minimum": 10, "maximum": 1}}}  # fmt: skip
    root = write_tree(tmp_path, {**CLEAN, "orders/OrderPlaced/v1.json": json.dumps(contradictory)})
    none = cli.invoke(main, ["example", "--event", "orders.OrderPlaced", "--dir", str(root)])
    assert none.exit_code == 1
    assert (
        "no example can be generated (unsatisfiable): no integer lies between 10 and 1"
        in none.output
    )
    missing = cli.invoke(main, ["bindings", *PLACED, "--version", "9", "--language", "python"])
    assert missing.exit_code == 2 and "has no version 9" in missing.output


def test_bindings_are_written_with_the_description_and_version(cli, tmp_path):
    out = tmp_path / "payment.py"
    done = cli.invoke(main, ["bindings", *PLACED, "--language", "python", "--output", str(out)])
    assert done.exit_code == 0, done.output
    source = out.read_text(encoding="utf-8")
    assert "class PaymentAuthorised(BaseModel):" in source
    assert "Event payments.PaymentAuthorised, schema version 2" in source  # the latest
    typescript = cli.invoke(main, ["bindings", *PLACED, "--language", "typescript"])
    if typescript.exit_code == 1 and "make bindings-tools" in typescript.output:
        pytest.skip("tools/bindings is not installed")
    assert typescript.exit_code == 0, typescript.output
    assert "export interface PaymentAuthorised {" in typescript.output


@pytest.fixture
def loaded(session):
    """The demo catalogue in the served registry's database."""
    load_catalog(session, DEMO_CATALOG, Actor.system("test"))


def test_with_url_the_registry_answers_the_same(cli, loaded, remote):
    event = ["--event", "payments.PaymentAuthorised", "--version", "1", *remote]
    served = cli.invoke(main, ["example", *event, "--seed", "4"])
    offline = cli.invoke(main, ["example", *PLACED, "--version", "1", "--seed", "4"])
    assert served.exit_code == 0 and json.loads(served.output) == json.loads(offline.output)
    source = cli.invoke(main, ["bindings", *event, "--language", "python"])
    assert source.exit_code == 0 and "class PaymentAuthorised(BaseModel):" in source.output
    missing = cli.invoke(
        main, ["bindings", "--event", "payments.Nope", *remote, "--language", "python"]
    )
    assert missing.exit_code == 2 and "404" in missing.output
