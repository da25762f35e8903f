"""Field-level verdicts of a version diff."""

from app.core.version_diff import diff_versions as diff_documents
from app.core.version_diff import field_of
from tests.unit.compatibility.engine import doc


def diff_versions(old, new, policy):
    return diff_documents(doc(old), doc(new), policy)


V1 = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"channel": {"enum": ["web", "ios"], "description": "Where."}},
}
V2 = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "channel": {"enum": ["web", "ios", "marketplace"], "description": "Where it came from."},
        "gift": {"type": "string"},
    },
}


def verdicts(report):
    return {(row["type"], row["path"]): row["verdicts"] for row in report["differences"]}


def test_each_change_gets_the_verdict_of_its_field_in_each_direction():
    rows = verdicts(diff_versions(V1, V2, "strict"))
    assert rows[("ENUM_ARRAY_EXTENDED", "/properties/channel/enum")] == {
        "BACKWARD": True,
        "FORWARD": False,  # an old reader refuses "marketplace"
        "FULL": False,
    }
    assert rows[("DESCRIPTION_CHANGED", "/properties/channel")] == {
        "BACKWARD": True,
        "FORWARD": True,
        "FULL": True,
    }
    added = rows[("OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", "/properties/gift")]
    assert added == {"BACKWARD": True, "FORWARD": False, "FULL": False}


def test_the_levels_sum_up_the_pair():
    report = diff_versions(V1, V2, "strict")
    assert report["levels"] == {"NONE": True, "BACKWARD": True, "FORWARD": False, "FULL": False}
    same = diff_versions(V1, V1, "strict")
    assert same["differences"] == []
    assert same["levels"] == {"NONE": True, "BACKWARD": True, "FORWARD": True, "FULL": True}


def test_a_pointer_belongs_to_its_innermost_field():
    assert field_of("/properties/a/properties/b/maxLength") == "/properties/a/properties/b"
    assert field_of("/properties/a/items/properties/sku") == "/properties/a/items/properties/sku"
    assert field_of("/required/a") == ""
    assert field_of("") == ""
