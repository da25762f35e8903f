"""The delta forms of app/core/analysis/changes.py, actor references and several samples."""

import pytest

from app.core.analysis import classify
from app.core.schema import SchemaDocument


def _ids(result):
    return {s.id: s for s in result.signals}


def test_old_and_new_identifiers_are_a_delta():
    sample = {
        "ticketId": "tkt_8Hq2Lm4Np6",
        "oldAssigneeId": "usr_4Kd8Nq2Lw6x",
        "newAssigneeId": "usr_9Zx7Cv5Bn3m",
    }
    result = classify(samples=[sample])
    assert result.shape == "delta"
    signal = _ids(result)["old-new-identifiers"]
    assert signal.points_to == "delta" and signal.pointers == ["/oldAssigneeId"]


def test_previous_and_current_ids_in_a_pair_are_a_delta():
    sample = {"id": "1", "group": {"previous": "grp_1a2b3c4d5e", "current": "grp_9z8y7x6w5v"}}
    assert "old-new-identifiers" in _ids(classify(samples=[sample]))


def test_git_shas_stay_version_references_not_identifier_changes():
    sample = {
        "before": "6113728f27ae82c7b1a177c8d03f9e96e0adf246",
        "after": "0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c",
    }
    assert "old-new-identifiers" not in _ids(classify(samples=[sample]))


@pytest.mark.parametrize(
    "sample",
    [
        {"id": "1", "updatedFrom": {"priority": 3}, "priority": 2},  # Linear
        {"documentKey": {"_id": "1"}, "updateDescription": {"updatedFields": {"email": "x"}}},
        {"id": "35436", "tags_added": ["printer"], "tags_removed": []},  # Zendesk
        {"id": "1", "changes": {"title": {"from": "Old title"}}},  # GitHub
        {"id": "1", "previousStatus": "open", "status": "closed"},  # previousX beside X
    ],
    ids=["updatedFrom", "updateDescription", "added-removed", "changes-from", "previousX-X"],
)
def test_change_lists_are_a_delta(sample):
    result = classify(samples=[sample])
    assert result.shape == "delta"
    assert _ids(result)["delta-markers"].points_to == "delta"


def test_an_added_at_time_is_not_a_change_list():
    result = classify(samples=[{"id": "1", "addedAt": "2024-01-01T00:00:00Z"}])
    assert "delta-markers" not in _ids(result)


def test_a_rename_with_source_and_destination_is_a_delta():
    sample = {
        "api": "RenameFile",
        "sourceUrl": "https://acct.dfs.core.windows.net/c/original.txt",
        "destinationUrl": "https://acct.dfs.core.windows.net/c/new.txt",
    }
    result = classify(samples=[sample])
    assert result.shape == "delta"
    assert _ids(result)["rename"].pointers == ["/sourceUrl"]


def test_source_and_destination_without_a_rename_are_not_a_change():
    sample = {"api": "CopyBlob", "sourceUrl": "https://a/x", "destinationUrl": "https://a/y"}
    assert "rename" not in _ids(classify(samples=[sample]))


def test_a_patch_request_is_a_delta():
    sample = {
        "verb": "patch",
        "objectRef": {"resource": "pods", "name": "nginx"},
        "requestObject": {"metadata": {"labels": {"tier": "frontend"}}},
    }
    result = classify(samples=[sample])
    assert result.shape == "delta"
    assert _ids(result)["patch-request"].pointers == ["/verb"]


def test_previous_x_beside_x_with_the_same_keys_is_two_images():
    message = {"type": "message", "user": "U123ABC456", "text": "Hi", "ts": "1355517523.000005"}
    edited = {**message, "text": "Hi (edited)", "edited": {"ts": "1358878755.000001"}}
    result = classify(samples=[{"message": edited, "previous_message": message}])
    assert "full-images" in _ids(result)


def test_actor_references_are_neither_the_subject_id_nor_its_state():
    sample = {
        "orderId": "ord_9s6XKzkNRiz8i3",
        "createdBy": "usr_4Kd8Nq2Lw6x",
        "ownerId": "usr_9Zx7Cv5Bn3m",
        "sender": {"login": "octocat", "id": 1},
    }
    result = classify(samples=[sample])
    actors = _ids(result)["actor-references"]
    assert {"/createdBy", "/ownerId", "/sender/login"} <= set(actors.pointers)
    assert _ids(result)["identifier-share"].pointers == ["/orderId"]
    assert result.shape == "thin"


def test_claims_of_the_caller_do_not_make_a_notification_full():
    sample = {
        "resourceUri": "/subscriptions/s/resourcegroups/g/providers/Microsoft.Storage/a",
        "operationName": "Microsoft.Storage/storageAccounts/write",
        "status": "Succeeded",
        "claims": {"aud": "a", "iss": "i", "name": "n", "ipaddr": "1.2.3.4", "appid": "x"},
        "authorization": {"scope": "/s", "action": "write", "evidence": {"role": "Admin"}},
    }
    assert classify(samples=[sample]).shape == "thin"


def test_a_user_event_about_the_user_keeps_the_user_as_its_subject():
    user = {"id": "U1", "name": "ada", "real_name": "Ada", "tz": "Europe/London", "title": "Eng"}
    result = classify(
        samples=[{"type": "user_change", "user": {**user, "phone": "1", "email": "a@x"}}]
    )
    assert "actor-references" not in _ids(result)
    assert result.shape == "full"


def test_samples_carrying_varying_optional_fields_are_partial_updates():
    schema = {
        "type": "object",
        "required": ["id"],
        "properties": {k: {"type": "string"} for k in ("id", "name", "email", "city", "phone")},
    }
    samples = [
        {"id": "1", "name": "Ada", "email": "ada@example.com"},
        {"id": "1", "city": "Oslo"},
        {"id": "1", "phone": "+47 555 01 234"},
    ]
    result = classify(SchemaDocument.checked(schema), samples)
    assert result.shape == "delta"
    assert _ids(result)["varying-fields"].points_to == "delta"


def test_samples_lacking_required_fields_are_not_read_as_partial_updates():
    schema = {
        "type": "object",
        "required": ["id", "name", "email", "city"],
        "properties": {k: {"type": "string"} for k in ("id", "name", "email", "city")},
    }
    samples = [{"id": "1", "name": "Ada"}, {"id": "2", "email": "b@x.org", "city": "Oslo"}]
    assert "varying-fields" not in _ids(classify(SchemaDocument.checked(schema), samples))


def test_samples_that_disagree_alone_are_reported():
    samples = [
        {"id": "1", "previous_attributes": {"email": "old@example.com"}},
        {"id": "ord_9s6XKzkNRiz8i3"},
    ]
    agreement = _ids(classify(samples=samples))["sample-agreement"]
    assert agreement.weight == 0.5 and agreement.points_to is None
    assert "1 delta" in agreement.message and "1 thin" in agreement.message
