"""Reading a schemas-as-code tree: a good tree reads whole, every malformed file is named."""

import json
from pathlib import Path

import pytest

from app.services.tree_reader import read_tree

GOOD_TREE = {
    "registry.yaml": """
compatibility: FULL
policy: lenient
teams:
  - {slug: checkout, name: Checkout}
  - {slug: fulfilment, name: Fulfilment}
""",
    "orders/domain.yaml": """
name: Orders
owner: checkout
buses:
  - {slug: orders-events, router: eventbridge}
""",
    "orders/OrderPlaced/event.yaml": """
bus: orders-events
producer: order-service
aggregate: Order
command: PlaceOrder
versions:
  - {version: 2, note: Added currency., author: ana@example.com}
""",
    "orders/OrderPlaced/v1.json": json.dumps(
        {"type": "object", "properties": {"orderId": {"type": "string"}}}
    ),
    "orders/OrderPlaced/v2.json": json.dumps(
        {
            "type": "object",
            "properties": {"orderId": {"type": "string"}, "currency": {"type": "string"}},
        }
    ),
    "orders/OrderPlaced/samples/simple.json": '{"orderId": "ord_1"}',
    "orders/OrderPlaced/samples/invalid-number-id.json": '{"orderId": 1}',
    "orders/README.md": "ignored",
    "consumers.yaml": """
consumers:
  - name: shipment-planner
    team: fulfilment
    bus: orders-events
    event: orders.OrderPlaced
    fields: [/orderId]
    calls_back: true
""",
}


def write_tree(root: Path, files: dict[str, str | None]) -> Path:
    for relative, content in files.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def problems_of(tmp_path: Path, **changes: str | None) -> list[str]:
    files = dict(GOOD_TREE)
    for key, value in changes.items():
        files[key.replace("__", "/").replace("_DOT_", ".")] = value
    _, problems = read_tree(write_tree(tmp_path / "tree", files))
    return [str(problem) for problem in problems]


def test_a_good_tree_reads_whole(tmp_path):
    catalog, problems = read_tree(write_tree(tmp_path, GOOD_TREE))
    assert problems == []
    assert (catalog.compatibility, catalog.policy) == ("FULL", "lenient")
    assert [t.slug for t in catalog.teams] == ["checkout", "fulfilment"]
    assert [(b.slug, b.domain, b.router) for b in catalog.buses] == [
        ("orders-events", "orders", "eventbridge")
    ]
    [event] = catalog.events
    assert (event.ref, event.bus, event.command) == (
        "orders.OrderPlaced",
        "orders-events",
        "PlaceOrder",
    )
    assert [(v.number, v.note, v.author) for v in event.versions] == [
        (1, "", ""),
        (2, "Added currency.", "ana@example.com"),
    ]
    assert {(s.name, s.expect_valid) for s in event.samples} == {
        ("simple", True),
        ("invalid-number-id", False),
    }
    [consumer] = catalog.consumers
    assert (consumer.name, consumer.event, consumer.fields, consumer.calls_back) == (
        "shipment-planner",
        "orders.OrderPlaced",
        ("/orderId",),
        True,
    )


def test_a_missing_root_is_a_problem(tmp_path):
    _, problems = read_tree(tmp_path / "nowhere")
    assert [p.message for p in problems] == ["is not a folder"]


def test_a_tree_with_only_optional_files_missing_is_fine(tmp_path):
    files = {k: v for k, v in GOOD_TREE.items() if k != "consumers.yaml"}
    _, problems = read_tree(write_tree(tmp_path, files))
    assert problems == []


