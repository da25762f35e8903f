"""EventBridge event patterns, one test per operator, each from the EventBridge documentation
("Comparison operators for use in event patterns", "Content filtering in Amazon EventBridge
event patterns") or, where the documentation is silent, from aws/event-ruler's README."""

from __future__ import annotations

import copy

import pytest

from app.core.routing import Grammar, match_rule

# The example event of the EventBridge content-filtering page and of event-ruler's README.
EVENT = {
    "version": "0",
    "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "012345679012",
    "time": "2017-10-02T16:24:49Z",
    "region": "us-east-1",
    "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
    "detail": {
        "c-count": 5,
        "d-count": 3,
        "x-limit": 301.8,
        "source-ip": "10.0.0.33",
        "instance-id": "i-000000aaaaaa00000",
        "state": "running",
    },
}


def matches(pattern, event=EVENT) -> bool:
    return match_rule(pattern, event, Grammar.EVENTBRIDGE).matched


def with_detail(**changes):
    event = copy.deepcopy(EVENT)
    event["detail"].update(changes)
    return event


def test_exact_values_and_any_of_several():
    assert matches({"source": ["aws.ec2", "aws.fargate"]})
    assert matches({"detail": {"state": ["initializing", "running"]}})
    assert not matches({"detail": {"state": ["stopped"]}})
    # Matching is case-sensitive and exact to the character.
    assert not matches({"source": ["AWS.EC2"]})


def test_numbers_match_by_value_and_never_match_strings():
    assert matches({"detail": {"c-count": [5]}})
    assert matches({"detail": {"x-limit": [3.018e2]}})
    assert matches({"detail": {"c-count": [5.0]}})
    assert not matches({"detail": {"c-count": ["5"]}})


def test_null_booleans_and_empty_strings_match_only_themselves():
    event = with_detail(lastName="", middleName=None, active=True)
    assert matches({"detail": {"middleName": [None]}}, event)
    assert matches({"detail": {"lastName": [""]}}, event)
    assert matches({"detail": {"active": [True]}}, event)
    assert not matches({"detail": {"active": ["true"]}}, event)
    assert not matches({"detail": {"lastName": [None]}}, event)
    # null does not match a missing field: only exists false does.
    assert not matches({"detail": {"nickname": [None]}}, event)


def test_arrays_match_if_any_element_matches():
    event = with_detail(tags=["blue", "green"])
    assert matches(
        {"resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"]}
    )
    assert matches({"detail": {"tags": ["green", "red"]}}, event)
    assert not matches({"detail": {"tags": ["red"]}}, event)


def test_objects_in_arrays_match_within_one_element():
    event = {
        "employees": [
            {"firstName": "John", "lastName": "Doe"},
            {"firstName": "Anna", "lastName": "Smith"},
        ]
    }
    assert matches({"employees": {"firstName": ["Anna"]}}, event)
    assert matches({"employees": {"firstName": ["Anna"], "lastName": ["Smith"]}}, event)
    assert not matches({"employees": {"firstName": ["Anna"], "lastName": ["Doe"]}}, event)


def test_prefix():
    assert matches({"time": [{"prefix": "2017-10-02"}]})
    assert not matches({"time": [{"prefix": "2018"}]})
    assert not matches({"detail": {"c-count": [{"prefix": "5"}]}})  # strings only


def test_prefix_and_suffix_ignoring_case():
    assert matches({"source": [{"prefix": {"equals-ignore-case": "AWS."}}]})
    assert matches({"source": [{"suffix": {"equals-ignore-case": "EC2"}}]})
    assert not matches({"source": [{"prefix": "AWS."}]})


def test_suffix():
    event = with_detail(FileName="photo.png")
    assert matches({"detail": {"FileName": [{"suffix": ".png"}]}}, event)
    assert not matches({"detail": {"FileName": [{"suffix": ".PNG"}]}}, event)


def test_equals_ignore_case():
    assert matches(
        {"detail-type": [{"equals-ignore-case": "ec2 instance state-change notification"}]}
    )
    assert not matches({"detail-type": [{"equals-ignore-case": "ec2 instance"}]})


def test_wildcard_with_stars_and_escapes():
    event = with_detail(EventBusArn="arn:aws:events:us-east-1:123456789012:event-bus/myBus*")
    assert matches(
        {"detail": {"EventBusArn": [{"wildcard": "arn:aws:events:us-east-1:*:event-bus/*"}]}}, event
    )
    assert matches({"detail": {"EventBusArn": [{"wildcard": "*myBus\\*"}]}}, event)
    assert not matches({"detail": {"EventBusArn": [{"wildcard": "*myBus\\*x"}]}}, event)
    assert matches({"source": [{"wildcard": "aws.*"}]})
    assert matches({"source": [{"wildcard": "*"}]})
    assert not matches({"source": [{"wildcard": "aws."}]})  # no star: the whole text


def test_anything_but_value_and_list():
    assert matches({"detail": {"state": [{"anything-but": "initializing"}]}})
    assert not matches({"detail": {"state": [{"anything-but": "running"}]}})
    assert not matches({"detail": {"state": [{"anything-but": ["stopped", "running"]}]}})
    assert matches({"detail": {"x-limit": [{"anything-but": [100, 200, 300]}]}})
    assert not matches({"detail": {"c-count": [{"anything-but": 5}]}})
    # A number is not excluded by strings, a missing field never matches anything-but.
    assert matches({"detail": {"c-count": [{"anything-but": "5"}]}})
    assert not matches({"detail": {"nothing": [{"anything-but": "x"}]}})


