"""`eventry import-confluent`: a Confluent-compatible registry, or a dump of its `_schemas`
topic, copied into a live Eventry server keeping ids, versions, levels, references and deleted
state; nothing is sent twice.

The source registry is a real Eventry serving its /ccompat API over HTTP (on its own SQLite
database; one test starts it with `eventry serve`); the target is the live `server` of
tests/functional/cli/conftest.py, on SQLite and on PostgreSQL. Every check reads the target
through its /ccompat API.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from app import create_app
from app.cli.confluent_import import DumpError, Source, read_dump
from app.cli.main import main
from tests.conftest import ADMIN_TOKEN
from tests.functional.cli.conftest import serve_in_thread
from tests.functional.test_serve import EVENTRY, free_port, serve, stop, wait_until_ready

DATA = Path(__file__).resolve().parents[2] / "data" / "confluent"
DUMP = DATA / "_schemas.jsonl"
CONSOLE_DUMP = DATA / "_schemas.console.txt"


# --- talking to the registries ----------------------------------------------------------


def call(base: str, method: str, path: str, body: Any = None, token: str | None = ADMIN_TOKEN):
    """One /ccompat request; returns (status, parsed body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}/ccompat{path}", data=data, method=method)
    request.add_header("Content-Type", "application/vnd.schemaregistry.v1+json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ok(base: str, method: str, path: str, body: Any = None, token: str | None = ADMIN_TOKEN):
    status, found = call(base, method, path, body, token)
    assert status == 200, (method, path, status, found)
    return found


def schema(title: str, **fields: Any) -> str:
    """A JSON Schema as Confluent's clients send it: JSON text."""
    properties = {
        name: kind if isinstance(kind, dict) else {"type": kind} for name, kind in fields.items()
    }
    return json.dumps({"title": title, "type": "object", "properties": properties})


ADDRESS = schema("Address", street="string", city="string")
ORDER_1 = schema("OrderPlaced", orderId="string", shipTo={"$ref": "address.json"})
ORDER_2 = schema("OrderPlaced", orderId="string", shipTo={"$ref": "address.json"}, total="number")
ORDER_3 = schema("OrderPlaced", orderId="string", total="number")
PAYMENT_3 = schema("PaymentReceived", paymentId="string")
PAYMENT_4 = schema("PaymentReceived", paymentId="string", amount="number")
LEGACY = schema("LegacyPing", at="string")
CUSTOMER = schema("CustomerJoined", customerId="string")
ADDRESS_REF = [{"name": "address.json", "subject": "address-value", "version": 1}]

# (subject, version) -> id, as populate() leaves the source
SOURCE_IDS = {
    ("address-value", 1): 50,
    ("orders-value", 1): 20,
    ("orders-value", 2): 21,
    ("orders-value", 3): 22,
    ("payments-value", 3): 7,
    ("payments-value", 4): 9,
    ("legacy-value", 1): 30,
}
SUBJECTS = ["address-value", "customers-value", "legacy-value", "orders-value", "payments-value"]


def register(base: str, subject: str, text: str, **extra: Any) -> dict:
    return ok(base, "POST", f"/subjects/{subject}/versions", {"schema": text, **extra})


def populate(base: str) -> None:
    """Fill a registry through /ccompat: ids that are neither 1, 2, 3… nor in dependency order
    (orders-value version 1, id 20, references address-value version 1, id 50), versions that do
    not start at 1, a subject-level level and a global one, a soft-deleted version, a subject
    whose every version is soft-deleted, and one version registered outside IMPORT mode."""
    ok(base, "PUT", "/mode", {"mode": "IMPORT"})
    register(base, "address-value", ADDRESS, id=50, version=1)
    register(base, "orders-value", ORDER_1, references=ADDRESS_REF, id=20, version=1)
    register(base, "orders-value", ORDER_2, references=ADDRESS_REF, id=21, version=2)
    register(base, "orders-value", ORDER_3, id=22, version=3)
    register(base, "payments-value", PAYMENT_3, id=7, version=3)
    register(base, "payments-value", PAYMENT_4, id=9, version=4)
    register(base, "legacy-value", LEGACY, id=30, version=1)
    ok(base, "PUT", "/mode", {"mode": "READWRITE"})
    assert register(base, "customers-value", CUSTOMER)["id"] > 50
    ok(base, "PUT", "/config/payments-value", {"compatibility": "FULL"})
    ok(base, "PUT", "/config", {"compatibility": "FORWARD_TRANSITIVE"})
    assert ok(base, "DELETE", "/subjects/orders-value/versions/3") == 3
    assert ok(base, "DELETE", "/subjects/legacy-value") == [1]


def snapshot(base: str, subjects: list[str]) -> dict[str, Any]:
    """What a registry holds of these subjects, as Confluent's API shows it (GUIDs aside):
    every version with its id, schema, references, metadata and deleted state, the subject's
    own level, and the global level and mode."""
    found: dict[str, Any] = {"config": ok(base, "GET", "/config"), "mode": ok(base, "GET", "/mode")}
    for subject in subjects:
        status, numbers = call(base, "GET", f"/subjects/{subject}/versions?deleted=true")
        if status == 404:
            found[subject] = None
            continue
        versions = {}
        for number in numbers:
            body = ok(base, "GET", f"/subjects/{subject}/versions/{number}?deleted=true")
            body.pop("guid")
            versions[number] = body
        status, level = call(base, "GET", f"/config/{subject}?defaultToGlobal=false")
        found[subject] = {"versions": versions, "level": level if status == 200 else None}
    return found


# --- running the command ----------------------------------------------------------------


def import_confluent(*args: str, env: dict[str, str] | None = None):
    runner = CliRunner(env={"EVENTRY_URL": None, "EVENTRY_TOKEN": None, **(env or {})})
    return runner.invoke(main, ["import-confluent", *args], catch_exceptions=False)


def into(target: str) -> list[str]:
    return ["--url", target, "--token", ADMIN_TOKEN]


def lines_of(result) -> list[str]:
    return result.output.splitlines()


def summary(result) -> str:
    return lines_of(result)[-1]


# --- fixtures ---------------------------------------------------------------------------


def live_registry(template: str, where: Path, **settings: Any):
    """An Eventry on a copy of the migrated SQLite template, served over HTTP; returns
    (base URL, stop)."""
    copy = where / "source.db"
    shutil.copyfile(make_url(template).database, copy)
    app = create_app(
        {"database_url": f"sqlite:///{copy}", "admin_token": ADMIN_TOKEN, "demo": False, **settings}
    )
    http = serve_in_thread(app)

    def halt() -> None:
        http.shutdown()
        app.extensions["eventry"].engine.dispose()

    return f"http://127.0.0.1:{http.server_port}", halt


@pytest.fixture
def source(migrated_templates, tmp_path):
    """A second registry, populated as populate() says: the registry to copy from."""
    base, halt = live_registry(migrated_templates["sqlite"], tmp_path)
    populate(base)
    yield base
    halt()


def assert_copied(source_url: str, target: str) -> None:
    """The target holds what the source holds, id for id, in IMPORT mode no longer."""
    copied = snapshot(target, SUBJECTS)
    assert copied == {**snapshot(source_url, SUBJECTS), "mode": {"mode": "READWRITE"}}
    for (subject, number), schema_id in SOURCE_IDS.items():
        assert copied[subject]["versions"][number]["id"] == schema_id
    assert copied["orders-value"]["versions"][1]["references"] == ADDRESS_REF
    assert copied["orders-value"]["versions"][3]["deleted"] is True
    assert copied["legacy-value"]["versions"][1]["deleted"] is True
    assert copied["payments-value"]["level"] == {"compatibilityLevel": "FULL"}
    assert copied["orders-value"]["level"] is None
    assert copied["config"] == {"compatibilityLevel": "FORWARD_TRANSITIVE"}


# --- from a live registry ---------------------------------------------------------------


def test_a_live_registry_is_copied_with_its_ids_versions_levels_and_deletions(source, server):
    result = import_confluent("--from-url", f"{source}/ccompat", *into(server))

    assert result.exit_code == 0, result.output
    assert_copied(source, server)
    every = "/subjects?deleted=true"
    assert ok(server, "GET", every) == ok(source, "GET", every) == SUBJECTS
    assert ok(server, "GET", "/subjects") == [s for s in SUBJECTS if s != "legacy-value"]
    output = lines_of(result)
    assert "~ target registry mode: IMPORT (was READWRITE)" in output
    assert output[-2] == "~ target registry mode: READWRITE again"
    # dependencies first: address-value (id 50) before orders-value version 1 (id 20)
    registered = [line for line in output if line.startswith("+ ")]
    assert registered == [
        "+ payments-value version 3 (id 7)",
        "+ payments-value version 4 (id 9)",
        "+ legacy-value version 1 (id 30)",
        "+ address-value version 1 (id 50)",
        "+ orders-value version 1 (id 20)",
        "+ orders-value version 2 (id 21)",
        "+ orders-value version 3 (id 22)",
        f"+ customers-value version 1 (id {customer_id(source)})",
    ]
    assert "- orders-value version 3 (id 22): soft-deleted" in output
    assert "~ level of payments-value: FULL (was none)" in output
    assert "~ global level: FORWARD_TRANSITIVE (was BACKWARD)" in output
    assert summary(result) == (
        "Imported: 5 subjects, 8 versions registered, 2 soft-deleted, 2 levels set; "
        "0 versions already there; 0 subjects skipped; 0 errors."
    )

    again = import_confluent("--from-url", f"{source}/ccompat", *into(server))
    assert again.exit_code == 0, again.output
    assert "Nothing to import: the target has every version and level already." in again.output
    assert summary(again) == (
        "Imported: 5 subjects, 0 versions registered, 0 soft-deleted, 0 levels set; "
        "8 versions already there; 0 subjects skipped; 0 errors."
    )
    assert_copied(source, server)


def customer_id(base: str) -> int:
    """The id the source gave customers-value version 1 (registered outside IMPORT mode)."""
    return ok(base, "GET", "/subjects/customers-value/versions/1")["id"]


def test_force_imports_beside_what_the_target_has_and_a_second_run_sends_nothing(source, server):
    assert register(server, "elsewhere-value", schema("Elsewhere", x="string"))["id"] == 1

    result = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--force")

    assert result.exit_code == 0, result.output
    assert_copied(source, server)
    assert ok(server, "GET", "/subjects/elsewhere-value/versions/1")["id"] == 1
    # a new registration gets an id above every imported one
    assert register(server, "fresh-value", schema("Fresh", y="string"))["id"] > 50

    again = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--force")
    assert again.exit_code == 0, again.output
    assert "8 versions already there" in summary(again)
    assert not [line for line in lines_of(again) if line[:2] in ("+ ", "- ", "~ ")]


def test_a_target_with_subjects_is_refused_without_force_and_keeps_its_mode(source, server):
    register(server, "elsewhere-value", schema("Elsewhere", x="string"))

    result = import_confluent("--from-url", f"{source}/ccompat", *into(server))

    assert result.exit_code == 1
    assert "pass --force to import beside them" in result.output
    assert "42205" in result.output
    assert call(server, "GET", "/subjects/orders-value/versions")[0] == 404
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}
    assert summary(result).endswith("1 error.")


