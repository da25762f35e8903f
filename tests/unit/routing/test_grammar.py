"""What EventBridge refuses in an event pattern, each refusal naming the operator and the JSON
pointer (the refusals of aws/event-ruler's JsonRuleCompiler, which EventBridge runs)."""

from __future__ import annotations

import pytest

from app.core.routing import Grammar, InvalidPattern, compile_rule

CASES = [
    ([], "", None, "is a JSON object"),
    ({}, "", None, "empty objects"),
    ({"source": "aws.ec2"}, "/source", None, "must be an object or an array"),
    ({"source": []}, "/source", None, "empty arrays"),
    ({"detail": {}}, "/detail", None, "empty objects"),
    ({"source": [["a"]]}, "/source/0", None, "match values"),
    ({"source": [{"contains": "x"}]}, "/source/0/contains", "contains", "no operator 'contains'"),
    ({"source": [{"prefix": "a", "suffix": "b"}]}, "/source/0", None, "exactly one key"),
    ({"source": [{"prefix": 5}]}, "/source/0/prefix", "prefix", "takes a string"),
    (
        {"source": [{"prefix": {"wildcard": "a"}}]},
        "/source/0/prefix",
        "prefix",
        "equals-ignore-case",
    ),
    ({"a": [{"wildcard": "a**b"}]}, "/a/0/wildcard", "wildcard", "two * in a row"),
    ({"a": [{"wildcard": "a\\b"}]}, "/a/0/wildcard", "wildcard", "backslash escapes only"),
    ({"a": [{"exists": "yes"}]}, "/a/0/exists", "exists", "true or false"),
    ({"a": [{"cidr": "10.0.0.0/33"}]}, "/a/0/cidr", "cidr", "CIDR notation"),
    ({"a": [{"numeric": [">", "1"]}]}, "/a/0/numeric/1", "numeric", "takes a number"),
    ({"a": [{"numeric": ["<", 5, ">", 1]}]}, "/a/0/numeric/0", "numeric", "got '<'"),
    ({"a": [{"numeric": [">", 5, "<", 1]}]}, "/a/0/numeric", "numeric", "below its upper"),
    ({"a": [{"numeric": ["!=", 1]}]}, "/a/0/numeric/0", "numeric", "got '!='"),
    ({"a": [{"numeric": [">", True]}]}, "/a/0/numeric/1", "numeric", "takes a number"),
    (
        {"a": [{"anything-but": ["a", 1]}]},
        "/a/0/anything-but",
        "anything-but",
        "only strings or only numbers",
    ),
    ({"a": [{"anything-but": [None]}]}, "/a/0/anything-but", "anything-but", "only strings"),
    ({"a": [{"anything-but": {"exists": True}}]}, "/a/0/anything-but", "anything-but", "one of"),
    (
        {"a": [{"anything-but": {"prefix": ""}}]},
        "/a/0/anything-but/prefix",
        "anything-but",
        "must not be empty",
    ),
    (
        {"a": [{"anything-but": {"suffix": [1]}}]},
        "/a/0/anything-but/suffix",
        "anything-but",
        "list of strings",
    ),
    ({"$or": [{"a": ["x"]}]}, "/$or", "$or", "at least two"),
    ({"$or": [{"a": ["x"]}, {}]}, "/$or/1", None, "empty objects"),
    ({"a~b": {"c/d": [{"suffix": 1}]}}, "/a~0b/c~1d/0/suffix", "suffix", "takes a string"),
]


@pytest.mark.parametrize(("pattern", "pointer", "operator", "words"), CASES)
def test_refusals_name_the_operator_and_its_pointer(pattern, pointer, operator, words):
    with pytest.raises(InvalidPattern) as caught:
        compile_rule(pattern, Grammar.EVENTBRIDGE)
    error = caught.value
    assert (error.pointer, error.operator) == (pointer, operator)
    assert words in error.detail
    assert error.errors == [
        {"message": error.errors[0]["message"], "pointer": pointer, "operator": operator}
    ]


def test_every_documented_operator_compiles():
    compile_rule(
        {
            "source": ["aws.ec2", 5, None, True, ""],
            "detail": {
                "a": [{"prefix": "x"}, {"prefix": {"equals-ignore-case": "X"}}],
                "b": [{"suffix": "x"}, {"suffix": {"equals-ignore-case": "X"}}],
                "c": [{"equals-ignore-case": "x"}, {"wildcard": "x*y\\*"}],
                "d": [{"anything-but": "x"}, {"anything-but": [1, 2]}],
                "e": [{"anything-but": {"prefix": "x"}}, {"anything-but": {"suffix": ["x"]}}],
                "f": [
                    {"anything-but": {"equals-ignore-case": ["x"]}},
                    {"anything-but": {"wildcard": "*x"}},
                ],
                "g": [
                    {"numeric": [">", 0, "<=", 5]},
                    {"numeric": ["=", 3.018e2]},
                    {"numeric": ["<", 1]},
                ],
                "h": [{"exists": True}, {"exists": False}, {"cidr": "2001:db8::/32"}],
                "$or": [{"i": ["x"]}, {"j": ["y"]}],
            },
        },
        Grammar.EVENTBRIDGE,
    )