def test_anything_but_prefix_suffix_ignore_case_and_wildcard():
    assert not matches({"detail": {"state": [{"anything-but": {"prefix": "run"}}]}})
    assert matches({"detail": {"state": [{"anything-but": {"prefix": ["init", "error"]}}]}})
    assert not matches({"detail": {"instance-id": [{"anything-but": {"suffix": "00000"}}]}})
    assert not matches({"detail": {"state": [{"anything-but": {"equals-ignore-case": "RUNNING"}}]}})
    assert matches({"detail": {"state": [{"anything-but": {"equals-ignore-case": ["Stopped"]}}]}})
    event = with_detail(FilePath="/usr/lib/x.so")
    assert not matches({"detail": {"FilePath": [{"anything-but": {"wildcard": "*/lib/*"}}]}}, event)
    assert matches({"detail": {"FilePath": [{"anything-but": {"wildcard": "*/bin/*"}}]}}, event)


def test_anything_but_on_arrays_matches_if_any_element_is_not_excluded():
    event = with_detail(tags=["rugby", "baseball"])
    assert matches({"detail": {"tags": [{"anything-but": ["rugby", "tennis"]}]}}, event)
    assert not matches({"detail": {"tags": [{"anything-but": ["rugby", "baseball"]}]}}, event)


def test_numeric_ranges_and_equals():
    assert matches(
        {
            "detail": {
                "c-count": [{"numeric": [">", 0, "<=", 5]}],
                "d-count": [{"numeric": ["<", 10]}],
            }
        }
    )
    assert matches({"detail": {"x-limit": [{"numeric": ["=", 3.018e2]}]}})
    assert not matches({"detail": {"c-count": [{"numeric": [">", 5]}]}})
    assert matches({"detail": {"c-count": [{"numeric": [">=", 5]}]}})
    assert not matches({"detail": {"state": [{"numeric": [">", 0]}]}})  # JSON numbers only


def test_cidr_ipv4_and_ipv6():
    assert matches({"detail": {"source-ip": [{"cidr": "10.0.0.0/24"}]}})
    assert not matches({"detail": {"source-ip": [{"cidr": "10.0.1.0/24"}]}})
    event = with_detail(**{"source-ip": "2001:db8::ff"})
    assert matches({"detail": {"source-ip": [{"cidr": "2001:db8::/64"}]}}, event)
    assert not matches({"detail": {"source-ip": [{"cidr": "10.0.0.0/8"}]}}, event)


def test_exists_true_and_false():
    assert matches({"detail": {"state": [{"exists": True}]}})
    assert not matches({"detail": {"c-count": [{"exists": False}]}})
    assert matches({"detail": {"e-count": [{"exists": False}]}})
    # exists false holds when the parent object is missing altogether.
    assert matches({"nothing": {"here": [{"exists": False}]}})


def test_exists_works_on_leaf_nodes_only():
    # event-ruler's README: c-count holding an object is no leaf, so exists false matches.
    event = with_detail(**{"c-count": {"c1": 100}})
    assert matches({"detail": {"c-count": [{"exists": False}]}}, event)
    assert not matches({"detail": {"c-count": [{"exists": True}]}}, event)
    assert not matches({"detail": {"empty": [{"exists": True}]}}, with_detail(empty=[]))


def test_or_at_any_level():
    rule = {
        "source": ["aws.ec2"],
        "$or": [
            {"detail": {"state": ["stopped"]}},
            {"detail": {"c-count": [{"numeric": [">", 4]}]}},
        ],
    }
    assert matches(rule)
    nested = {"detail": {"$or": [{"state": ["stopped"]}, {"d-count": [3]}]}}
    assert matches(nested)
    failed = match_rule(
        {"detail": {"$or": [{"state": ["x"]}, {"d-count": [4]}]}}, EVENT, Grammar.EVENTBRIDGE
    )
    assert failed.mismatch.rule_pointer == "/detail/$or"
    assert "/detail/$or/0/state" in failed.mismatch.reason


def test_a_mismatch_names_the_rule_part_and_the_event_field():
    result = match_rule(
        {"source": ["aws.ec2"], "detail": {"state": ["stopped", "pending"]}},
        EVENT,
        Grammar.EVENTBRIDGE,
    )
    assert result.to_dict() == {
        "matched": False,
        "mismatch": {
            "rule_pointer": "/detail/state",
            "event_pointer": "/detail/state",
            "reason": '"running" satisfies none of its conditions '
            '(the rule wants "stopped", "pending")',
        },
        "assumed": [],
    }
    missing = match_rule({"detail": {"colour": ["red"]}}, EVENT, Grammar.EVENTBRIDGE).mismatch
    assert (missing.event_pointer, missing.reason.split(" (")[0]) == (
        "/detail/colour",
        "the field is missing",
    )


@pytest.mark.parametrize(
    "pattern",
    [
        {
            "source": ["aws.ec2"],
            "detail": {"state": ["running"], "c-count": [{"numeric": [">", 1]}]},
        },
        {"source": [{"prefix": "aws"}], "detail": {"state": [{"anything-but": "stopped"}]}},
    ],
)
def test_all_fields_must_match(pattern):
    assert matches(pattern)
    pattern = {**pattern, "region": ["eu-west-1"]}
    assert not matches(pattern)
