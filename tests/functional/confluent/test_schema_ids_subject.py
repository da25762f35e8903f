"""``subject`` and ``format`` on ``GET /schemas/ids/{id}``, as Confluent reads them: the subject
names the version the id is read as (its subject and version join the answer); a subject in a
context must use the id (else 40403); another subject falls back to any use; ``format`` changes
nothing for JSON Schema (Confluent's JsonSchema.formattedString answers the canonical form)."""

from tests.functional.confluent.conftest import ADMIN, V1_SCHEMA, fails, ok, registered, schema


def test_a_subject_using_the_id_is_the_version_read(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    registered(client, "skus-value", V1_SCHEMA)
    url = f"/ccompat/schemas/ids/{first['id']}"
    plain = ok(client.get(url))
    assert "subject" not in plain and "version" not in plain
    read = ok(client.get(f"{url}?subject=skus-value"))
    assert (read["subject"], read["version"]) == ("skus-value", 1)
    assert {k: v for k, v in read.items() if k not in ("subject", "version")} == plain
    # A subject that does not use it (in the default context): any use, as Confluent's fallback.
    other = ok(client.get(f"{url}?subject=nobody-value"))
    assert (other["subject"], other["version"]) in {("orders-value", 1), ("skus-value", 1)}
    assert ok(client.get(f"{url}?subject=%20"))["id"] == first["id"]


def test_a_subject_in_a_context_must_use_the_id(client, catalogue):
    invoice = schema("Invoice", id="string")
    found = registered(client, ":.billing:Invoice", invoice, headers=ADMIN)
    url = f"/ccompat/schemas/ids/{found['id']}"
    read = ok(client.get(f"{url}?subject=:.billing:Invoice"))
    assert (read["subject"], read["version"]) == (":.billing:Invoice", 1)
    for subject in (":.orders:OrderPlaced", ":.billing:Other", ":.nowhere:x"):
        message = fails(client.get(f"{url}?subject={subject}"), 404, 40403)
        assert subject in message
        fails(client.get(f"{url}/schema?subject={subject}"), 404, 40403)
    assert client.get(f"{url}/schema?subject=:.billing:Invoice").status_code == 200


def test_format_changes_nothing_for_json_schema(client):
    found = registered(client, "orders-value", V1_SCHEMA)
    url = f"/ccompat/schemas/ids/{found['id']}"
    plain = ok(client.get(url))
    for fmt in ("resolved", "serialized", "default", "", "whatever"):
        assert ok(client.get(f"{url}?format={fmt}")) == plain
        assert (
            client.get(f"{url}/schema?format={fmt}").get_data()
            == client.get(f"{url}/schema").get_data()
        )


def test_the_version_read_is_revalidated_and_follows_the_subjects_newest_use(client):
    first = registered(client, "orders-value", V1_SCHEMA)
    url = f"/ccompat/schemas/ids/{first['id']}"
    plain = client.get(url)
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    read = client.get(f"{url}?subject=orders-value")
    assert read.headers["Cache-Control"] == "no-cache"
    assert (read.json["subject"], read.json["version"]) == ("orders-value", 1)
    again = client.get(
        f"{url}?subject=orders-value", headers={"If-None-Match": read.headers["ETag"]}
    )
    assert again.status_code == 304
    # the same content registered again after a soft delete is version 2 of the subject
    ok(client.delete("/ccompat/subjects/orders-value/versions/1", headers=ADMIN))
    assert registered(client, "orders-value", V1_SCHEMA) == {**first, "version": 2}
    newer = client.get(
        f"{url}?subject=orders-value", headers={"If-None-Match": read.headers["ETag"]}
    )
    assert (newer.status_code, newer.json["version"]) == (200, 2)