CASES = {
    "registry YAML syntax": (
        {"registry_DOT_yaml": "teams: [\n"},
        "registry.yaml: not valid YAML: ",
    ),
    "registry unknown key": (
        {"registry_DOT_yaml": "compatibility: BACKWARD\ncolour: blue\n"},
        'registry.yaml: Additional properties are not allowed ("colour" unexpected)',
    ),
    "registry bad level": (
        {"registry_DOT_yaml": "compatibility: SIDEWAYS\n"},
        'registry.yaml: /compatibility: "SIDEWAYS" is not one of',
    ),
    "registry not a mapping": (
        {"registry_DOT_yaml": "- just\n- a list\n"},
        'registry.yaml: ["just", "a list"] is not of type "object"',
    ),
    "duplicate team": (
        {
            "registry_DOT_yaml": "teams: [{slug: checkout, name: A}, {slug: checkout, name: B}]\n"
            "compatibility: BACKWARD\n"
        },
        "registry.yaml: team 'checkout' is declared twice",
    ),
    "domain folder not a slug": (
        {"Orders Team__domain_DOT_yaml": "name: X\nowner: checkout\n"},
        "Orders Team: a domain folder's name is its slug",
    ),
    "domain.yaml missing": (
        {"billing__Invoice__event_DOT_yaml": "{}"},
        "billing/domain.yaml: missing: every 'billing' folder needs one",
    ),
    "owner not a team": (
        {
            "orders__domain_DOT_yaml": "name: Orders\nowner: check-out\n"
            "buses: [{slug: orders-events, router: eventbridge}]\n"
        },
        "orders/domain.yaml: /owner: 'check-out' is not a team declared in registry.yaml",
    ),
    "bad router": (
        {
            "orders__domain_DOT_yaml": "name: Orders\nowner: checkout\n"
            "buses: [{slug: orders-events, router: rabbit}]\n"
        },
        'orders/domain.yaml: /buses/0/router: "rabbit" is not one of',
    ),
    "duplicate bus across domains": (
        {
            "payments__domain_DOT_yaml": "name: Payments\nowner: checkout\n"
            "buses: [{slug: orders-events, router: sns}]\n"
        },
        "bus 'orders-events' is declared already by domain 'orders'",
    ),
    "event folder not PascalCase": (
        {"orders__order-placed__event_DOT_yaml": "{}"},
        "orders/order-placed: an event folder's name is the event's PascalCase name",
    ),
    "event.yaml missing": (
        {"orders__OrderShipped__v1_DOT_json": "{}"},
        "orders/OrderShipped/event.yaml: missing: every 'OrderShipped' folder needs one",
    ),
    "unknown bus": (
        {"orders__OrderPlaced__event_DOT_yaml": "bus: order-events\n"},
        "orders/OrderPlaced/event.yaml: /bus: bus 'order-events' is not declared",
    ),
    "event.yaml wrong type": (
        {"orders__OrderPlaced__event_DOT_yaml": "deprecated: maybe\n"},
        'orders/OrderPlaced/event.yaml: /deprecated: "maybe" is not of type "boolean"',
    ),
    "version not JSON": (
        {"orders__OrderPlaced__v2_DOT_json": '{"type": "object",}'},
        "orders/OrderPlaced/v2.json: not valid JSON: ",
    ),
    "version with duplicate keys": (
        {"orders__OrderPlaced__v2_DOT_json": '{"type": "object", "type": "string"}'},
        "orders/OrderPlaced/v2.json: not valid JSON: duplicate key 'type'",
    ),
    "version gap": (
        {"orders__OrderPlaced__v4_DOT_json": "{}"},
        "orders/OrderPlaced: versions must be numbered from v1.json without gaps; missing v3.json",
    ),
    "badly named version": (
        {"orders__OrderPlaced__v01_DOT_json": "{}"},
        "orders/OrderPlaced/v01.json: version files are named v1.json, v2.json",
    ),
    "schema breaks its meta-schema": (
        {"orders__OrderPlaced__v2_DOT_json": '{"properties": {"a": {"type": "text"}}}'},
        'orders/OrderPlaced/v2.json: /properties/a/type: "text" is not valid',
    ),
    "remote reference": (
        {"orders__OrderPlaced__v2_DOT_json": '{"$ref": "https://example.com/s.json"}'},
        'orders/OrderPlaced/v2.json: /$ref: $ref "https://example.com/s.json" does not resolve',
    ),
    "notes for a missing version": (
        {"orders__OrderPlaced__event_DOT_yaml": "bus: orders-events\nversions: [{version: 7}]\n"},
        "orders/OrderPlaced/event.yaml: /versions: notes for version 7, but v7.json does not exist",
    ),
    "sample not JSON": (
        {"orders__OrderPlaced__samples__broken_DOT_json": "{orderId: 1}"},
        "orders/OrderPlaced/samples/broken.json: not valid JSON: ",
    ),
    "sample not a .json file": (
        {"orders__OrderPlaced__samples__notes_DOT_txt": "hello"},
        "orders/OrderPlaced/samples/notes.txt: samples are .json files",
    ),
    "consumer of an unknown bus, team and event": (
        {
            "consumers_DOT_yaml": "consumers:\n  - {name: x, team: nobody, bus: nowhere, "
            "event: orders.OrderLost}\n"
        },
        "consumers.yaml: /consumers/0/team: team 'nobody' is not declared in registry.yaml",
    ),
    "consumer with a bad event reference": (
        {
            "consumers_DOT_yaml": "consumers:\n"
            "  - {name: x, bus: orders-events, event: OrderPlaced}\n"
        },
        'consumers.yaml: /consumers/0/event: "OrderPlaced" does not match',
    ),
    "consumer field not a pointer": (
        {
            "consumers_DOT_yaml": "consumers:\n"
            "  - {name: x, bus: orders-events, fields: [orderId]}\n"
        },
        'consumers.yaml: /consumers/0/fields/0: "orderId" does not match',
    ),
}


@pytest.mark.parametrize(("changes", "expected"), CASES.values(), ids=CASES.keys())
def test_every_malformed_file_is_reported_with_its_path(tmp_path, changes, expected):
    problems = problems_of(tmp_path, **changes)
    assert any(problem.startswith(expected) or expected in problem for problem in problems), (
        problems
    )


