"""Confluent's case rules, as its source reads the words (app/core/confluent_words.py):
compatibility levels and modes in any case, version ids trimmed, ``latest`` in any case, an
optional sign and leading zeros; and the errors of modes name the subject the client used."""

import pytest

from tests.functional.confluent.conftest import (
    ADMIN,
    V1_SCHEMA,
    V2_SCHEMA,
    fails,
    ok,
    register,
    registered,
)

LEVEL_SPELLINGS = [
    ("full", "FULL"),
    ("Full", "FULL"),
    ("backward_transitive", "BACKWARD_TRANSITIVE"),
    ("nOnE", "NONE"),
    ("forward_TRANSITIVE", "FORWARD_TRANSITIVE"),
]


@pytest.mark.parametrize(("sent", "level"), LEVEL_SPELLINGS)
def test_levels_are_read_in_any_case(client, sent, level):
    registered(client, "orders-value", V1_SCHEMA)
    for url in ("/ccompat/config", "/ccompat/config/orders-value", "/ccompat/config/later-value"):
        assert ok(client.put(url, json={"compatibility": sent}, headers=ADMIN)) == {
            "compatibility": level
        }
        assert ok(client.get(url)) == {"compatibilityLevel": level}
        body = {"compatibilityLevel": sent}
        assert ok(client.put(url, json=body, headers=ADMIN)) == {"compatibility": level}


@pytest.mark.parametrize("sent", ["FULL ", " FULL", "FULL_", "FUL", "", "NONE\t", 1, True])
def test_other_levels_are_42203(client, sent):
    for url in ("/ccompat/config", "/ccompat/config/later-value"):
        fails(client.put(url, json={"compatibility": sent}, headers=ADMIN), 422, 42203)
    assert ok(client.get("/ccompat/config")) == {"compatibilityLevel": "BACKWARD"}


@pytest.mark.parametrize(
    ("sent", "mode"),
    [("readonly", "READONLY"), ("ReadWrite", "READWRITE"), ("import", "IMPORT")],
)
def test_modes_are_read_in_any_case(client, sent, mode):
    registered(client, "orders-value", V1_SCHEMA)
    for url in ("/ccompat/mode/orders-value", "/ccompat/mode/later-value", "/ccompat/mode"):
        answer = ok(client.put(f"{url}?force=true", json={"mode": sent}, headers=ADMIN))
        assert answer == {"mode": mode}
        assert ok(client.get(url)) == {"mode": mode}
    ok(client.put("/ccompat/mode", json={"mode": "READWRITE"}, headers=ADMIN))


@pytest.mark.parametrize("sent", ["READONLY_OVERRIDE", "forward", "READ ONLY", " IMPORT", 0, None])
def test_other_modes_are_42204(client, sent):
    for url in ("/ccompat/mode", "/ccompat/mode/later-value"):
        fails(client.put(url, json={"mode": sent}, headers=ADMIN), 422, 42204)
    assert ok(client.get("/ccompat/mode")) == {"mode": "READWRITE"}


def short(version: str) -> str:
    """A test id for a version id: long runs of digits by their start and length."""
    return version if len(version) < 20 else f"{version[:3]}…({len(version)})"


# Spellings of version 2 (the latest), as Confluent's VersionId reads them.
LATEST = ["latest", "LATEST", "Latest", "-1", " latest", "latest%20"]
# Leading zeros count for nothing, however many (as Integer.parseInt); past 4,300 digits
# Python's int() refuses a text with an error: the length is looked at first.
TWO = ["2", "+2", "02", "%202", "2%20", "00000000002", "0" * 5000 + "2"]


@pytest.mark.parametrize(
    "version",
    LATEST + TWO,
    ids=short,
)
def test_version_ids_are_read_as_confluent_reads_them(client, version):
    registered(client, "orders-value", V1_SCHEMA)
    registered(client, "orders-value", V2_SCHEMA)
    base = "/ccompat/subjects/orders-value/versions"
    assert ok(client.get(f"{base}/{version}"))["version"] == 2
    assert client.get(f"{base}/{version}/schema").status_code == 200
    check = f"/ccompat/compatibility/subjects/orders-value/versions/{version}"
    assert ok(client.post(check, json={"schema": V2_SCHEMA})) == {"is_compatible": True}
    assert ok(client.get(f"{base}/{version}/referencedby")) == []


@pytest.mark.parametrize(
    "version",
    [
        *["0", "-2", "-0", "1.0", "2147483648", "99999999999", "two", "lat est", "0x2", "²"],
        *["9" * 5000, "1" * 11, "-" + "0" * 5000 + "2", "0" * 5000],
    ],
    ids=short,
)
def test_other_version_ids_are_42202(client, version):
    registered(client, "orders-value", V1_SCHEMA)
    base = "/ccompat/subjects/orders-value/versions"
    message = fails(client.get(f"{base}/{version}"), 422, 42202)
    assert "is not a valid version id" in message
    fails(client.delete(f"{base}/{version}", headers=ADMIN), 422, 42202)
    check = f"/ccompat/compatibility/subjects/orders-value/versions/{version}"
    fails(client.post(check, json={"schema": V2_SCHEMA}), 422, 42202)


def test_the_largest_version_id_is_valid_and_missing(client):
    registered(client, "orders-value", V1_SCHEMA)
    fails(client.get("/ccompat/subjects/orders-value/versions/2147483647"), 404, 40402)


# --- the errors of modes name the subject the client used ---


@pytest.mark.parametrize("subject", ["orders-value", "OrderPlaced", ":.orders:orders-value"])
def test_mode_errors_name_the_subject_not_the_event_type(client, subject):
    ok(client.post("/api/v1/teams", json={"slug": "t", "name": "T"}, headers=ADMIN), 201)
    domain = {"slug": "orders", "name": "Orders", "owner": "t"}
    ok(client.post("/api/v1/domains", json=domain, headers=ADMIN), 201)
    registered(client, subject, V1_SCHEMA)
    mode = f"/ccompat/mode/{subject}"
    assert f"Subject '{subject}' does not have subject-level mode" in fails(
        client.get(mode), 404, 40409
    )
    refused = fails(client.put(mode, json={"mode": "IMPORT"}, headers=ADMIN), 422, 42205)
    assert f"subject {subject} " in refused
    other = register(client, subject, V2_SCHEMA, id=900, version=5)
    assert fails(other, 422, 42205).startswith(f"Subject {subject} is not in import mode")

    ok(client.put(mode, json={"mode": "READONLY"}, headers=ADMIN))
    readonly = f"Subject {subject} is in read-only mode"
    assert fails(register(client, subject, V2_SCHEMA), 422, 42205) == readonly
    url = f"/ccompat/subjects/{subject}"
    assert fails(client.delete(url, headers=ADMIN), 422, 42205) == readonly
    assert fails(client.delete(f"{url}/versions/1", headers=ADMIN), 422, 42205) == readonly
    assert f"Subject '{subject}' does not have subject-level compatibility" in fails(
        client.get(f"/ccompat/config/{subject}"), 404, 40408
    )