def test_dry_run_prints_the_plan_and_changes_nothing(source, server):
    result = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--dry-run")

    assert result.exit_code == 0, result.output
    output = lines_of(result)
    assert output[0] == "Dry run: nothing is changed."
    assert "~ the target registry in IMPORT mode for the import, then back to its mode" in output
    assert "+ orders-value version 3 (id 22), then soft-deleted" in output
    assert "+ legacy-value version 1 (id 30), then soft-deleted" in output
    assert "~ level of payments-value: FULL (was none)" in output
    assert summary(result) == (
        "Would import: 5 subjects, 8 versions registered, 2 soft-deleted, 2 levels set; "
        "0 versions already there; 0 subjects skipped; 0 errors."
    )
    for subject in SUBJECTS:
        assert call(server, "GET", f"/subjects/{subject}/versions?deleted=true")[0] == 404
    assert ok(server, "GET", "/config") == {"compatibilityLevel": "BACKWARD"}
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}


def test_only_what_the_source_gained_is_sent_and_soft_deletes_follow(source, server):
    assert import_confluent("--from-url", f"{source}/ccompat", *into(server)).exit_code == 0
    ok(source, "PUT", "/mode?force=true", {"mode": "IMPORT"})
    register(source, "orders-value", schema("OrderPlaced", orderId="string"), id=60, version=7)
    ok(source, "PUT", "/mode", {"mode": "READWRITE"})
    ok(source, "DELETE", "/subjects/payments-value/versions/3")
    ok(source, "PUT", "/config/orders-value", {"compatibility": "NONE"})

    result = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--force")

    assert result.exit_code == 0, result.output
    changes = [line for line in lines_of(result) if line[:2] in ("+ ", "- ", "~ ")]
    assert changes == [
        "~ target registry mode: IMPORT (was READWRITE)",
        "+ orders-value version 7 (id 60)",
        "- payments-value version 3 (id 7): soft-deleted",
        "~ level of orders-value: NONE (was none)",
        "~ target registry mode: READWRITE again",
    ]
    target = snapshot(server, SUBJECTS)
    assert target["orders-value"]["versions"][7]["id"] == 60
    assert target["payments-value"]["versions"][3]["deleted"] is True
    assert target == {**snapshot(source, SUBJECTS), "mode": {"mode": "READWRITE"}}