def test_all_problems_are_reported_at_once(tmp_path):
    problems = problems_of(
        tmp_path,
        orders__OrderPlaced__v2_DOT_json="not json",
        orders__OrderPlaced__samples__broken_DOT_json="nor this",
        registry_DOT_yaml="policy: sloppy\nteams: [{slug: checkout, name: C}]\n",
    )
    assert len(problems) == 3


def test_a_consumer_of_unknown_things_gets_one_problem_per_reference(tmp_path):
    problems = problems_of(
        tmp_path,
        consumers_DOT_yaml="consumers:\n  - {name: x, team: nobody, bus: nowhere, "
        "event: orders.OrderLost}\n",
    )
    assert sorted(p.split(": ")[1] for p in problems) == [
        "/consumers/0/bus",
        "/consumers/0/event",
        "/consumers/0/team",
    ]


def test_rules_are_read_and_checked(tmp_path):
    rules = "rules:\n  - {id: correlation-id, kind: require-property, pointer: /correlationId}\n"
    catalog, problems = read_tree(write_tree(tmp_path / "good", {**GOOD_TREE, "rules.yaml": rules}))
    assert problems == []
    assert catalog.rules == [
        {"id": "correlation-id", "kind": "require-property", "pointer": "/correlationId"}
    ]
    broken = "rules:\n  - {id: correlation-id, kind: require-property}\n"
    _, problems = read_tree(write_tree(tmp_path / "bad", {**GOOD_TREE, "rules.yaml": broken}))
    assert [p.path for p in problems] == ["rules.yaml"]
    assert "pointer" in problems[0].message


HISTORY = """
bus: orders-events
versions:
  - {version: 1, author: ana@example.com, created_at: 2026-01-31T12:00:00Z}
  - {version: 2, author: bo@example.com, created_at: '2026-02-01T09:30:00.5+01:00',
     deleted_at: '2026-02-02T00:00:00Z', dialect: draft-07}
  - {version: 3, purged: true}
samples:
  - {name: simple, created_at: '2026-01-31T12:00:01Z'}
"""


def test_history_reads_with_times_in_one_utc_spelling(tmp_path):
    files = {**GOOD_TREE, "orders/OrderPlaced/event.yaml": HISTORY}
    catalog, problems = read_tree(write_tree(tmp_path, files))
    assert problems == []
    [event] = catalog.events
    first, second = event.versions
    assert (first.created_at, first.live) == ("2026-01-31T12:00:00Z", True)
    assert (second.created_at, second.deleted_at) == (
        "2026-02-01T08:30:00.500000Z",
        "2026-02-02T00:00:00Z",
    )
    assert (second.live, second.dialect, second.document.dialect.value) == (
        False,
        "draft-07",
        "draft-07",
    )
    assert (event.purged, event.last_version, event.live_versions) == ((3,), 3, (first,))
    assert {s.name: s.created_at for s in event.samples}["simple"] == "2026-01-31T12:00:01Z"


HISTORY_CASES = {
    "a gap is a lost file unless it is purged": (
        {"orders__OrderPlaced__v4_DOT_json": "{}"},
        "missing v3.json (a number deleted permanently is listed in event.yaml's versions "
        "with purged: true)",
    ),
    "purged but the file is there": (
        {"orders__OrderPlaced__event_DOT_yaml": "versions: [{version: 2, purged: true}]\n"},
        "orders/OrderPlaced/event.yaml: /versions: version 2 is listed as purged, but v2.json",
    ),
    "purged with a note": (
        {"orders__OrderPlaced__event_DOT_yaml": "versions: [{version: 3, purged: true, note: x}]"},
        "orders/OrderPlaced/event.yaml: /versions/0",
    ),
    "a version listed twice": (
        {"orders__OrderPlaced__event_DOT_yaml": "versions: [{version: 1}, {version: 1}]\n"},
        "orders/OrderPlaced/event.yaml: /versions: version 1 is listed twice",
    ),
    "a time without a zone": (
        {
            "orders__OrderPlaced__event_DOT_yaml": "versions: "
            "[{version: 1, created_at: '2026-01-31T12:00:00'}]\n"
        },
        "orders/OrderPlaced/event.yaml: /versions/0/created_at: ",
    ),
    "a sample listed without its file": (
        {
            "orders__OrderPlaced__event_DOT_yaml": "samples: "
            "[{name: gone, created_at: '2026-01-31T12:00:00Z'}]\n"
        },
        "orders/OrderPlaced/event.yaml: /samples: sample 'gone' is listed, but "
        "samples/gone.json does not exist",
    ),
    "a consumer's time": (
        {"consumers_DOT_yaml": "consumers:\n  - {name: x, bus: orders-events, created_at: soon}\n"},
        "consumers.yaml: /consumers/0/created_at: ",
    ),
}


@pytest.mark.parametrize(("changes", "expected"), HISTORY_CASES.values(), ids=HISTORY_CASES.keys())
def test_history_problems_are_reported_with_their_place(tmp_path, changes, expected):
    problems = problems_of(tmp_path, **changes)
    assert any(problem.startswith(expected) or expected in problem for problem in problems), (
        problems
    )
