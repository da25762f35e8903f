"""A schemas-as-code tree keeps what the Confluent door stores: subjects bound to event types,
modes and compatibility groups, and per version its GUID, references, metadata and rule set.
A version with references is checked with the documents of the versions of the tree they name;
the writer writes back what the reader read."""

import json
from pathlib import Path

from app.core.tree import CatalogSpec
from app.services.tree_reader import read_tree
from app.services.tree_writer import write_tree
from tests.unit.test_tree_reader import write_tree as write_files

GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
CUSTOMER = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
ORDER = {"type": "object", "properties": {"customer": {"$ref": "customer.json"}}}
TREE = {
    "registry.yaml": """
mode: READONLY
compatibility_group: major
teams:
  - {slug: crm, name: CRM}
""",
    "customers/domain.yaml": "name: Customers\nowner: crm\n",
    "orders/domain.yaml": "name: Orders\nowner: crm\n",
    "customers/Customer/event.yaml": f"""
subjects: [customers-value]
mode: IMPORT
compatibility_group: application.major.version
versions:
  - version: 1
    guid: {GUID}
    metadata: {{properties: {{owner: crm}}}}
    rule_set: {{domainRules: []}}
""",
    "customers/Customer/v1.json": json.dumps(CUSTOMER),
    # The referencing event comes first in the tree's order: it is checked after its target.
    "aaa/domain.yaml": "name: A\nowner: crm\n",
    "aaa/OrderRefunded/event.yaml": """
versions:
  - version: 1
    references:
      - {name: customer.json, subject: customers-value, version: 1}
""",
    "aaa/OrderRefunded/v1.json": json.dumps(ORDER),
}


def test_references_resolve_to_versions_of_the_tree_by_subject(tmp_path: Path):
    catalog, problems = read_tree(write_files(tmp_path, TREE))
    assert problems == []
    assert (catalog.mode, catalog.compatibility_group) == ("READONLY", "major")
    events = {event.ref: event for event in catalog.events}
    customer, order = events["customers.Customer"], events["aaa.OrderRefunded"]
    assert (customer.subjects, customer.mode) == (("customers-value",), "IMPORT")
    assert customer.compatibility_group == "application.major.version"
    version = customer.versions[0]
    assert (version.guid, version.metadata, version.rule_set) == (
        GUID,
        {"properties": {"owner": "crm"}},
        {"domainRules": []},
    )
    document = order.versions[0].document
    assert document is not None
    assert [r.name for r in document.references] == ["customer.json"]
    assert document.references[0].document.raw == CUSTOMER


def test_a_direct_subject_needs_no_binding(tmp_path: Path):
    direct = {
        **TREE,
        "aaa/OrderRefunded/event.yaml": """
versions:
  - version: 1
    references: [{name: customer.json, subject: customers.Customer, version: 1}]
""",
    }
    _, problems = read_tree(write_files(tmp_path, direct))
    assert problems == []


def test_a_reference_to_what_the_tree_lacks_is_a_problem_naming_it(tmp_path: Path):
    missing = {
        **TREE,
        "aaa/OrderRefunded/event.yaml": """
versions:
  - version: 1
    references: [{name: customer.json, subject: customers-value, version: 4}]
""",
    }
    _, problems = read_tree(write_files(tmp_path, missing))
    assert [p.path for p in problems] == ["aaa/OrderRefunded/event.yaml"]
    assert "customers-value version 4, which is not in the tree" in problems[0].message


def test_references_that_lead_back_are_a_problem(tmp_path: Path):
    looped = {
        **TREE,
        "customers/Customer/event.yaml": """
subjects: [customers-value]
versions:
  - version: 1
    references: [{name: order.json, subject: aaa.OrderRefunded, version: 1}]
""",
    }
    _, problems = read_tree(write_files(tmp_path, looped))
    assert any("lead back" in p.message for p in problems), problems


def test_a_subject_is_bound_to_one_event_only(tmp_path: Path):
    twice = {
        **TREE,
        "aaa/OrderRefunded/event.yaml": "subjects: [customers-value]\n",
        "aaa/OrderRefunded/v1.json": json.dumps({"type": "object"}),
    }
    _, problems = read_tree(write_files(tmp_path, twice))
    assert any("bound to" in p.message for p in problems), problems


def test_the_writer_writes_back_what_the_reader_read(tmp_path: Path):
    catalog, problems = read_tree(write_files(tmp_path / "in", TREE))
    assert problems == []
    write_tree(catalog, tmp_path / "out")
    again, problems = read_tree(tmp_path / "out")
    assert problems == []
    assert _comparable(again) == _comparable(catalog)
    written = (tmp_path / "out/customers/Customer/event.yaml").read_text()
    assert f"guid: {GUID}" in written and "rule_set:" in written


def _comparable(catalog: CatalogSpec):
    return (
        catalog.mode,
        catalog.compatibility_group,
        [
            (
                e.ref,
                e.subjects,
                e.mode,
                e.compatibility_group,
                [(v.number, v.guid, v.references, v.metadata, v.rule_set) for v in e.versions],
            )
            for e in catalog.events
        ],
    )