def test_per_subject_sets_and_restores_each_written_subjects_mode_only(source, server):
    assert import_confluent("--from-url", f"{source}/ccompat", *into(server)).exit_code == 0
    ok(server, "PUT", "/mode/payments-value", {"mode": "READWRITE"})
    ok(source, "PUT", "/mode?force=true", {"mode": "IMPORT"})
    register(source, "orders-value", schema("OrderPlaced", orderId="string"), id=61, version=4)
    register(source, "payments-value", schema("PaymentReceived", amount="number"), id=62, version=5)
    ok(source, "PUT", "/mode", {"mode": "READWRITE"})

    result = import_confluent(
        "--from-url", f"{source}/ccompat", *into(server), "--per-subject", "--force"
    )

    assert result.exit_code == 0, result.output
    output = lines_of(result)
    assert "~ mode of orders-value: IMPORT (was none)" in output
    assert "~ mode of payments-value: IMPORT (was READWRITE)" in output
    assert "~ mode of orders-value: none again" in output
    assert "~ mode of payments-value: READWRITE again" in output
    assert "+ orders-value version 4 (id 61)" in output
    assert "+ payments-value version 5 (id 62)" in output
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}
    assert call(server, "GET", "/mode/orders-value?defaultToGlobal=false")[0] == 404
    assert ok(server, "GET", "/mode/payments-value?defaultToGlobal=false") == {"mode": "READWRITE"}


