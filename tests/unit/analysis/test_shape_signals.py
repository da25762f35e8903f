"""Per-signal tests of the shape classifier, on small hand-made payloads and schemas."""

import pytest

from app.core.analysis import classify
from app.core.schema import SchemaDocument


def _ids(result):
    return {s.id: s for s in result.signals}


def test_requires_schema_or_samples():
    with pytest.raises(ValueError):
        classify()


def test_identifier_only_payload_is_thin():
    result = classify(
        samples=[{"orderId": "ord_9s6XKzkNRiz8i3", "customer_id": "cus_9s6XKzkNRiz8i3"}]
    )
    assert result.shape == "thin"
    share = _ids(result)["identifier-share"]
    assert share.weight == 1.0 and share.points_to == "thin"
    assert set(share.pointers) == {"/orderId", "/customer_id"}


def test_prefixed_and_uuid_values_count_as_identifiers_whatever_the_name():
    result = classify(
        samples=[
            {"customer": "cus_9s6XKzkNRiz8i3", "order": "0b0e9ac6-3c9e-4f5c-9a51-2b1d7b0f2a11"}
        ]
    )
    assert _ids(result)["identifier-share"].weight == 1.0


def test_callback_links_alongside_little_else_point_to_thin():
    result = classify(samples=[{"id": "42", "href": "https://api.example.com/orders/42"}])
    links = _ids(result)["callback-links"]
    assert links.points_to == "thin" and links.pointers == ["/href"]
    assert result.shape == "thin"


def test_links_next_to_a_rich_payload_do_not_make_it_thin():
    payload = {f"attr{i}": f"value {i}" for i in range(10)}
    payload["_links"] = {"self": {"href": "https://api.example.com/x/1"}}
    result = classify(samples=[payload])
    assert result.shape == "full"
    assert _ids(result)["callback-links"].points_to is None


def test_status_only_payload_is_thin():
    result = classify(samples=[{"paymentId": "pay_123456789", "status": "FAILED"}])
    assert "status-only" in _ids(result)
    assert result.shape == "thin"


@pytest.mark.parametrize(
    "payload",
    [
        {"id": "1", "changedFields": ["email"], "email": "a@example.com"},
        {"id": "1", "previous_attributes": {"email": "old@example.com"}},
        {"id": "1", "updateMask": "email,name"},
        {"id": "1", "email": {"old": "a@example.com", "new": "b@example.com"}},
        {"id": "1", "patch": [{"op": "replace", "path": "/email", "value": "b@example.com"}]},
        {"id": "1", "ops": [{"op": "add", "path": "/tags/-", "value": "vip"}]},
    ],
)
def test_delta_markers(payload):
    result = classify(samples=[payload])
    assert result.shape == "delta"
    assert _ids(result)["delta-markers"].points_to == "delta"


def test_empty_change_list_is_not_a_delta():
    result = classify(samples=[{"recordId": "rec_123456789", "changedFields": []}])
    assert "delta-markers" not in _ids(result)


def test_merge_patch_media_type_in_schema_is_a_delta():
    schema = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "changes": {"type": "object", "contentMediaType": "application/merge-patch+json"},
        },
    }
    assert classify(SchemaDocument.checked(schema)).shape == "delta"


def test_before_after_full_images_are_full_not_delta():
    row = {"id": 1, "name": "Anne", "email": "a@example.com", "city": "Oslo"}
    result = classify(samples=[{"before": row, "after": {**row, "city": "Bergen"}, "op": "u"}])
    assert result.shape == "full"
    assert "full-images" in _ids(result)


def test_before_after_partial_images_are_a_delta():
    before = {"city": "Oslo"}
    after = {"city": "Bergen", "name": "Anne", "email": "a@example.com", "zip": "5003"}
    assert classify(samples=[{"id": "1", "before": before, "after": after}]).shape == "delta"


def test_git_shas_in_before_after_are_not_a_change_set():
    sample = {
        "ref": "refs/heads/main",
        "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
        "old": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "new": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
    }
    assert "delta-markers" not in _ids(classify(samples=[sample]))


def test_business_attributes_and_depth_make_an_event_full():
    sample = {
        "orderId": "o-1",
        "customer": {
            "name": "Ada",
            "email": "ada@example.com",
            "address": {"city": "Oslo", "zip": "0150"},
        },
        "total": 12.5,
        "currency": "EUR",
    }
    result = classify(samples=[sample])
    business = _ids(result)["business-attributes"]
    assert business.weight >= 5 and business.points_to == "full"
    assert result.shape == "full" and result.richness >= 0.6


def test_richness_grows_with_business_attributes():
    small = classify(samples=[{"id": "1", "a": 1}]).richness
    large = classify(samples=[{"id": "1", **{f"a{i}": i for i in range(12)}}]).richness
    assert 0 <= small < large <= 1


def test_schema_coverage_signal_compares_samples_with_the_schema():
    schema = {"type": "object", "properties": {f"f{i}": {"type": "string"} for i in range(10)}}
    result = classify(SchemaDocument.checked(schema), [{"f0": "x"}])
    coverage = _ids(result)["schema-coverage"]
    assert coverage.weight == pytest.approx(0.1)
    assert coverage.points_to == "delta"


def test_null_padding_is_reported_and_null_fields_do_not_count():
    sample = {
        "id": "1",
        "changedFields": ["phone"],
        "phone": "555",
        **{f"f{i}": None for i in range(8)},
    }
    result = classify(samples=[sample])
    assert "null-padding" in _ids(result)
    assert _ids(result)["business-attributes"].weight == 1
    assert any("Null values" in a for a in result.advice)


def test_envelope_metadata_never_counts_as_business_data():
    event = {
        "version": "0",
        "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": "Order Shipped",
        "source": "shop.orders",
        "account": "123456789012",
        "time": "2021-11-11T21:29:54Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {"orderId": "o-1"},
    }
    result = classify(samples=[event])
    assert result.envelope == "eventbridge"
    assert result.shape == "thin"
    assert _ids(result)["business-attributes"].weight == 0


def test_to_dict_is_json_ready():
    import json

    result = classify(samples=[{"id": "1", "status": "PAID"}])
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["signals"][0].keys() == {"id", "message", "pointers", "weight", "points_to"}
