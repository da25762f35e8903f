"""Plans of a tree whose versions reference others (Confluent's references): the referenced
versions are registered first, a registration carries its references, and a registered version
whose references differ from the tree's is a conflict, as other content is."""

from dataclasses import replace

from app.core.plan import make_plan
from app.core.tree import CatalogSpec, DomainSpec, EventSpec, TeamSpec, VersionSpec
from app.core.tree_references import in_reference_order, referenced_event, used_versions

ADDRESS = {"type": "object", "properties": {"city": {"type": "string"}}}
MOVED = {"type": "object", "properties": {"to": {"$ref": "address.json"}}}
BY_DIRECT = {"name": "address.json", "subject": "customers.Address", "version": 1}
BY_BOUND = {"name": "address.json", "subject": "address-value", "version": 1}


def event(domain, name, *versions, subjects=()):
    return EventSpec(
        domain,
        name,
        f"{domain}/{name}",
        versions=tuple(
            VersionSpec(n, schema, f"v{n}.json", references=tuple(refs))
            for n, (schema, refs) in enumerate(versions, 1)
        ),
        subjects=tuple(subjects),
    )


def catalog(*events):
    return CatalogSpec(
        "BACKWARD",
        "strict",
        None,
        [TeamSpec("crm", "CRM")],
        [DomainSpec("aaa", "A", "crm"), DomainSpec("customers", "Customers", "crm")],
        [],
        list(events),
    )


MOVED_EVENT = event("aaa", "Moved", (MOVED, [BY_DIRECT]))
ADDRESS_EVENT = event("customers", "Address", (ADDRESS, []), subjects=["address-value"])


def test_a_reference_names_an_event_by_a_bound_subject_or_directly():
    events = [MOVED_EVENT, ADDRESS_EVENT]
    assert referenced_event("customers.Address", events) is ADDRESS_EVENT
    assert referenced_event("address-value", events) is ADDRESS_EVENT
    assert referenced_event("other-value", events) is None
    assert referenced_event("", events) is None
    assert used_versions(MOVED_EVENT.versions[0], events) == ["customers.Address v1"]


def test_events_come_after_what_their_versions_reference_and_keep_the_tree_order_otherwise():
    lone = event("aaa", "Lone", ({"type": "object"}, []))
    ordered = in_reference_order([MOVED_EVENT, lone, ADDRESS_EVENT])
    assert [e.ref for e in ordered] == ["customers.Address", "aaa.Moved", "aaa.Lone"]
    # two events that reference each other's versions keep the tree's order
    back = event("customers", "Address", (ADDRESS, []), ({**ADDRESS}, [BY_DIRECT]))
    other = {"name": "m.json", "subject": "aaa.Moved", "version": 1}
    mutual = [MOVED_EVENT, replace(back, versions=(back.versions[0], replace(
        back.versions[1], references=(other,))))]  # fmt: skip
    assert [e.ref for e in in_reference_order(mutual)] == ["customers.Address", "aaa.Moved"]


def test_an_empty_registry_registers_the_referenced_version_first_with_the_references():
    plan = make_plan(catalog(MOVED_EVENT, ADDRESS_EVENT), CatalogSpec())
    registered = [c for c in plan.changes if c.action == "register"]
    assert [c.target for c in registered] == ["customers.Address v1", "aaa.Moved v1"]
    assert "references" not in registered[0].details
    assert registered[1].details["references"] == [BY_DIRECT]
    assert registered[1].details["uses"] == ["customers.Address v1"]


def test_the_same_versions_with_the_same_references_need_no_change():
    tree = catalog(MOVED_EVENT, ADDRESS_EVENT)
    assert make_plan(tree, catalog(ADDRESS_EVENT, MOVED_EVENT)).empty


def test_a_registered_version_with_other_references_is_a_conflict():
    moved_by_subject = event("aaa", "Moved", (MOVED, [BY_BOUND]))
    plan = make_plan(catalog(moved_by_subject, ADDRESS_EVENT), catalog(MOVED_EVENT, ADDRESS_EVENT))
    [conflict] = plan.conflicts
    assert conflict.target == "aaa.Moved v1"
    assert "other references" in conflict.details["reason"]
    assert "address-value" in conflict.details["reason"]
    assert "customers.Address" in conflict.details["reason"]


def test_the_same_text_with_references_is_no_repeat_of_a_version_without():
    # v2 is v1's text naming a registered version: other content, registered
    address_v2 = {"type": "object", "properties": {"to": {"$ref": "address.json"}}}
    plain = event("aaa", "Moved", (address_v2, []))
    wanted = event("aaa", "Moved", (address_v2, []), (address_v2, [BY_DIRECT]))
    plan = make_plan(catalog(wanted, ADDRESS_EVENT), catalog(plain, ADDRESS_EVENT))
    assert plan.conflicts == []
    assert [c.target for c in plan.changes if c.action == "register"] == ["aaa.Moved v2"]