def test_per_subject_imports_new_subjects_and_puts_their_modes_back(source, server):
    """The target takes a subject's IMPORT mode before the subject exists there, as Confluent
    does; the registration adopts it, and the import removes it afterwards."""
    result = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--per-subject")

    assert result.exit_code == 0, result.output
    assert_copied(source, server)
    output = lines_of(result)
    assert "~ mode of orders-value: IMPORT (was none)" in output
    assert "8 versions registered" in summary(result)
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}
    for subject in SUBJECTS:
        assert ok(server, "GET", f"/mode/{subject}?defaultToGlobal=true") == {"mode": "READWRITE"}


def test_a_refused_version_fails_what_needs_it_and_the_mode_is_restored(source, server):
    # id 20 (orders-value version 1 in the source) holds other content on the target
    ok(server, "PUT", "/mode", {"mode": "IMPORT"})
    register(server, "taken-value", schema("Taken", t="string"), id=20, version=1)
    ok(server, "PUT", "/mode", {"mode": "READWRITE"})

    result = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--force")

    assert result.exit_code == 1
    errors = [line for line in lines_of(result) if line.startswith("error: ")]
    assert errors[0].startswith("error: orders-value version 1 (id 20): POST ")
    assert "42205" in errors[0]
    assert errors[1:] == [
        "error: orders-value version 2 (id 21): not imported, it needs orders-value version 1",
        "error: orders-value version 3 (id 22): not imported, it needs orders-value version 2",
    ]
    assert summary(result) == (
        "Imported: 5 subjects, 5 versions registered, 1 soft-deleted, 2 levels set; "
        "0 versions already there; 0 subjects skipped; 3 errors."
    )
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}
    assert ok(server, "GET", "/subjects/payments-value/versions") == [3, 4]
    assert call(server, "GET", "/subjects/orders-value/versions")[0] == 404


def test_a_version_the_target_holds_with_another_id_is_an_error_left_alone(source, server):
    ok(server, "PUT", "/mode", {"mode": "IMPORT"})
    register(server, "payments-value", PAYMENT_3, id=70, version=3)
    ok(server, "PUT", "/mode", {"mode": "READWRITE"})

    dry = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--dry-run")
    assert dry.exit_code == 1
    message = "error: payments-value version 3 (id 7): the target has this version with id 70"
    assert message + "; it is left as it is" in dry.output

    result = import_confluent("--from-url", f"{source}/ccompat", *into(server), "--force")
    assert result.exit_code == 1
    assert message in result.output
    assert ok(server, "GET", "/subjects/payments-value/versions/3")["id"] == 70
    assert ok(server, "GET", "/subjects/payments-value/versions/4")["id"] == 9
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}


def test_a_source_behind_a_password_or_a_token(migrated_templates, tmp_path, server):
    base, halt = live_registry(migrated_templates["sqlite"], tmp_path, read_auth="token")
    try:
        populate(base)
        # Eventry takes HTTP Basic with the token as the password, as Confluent's clients send
        with_password = ["--source-user", "migrator", "--source-password", ADMIN_TOKEN]
        for credentials in (with_password, ["--source-token", ADMIN_TOKEN]):
            result = import_confluent(
                "--from-url", f"{base}/ccompat", *credentials, *into(server), "--dry-run"
            )
            assert result.exit_code == 0, result.output
            assert "8 versions registered" in summary(result)
        refused = import_confluent("--from-url", f"{base}/ccompat", *into(server), "--dry-run")
        assert refused.exit_code == 1
        assert "error: GET /subjects?deleted=true: 401 (40101)" in refused.output
        by_env = import_confluent(
            "--from-url",
            f"{base}/ccompat",
            *into(server),
            "--dry-run",
            env={"EVENTRY_SOURCE_TOKEN": ADMIN_TOKEN},
        )
        assert by_env.exit_code == 0, by_env.output
    finally:
        halt()


def test_the_target_token_comes_from_the_environment_and_is_needed(source, server):
    nobody = import_confluent("--from-url", f"{source}/ccompat", "--url", server)
    assert nobody.exit_code == 1
    assert "401" in nobody.output
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}

    result = import_confluent(
        "--from-url",
        f"{source}/ccompat",
        env={"EVENTRY_URL": server, "EVENTRY_TOKEN": ADMIN_TOKEN},
    )
    assert result.exit_code == 0, result.output
    assert_copied(source, server)


def test_unreachable_source_and_bad_arguments_are_one_line_each(server):
    result = import_confluent("--from-url", "http://127.0.0.1:1", *into(server))
    assert result.exit_code == 1
    assert "cannot reach http://127.0.0.1:1" in result.output
    neither = import_confluent(*into(server))
    assert neither.exit_code == 2
    assert "give one source" in neither.output


# once: the target's PostgreSQL leg is the in-process tests' business
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_eventry_serve_as_the_source_and_the_command_as_a_process(tmp_path, server):
    """The whole path with nothing in-process: `eventry serve` (gunicorn) as the source, the
    `eventry import-confluent` executable as the client."""
    port = free_port()
    process = serve(
        f"sqlite:///{tmp_path / 'served.db'}",
        port,
        EVENTRY_ADMIN_TOKEN=ADMIN_TOKEN,
        EVENTRY_DEMO="0",
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(f"{base}/readyz", process)
        populate(base)
        environment = {k: v for k, v in os.environ.items() if not k.startswith("EVENTRY_")}
        environment["EVENTRY_TOKEN"] = ADMIN_TOKEN
        command = [
            EVENTRY,
            "import-confluent",
            "--from-url",
            f"{base}/ccompat",
            "--url",
            server,
        ]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "8 versions registered" in done.stdout
        assert_copied(base, server)
    finally:
        stop(process)


# --- from a dump of the _schemas topic --------------------------------------------------

DUMP_SUBJECTS = [
    "customer-address",
    "orders-value",
    "payments-value",
    "legacy-value",
    "drafts-value",
    "clicks-value",
    "shipments-value",
]


def test_a_schemas_topic_dump_is_replayed_and_imported(server):
    result = import_confluent("--from-file", str(DUMP), *into(server))

    assert result.exit_code == 0, result.output
    output = lines_of(result)
    assert "ignored 1 MODE record: modes are not copied" in output
    assert (
        "skipped clicks-value: schemaType AVRO (2 versions); Eventry keeps JSON Schema only"
        in output
    )
    assert (
        "skipped shipments-value: schemaType PROTOBUF (1 version); Eventry keeps JSON Schema "
        "only" in output
    )
    assert summary(result) == (
        "Imported: 4 subjects, 7 versions registered, 3 soft-deleted, 2 levels set; "
        "0 versions already there; 2 subjects skipped; 0 errors."
    )
    target = snapshot(server, DUMP_SUBJECTS)
    ids = {
        subject: {n: (v["id"], v["deleted"]) for n, v in found["versions"].items()}
        for subject, found in target.items()
        if subject in DUMP_SUBJECTS and found is not None
    }
    assert ids == {
        "customer-address": {1: (1, False)},
        "orders-value": {1: (2, False), 2: (4, False)},
        "payments-value": {1: (6, False), 2: (7, True)},  # one version soft-deleted
        "legacy-value": {1: (8, True), 2: (9, True)},  # DELETE_SUBJECT up to version 2
    }
    # drafts-value: soft-deleted, then a tombstone; clicks and shipments: not JSON Schema
    assert [target[s] for s in ("drafts-value", "clicks-value", "shipments-value")] == [None] * 3
    orders = target["orders-value"]
    assert orders["versions"][2]["references"] == [
        {"name": "address.json", "subject": "customer-address", "version": 1}
    ]
    assert orders["level"] == {"compatibilityLevel": "FULL_TRANSITIVE"}
    assert target["legacy-value"]["level"] is None  # its CONFIG record was tombstoned
    assert target["payments-value"]["versions"][1]["metadata"] == {
        "properties": {"owner": "team-payments"}
    }
    assert target["config"] == {"compatibilityLevel": "FULL"}
    assert target["mode"] == {"mode": "READWRITE"}
    assert json.loads(orders["versions"][1]["schema"])["properties"]["shipTo"] == {
        "$ref": "address.json"
    }

    again = import_confluent("--from-file", str(CONSOLE_DUMP), *into(server))
    assert again.exit_code == 0, again.output
    assert "Nothing to import" in again.output
    assert "7 versions already there" in summary(again)


def dump_line(subject: str, version: int, schema_id: int, text: str) -> str:
    key = {"keytype": "SCHEMA", "subject": subject, "version": version, "magic": 1}
    value = {"subject": subject, "version": version, "id": schema_id, "schemaType": "JSON"}
    return json.dumps({"key": key, "value": {**value, "schema": text, "deleted": False}})


def test_subjects_whose_schemas_share_a_title_are_reported_when_the_target_merges_them(
    tmp_path, server
):
    """Eventry names a new subject's event type after its schema's title, so two Confluent
    subjects with one title share an event type, and its versions (docs/confluent-compat.md):
    the import says so rather than reporting a faithful copy."""
    money = schema("Money", amount="number")
    dump = tmp_path / "schemas.jsonl"
    dump.write_text(
        "\n".join(
            [
                dump_line("price-value", 1, 1, money),
                dump_line("price-value", 2, 2, schema("Money", amount="number", cur="string")),
                dump_line("refund-value", 1, 1, money),
            ]
        )
    )

    result = import_confluent("--from-file", str(dump), *into(server))

    assert result.exit_code == 1
    assert (
        "error: refund-value now shows version 2 that the source has not: the target put it "
        "into the event type of another subject (their schemas share a title)"
    ) in result.output
    again = import_confluent("--from-file", str(dump), *into(server))
    assert again.exit_code == 0
    assert (
        "note: refund-value has version 2 on the target that the source has not; they are "
        "left as they are"
    ) in again.output


def test_two_confluent_ids_of_one_content_are_an_error_for_the_second(tmp_path, server):
    """Confluent tells JSON Schemas apart by their text with its key order; Eventry by their
    canonical JSON. A schema registered twice with its keys reordered has two ids there and
    one content here: the second id is refused, and said so."""
    first = json.dumps({"type": "object", "title": "Ping", "properties": {}})
    reordered = json.dumps({"title": "Ping", "type": "object", "properties": {}})
    dump = tmp_path / "schemas.jsonl"
    dump.write_text(dump_line("ping-value", 1, 3, first) + "\n")
    with dump.open("a") as lines:
        lines.write(dump_line("ping-value", 2, 4, reordered) + "\n")

    result = import_confluent("--from-file", str(dump), *into(server))

    assert result.exit_code == 1
    assert "+ ping-value version 1 (id 3)" in result.output
    assert (
        "error: ping-value version 2 (id 4): POST /subjects/ping-value/versions: 422 (42205)"
        in (result.output)
    )
    assert "cannot take id 4" in result.output
    assert ok(server, "GET", "/mode") == {"mode": "READWRITE"}


def test_the_console_consumer_format_reads_as_the_json_lines_format():
    with DUMP.open() as lines:
        expected = read_dump(lines)
    with CONSOLE_DUMP.open() as lines:
        assert read_dump(lines) == expected
    assert sorted(expected.versions) == [
        ("clicks-value", 1),
        ("clicks-value", 2),
        ("customer-address", 1),
        ("legacy-value", 1),
        ("legacy-value", 2),
        ("orders-value", 1),
        ("orders-value", 2),
        ("payments-value", 1),
        ("payments-value", 2),
        ("shipments-value", 1),
    ]
    assert expected.levels == {None: "FULL", "orders-value": "FULL_TRANSITIVE"}


def test_kcat_json_keys_and_values_as_strings_and_comments_are_read():
    key = json.dumps({"keytype": "SCHEMA", "subject": "a-value", "version": 1, "magic": 1})
    value = {"subject": "a-value", "version": 1, "id": 5, "schemaType": "JSON", "schema": "{}"}
    kcat = {
        "topic": "_schemas",
        "partition": 0,
        "offset": 3,
        "key": key,
        "payload": json.dumps(value),
    }
    config = {
        "key": {"keytype": "CONFIG", "subject": "a-value", "magic": 0},
        "value": '{"compatibilityLevel":"NONE"}',
    }
    found = read_dump(["# exported 2024-06-01", "", json.dumps(kcat), json.dumps(config)])
    assert isinstance(found, Source)
    (version,) = found.versions.values()
    assert (version.subject, version.version, version.id, version.deleted) == (
        "a-value",
        1,
        5,
        False,
    )
    assert found.levels == {"a-value": "NONE"}
    # a tombstone given as the string "null" deletes it again
    gone = read_dump([json.dumps(kcat), json.dumps({"key": key, "value": "null"})])
    assert gone.versions == {}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json at all", "neither"),
        ('{"key": "{oops", "value": null}', "the key is not JSON"),
        ('{"key": [1], "value": null}', "the key must be a JSON object"),
        ('{"key": {"keytype": "SCHEMA", "version": 1}, "value": null}', "the key has no subject"),
        (
            '{"key": {"keytype": "SCHEMA", "subject": "s", "version": 1}, '
            '"value": {"schema": "{}"}}',
            "id must be a whole number",
        ),
        (
            '{"key": {"keytype": "SCHEMA", "subject": "s", "version": "1"}, "value": null}',
            "version",
        ),
    ],
)
def test_a_bad_dump_line_is_named(line, message):
    with pytest.raises(DumpError) as caught:
        read_dump(["", line], "schemas.txt")
    assert str(caught.value).startswith("schemas.txt line 2: ")
    assert message in str(caught.value)


def test_a_bad_dump_changes_nothing_on_the_target(tmp_path, server):
    dump = tmp_path / "schemas.txt"
    dump.write_text(DUMP.read_text() + "garbage\n")
    result = import_confluent("--from-file", str(dump), *into(server))
    assert result.exit_code == 1
    assert f"error: {dump} line 23: neither" in result.output
    assert call(server, "GET", "/subjects/orders-value/versions")[0] == 404
    assert ok(server, "GET", "/config") == {"compatibilityLevel": "BACKWARD"}
