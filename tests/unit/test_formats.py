"""Formats per RFC and exact decimal multipleOf (app/core/formats)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, validators

from app.core.formats import DIALECT_FORMATS, format_checker, is_multiple_of, multiple_of

SUITE = Path(__file__).resolve().parents[1] / "data" / "json-schema-test-suite-format"
SUITE_DRAFTS = {
    "draft-04": "draft4",
    "draft-06": "draft6",
    "draft-07": "draft7",
    "2019-09": "draft2019-09",
    "2020-12": "draft2020-12",
}
# Cases per draft in the suite's optional/format files: guards against reading nothing.
SUITE_SIZES = {"draft-04": 219, "draft-06": 325, "draft-07": 676, "2019-09": 757, "2020-12": 764}

LONG_LABEL = "a" * 63
# fmt: off
# Per format: strings valid per its RFC, then strings invalid per its RFC (2020-12 dialect).
CASES: dict[str, tuple[list[str], list[str]]] = {
    "date-time": (
        ["1985-04-12T23:20:50.52Z", "1996-12-19T16:39:57-08:00", "1937-01-01T12:00:27.87+00:20",
         "2020-02-29T00:00:00Z", "1963-06-19t08:30:06z", "2021-01-01T00:00:00-00:00"],
        ["2021-13-01T00:00:00Z", "2021-01-32T00:00:00Z", "2021-02-30T00:00:00Z",
         "2021-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2021-01-01T00:00:00",
         "2021-01-01 00:00:00Z", "2021-01-01T00:00Z", "2021-01-01T00:00:00.Z",
         "1990-12-31T15:59:59-24:00", "2013-350T01:01:01"],
    ),
    "date": (
        ["1963-06-19", "2020-02-29", "2000-02-29", "0000-01-01", "9999-12-31", "2021-04-30"],
        ["2021-02-29", "1900-02-29", "2021-04-31", "2021-13-01", "2021-00-10", "2021-01-00",
         "21-01-01", "2021-1-01", "2021-01-01T00:00:00Z", "2021/01/01"],
    ),
    "time": (
        ["08:30:06Z", "23:20:50.52Z", "08:30:06+00:20", "12:34:56-00:00", "08:30:06z",
         "00:00:00.000001+14:00"],
        ["12:00:00", "12:00:00.52", "24:00:00Z", "00:60:00Z", "12:00Z", "01:02:03+24:00",
         "01:02:03Z+00:30", "08:30:06 PST", "01:01:01,1111"],
    ),
    "duration": (
        ["P4DT12H30M5S", "P1W", "P2W", "PT0S", "P0D", "P1Y2M3DT4H5M6S", "PT36H", "P1M"],
        ["P1Y2W", "PT", "P", "P1YT", "PT1D", "P2D1Y", "P1D2H", "PT0.5S", "-P1D", "p1d", "P1.5D"],
    ),
    "email": (
        ["joe.bloggs@example.com", '"joe bloggs"@example.com', '"joe..bloggs"@example.com',
         '"joe@bloggs"@example.com', '"a\\ b"@example.com', '"a\\"b"@example.com',
         "joe@[127.0.0.1]", "joe@[IPv6:2001:db8::1]", "user+tag@example.com",
         "!#$%&'*+-/=?^_`{|}~@example.com", "a@b", '""@example.com'],
        ["2962", "@example.com", "joe@", ".joe@example.com", "joe.@example.com",
         "jo..e@example.com", "joe bloggs@example.com", '"a"b"@example.com', '"\x01"@x.com',
         "joe@[127.0.0.300]", "joe@[::1]", "joe@[General:x]", "joe@example..com",
         "joe@-example.com", "a@@example.com", "a" * 65 + "@example.com", "\u00e9@example.com",
         "a@b.com (comment)", "joe@example.com."],
    ),
    "idn-email": (
        ["\uc2e4\ub840@\uc2e4\ub840.\ud14c\uc2a4\ud2b8", "\u03b4\u03bf\u03ba@example.com",
         '"\u03b4 \u03b4"@example.com', "\u03b4@m\u00fcnchen.de", "joe@[127.0.0.1]",
         "user@cafe\u0301.com"],
        ["2962", "\u03b4..\u03b4@example.com", ".\u03b4@example.com", "\u03b4@-b.com",
         "\u03b4@\uff21\uff22\uff23.com", "\u03b4@a\u3002b", "user\uff20example.com"],
    ),
    "hostname": (
        ["www.example.com", "hostname", "1host", "a--b.com", "EXAMPLE.COM", f"{LONG_LABEL}.com",
         "xn--mnchen-3ya.de", ".".join([LONG_LABEL] * 3 + ["a" * 61])],
        ["", ".", "example.", ".example", "a..b", "-a.com", "a-.com", "a_b.com", "ab--c.com",
         "a" * 64 + ".com", ".".join([LONG_LABEL] * 3 + ["a" * 62]), "m\u00fcnchen.de",
         "xn--X"],
    ),
    "idn-hostname": (
        ["m\u00fcnchen.de", "\uc2e4\ub840.\ud14c\uc2a4\ud2b8", "example.com", "l\u00b7l",
         "xn--mnchen-3ya.de", "a\u3002b", "\u00df\u03c2\u0f0b\u3007", "EXAMPLE.com"],
        ["M\u00fcnchen.de", "\uff21\uff22\uff23.com", "a" * 64, "-hello", "hello-", "a..b",
         "example.", "\u0300hello", "0a.\u05d0", "xn--X", "\u2603.net", "a_b",
         "cafe\u0301.com"],
    ),
    "ipv4": (
        ["192.168.0.1", "0.0.0.0", "255.255.255.255", "87.10.0.1", "1.2.3.4", "10.0.0.255"],
        ["01.2.3.4", "256.1.1.1", "1.2.3", "1.2.3.4.5", "0x7f.0.0.1", "1.2.3.4\n",
         "\u0967.2.3.4", "1.2.3.-4"],
    ),
    "ipv6": (
        ["::1", "::", "1:2:3:4:5:6:7:8", "fe80::", "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4",
         "1:2:3:4:5:6:7::"],
        ["1::2::3", "12345::", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", ":1", "::1.2.3.04",
         "g::1", "[::1]", "1:2:3:4:5:6:7:1.2.3.4"],
    ),
    "uri": (
        ["http://example.com/a?b#c", "urn:isbn:0451450523", "mailto:a@b.c", "http://[::1]:80/",
         "tel:+1-816-555-1212", "file:///etc/passwd", "http://a/%E2%82%AC"],
        ["/relative", "http://exa mple.com", "http://ex%zzample.com", "http://[::1/",
         "1http://a", "http://\u00e4.com", "http://a/#f#g", "http://a/b^c", "http://a/?q[]=1"],
    ),
    "uri-reference": (
        ["/relative", "#frag", "", "?q", "//host/p", "../a/b", "./a:b", "%41"],
        ["\\\\WINDOWS\\fileshare", "a b", "%zz", "%4", "#f#", "http://a b"],
    ),
    "iri": (
        ["http://\u00fc.de/\u00f6?\u00e4#\u00df", "http://[::1]/\u00fc",
         "http://a/?\ue000", "http://a/\U0001f600", "urn:example:\u00e9", "http://a/\u00a0"],
        ["/rel", "http://a b", "http://a/\ue000", "http://a/\ufffd", "http://a/\u200e",
         "\u00fc:x", "http://a/%zz"],
    ),
    "iri-reference": (
        ["\u00fc/\u00f6", "//\u00fc/\u00f6", "?\u00e4", "#\u00e4", "", "/\u00fc"],
        ["a b", "#\ue000", "%zz", "\\\\WINDOWS", "\u00fc\u202eb", "#f#g"],
    ),
    "uri-template": (
        ["http://example.com/{id}", "{+path}/x{?a,b}", "{var:3}", "{var*}", "{%41}", "",
         "{.a.b}", "{v:1000}"],
        ["http://example.com/{id", "{}", "{a b}", "x}", "{var:0}", "{var:10000}", "{%4}",
         "{a..b}", "{a,}", "{v:01}"],
    ),
    "uuid": (
        ["2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2EB8AA08-AA98-11EA-B4AA-73B441D16380",
         "00000000-0000-0000-0000-000000000000", "98d80576-482e-427f-8434-7f86890ab222",
         "99c17cbb-656f-564a-940f-1a4568f03487", "2eb8aa08-AA98-11ea-B4Aa-73B441D16380"],
        ["2eb8aa08aa9811eab4aa73b441d16380", "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
         "urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d1638",
         "2eb8aa08-aa98-11ea-b4ga-73b441d16380", "2eb8aa08-aa98-11ea-b4aa-73b441d16380\n"],
    ),
    "json-pointer": (
        ["", "/", "/foo/bar~0/baz~1/%a", "/a~0b/c~1d", "//", "/ ", "/\u00e9", "/a/0"],
        ["a", "/a~2", "/~", "#/a", "/~-1", "0"],
    ),
    "relative-json-pointer": (
        ["0", "1/a", "0#", "0/", "120/a~1b", "10/~1"],
        ["01", "-1", "1#/a", "", "0-1/a", "+1", "1##", "/a"],
    ),
    "regex": (
        ["^a+$", "(?<name>x)\\k<name>", "(?<=a+)b", "(?<!a)b", "\\p{L}", "\\cA", "[]", "[^]",
         "\\u{1F600}", "(?i:a)", "[a\\-z]", "^[\\p{L}\\p{N}]+$"],
        ["\\Z", "\\A", "(?P<name>x)", "(?P<n>a)(?P=n)", "(?i)a", "(?#c)a", "[", "a{2,1}", "a**",
         "\\a", "\\p{Nope}", "\\-", "\\b+", "]", "x++", "(?<n>a)(?<n>b)"],
    ),
}
# fmt: on


@pytest.fixture(scope="module")
def checker():
    return format_checker("2020-12")


def _cases(valid: bool):
    return [
        pytest.param(name, text, id=f"{name}:{text!r}")
        for name, (good, bad) in CASES.items()
        for text in (good if valid else bad)
    ]


@pytest.mark.parametrize(("name", "text"), _cases(valid=True))
def test_valid_strings_conform(checker, name, text):
    assert checker.conforms(text, name)


@pytest.mark.parametrize(("name", "text"), _cases(valid=False))
def test_invalid_strings_do_not_conform(checker, name, text):
    assert not checker.conforms(text, name)


# The modules of jsonschema's format extras (format-nongpl), which Eventry does not install.
EXTRAS = ["fqdn", "isoduration", "jsonpointer", "rfc3339_validator", "rfc3986_validator",
          "rfc3987_syntax", "uri_template", "webcolors"]  # fmt: skip
_VERDICTS = """
import json, sys
for name in sys.argv[1:]:
    sys.modules[name] = None  # as if not installed: importing it raises ImportError
from app.core.formats import format_checker
checker = format_checker("2020-12")
cases = json.load(sys.stdin)
print(json.dumps([[checker.conforms(t, n) for t in sum(both, [])] for n, both in cases.items()]))
"""


def test_every_format_validates_and_refuses_the_same_without_jsonschemas_format_extras():
    # A fresh install has none of them; the venv the suite runs in may still hold them.
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", _VERDICTS, *EXTRAS],
        input=json.dumps(CASES),
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=True,
    )
    expected = [[True] * len(good) + [False] * len(bad) for good, bad in CASES.values()]
    assert json.loads(done.stdout) == expected


def test_every_format_has_a_family_of_at_least_six_each_way():
    assert set(CASES) == DIALECT_FORMATS["2020-12"]
    assert all(len(good) >= 6 and len(bad) >= 6 for good, bad in CASES.values())


@pytest.mark.parametrize(
    ("name", "text", "valid"),
    [
        ("date-time", "1998-12-31T23:59:60Z", True),
        ("date-time", "1998-12-31T15:59:60.123-08:00", True),
        ("date-time", "1998-12-31t23:59:60z", True),
        ("date-time", "2016-12-31T23:59:60+00:00", True),
        ("date-time", "2017-01-01T01:29:60+01:30", True),
        ("date-time", "1998-12-31T23:59:61Z", False),
        ("date-time", "1998-12-31T23:58:60Z", False),
        ("date-time", "1998-12-31T22:59:60Z", False),
        ("date-time", "1998-12-31T23:59:60+01:00", False),
        ("date-time", "2016-12-31T24:59:60+01:00", False),
        ("date-time", "1998-12-31T23:59:60", False),
        ("time", "23:59:60Z", True),
        ("time", "15:59:60-08:00", True),
        ("time", "00:29:60-23:30", True),
        ("time", "23:59:61Z", False),
        ("time", "23:59:60+01:00", False),
        ("time", "23:59:60", False),
    ],
)
def test_leap_seconds(checker, name, text, valid):
    # RFC 3339 section 5.7: second 60 is a leap second, which only ever falls at 23:59:60 UTC.
    assert checker.conforms(text, name) is valid


@pytest.mark.parametrize("instance", [12, 13.7, True, None, [], {"a": 1}])
def test_formats_ignore_what_is_not_a_string(checker, instance):
    assert all(checker.conforms(instance, name) for name in CASES)


@pytest.mark.parametrize(
    ("dialect", "name", "text", "asserted"),
    [
        ("draft-04", "uri-reference", "\\\\WINDOWS", False),
        ("draft-06", "uri-reference", "\\\\WINDOWS", True),
        ("draft-06", "regex", "(?P<n>x)", False),
        ("draft-07", "regex", "(?P<n>x)", True),
        ("draft-06", "idn-email", "2962", False),
        ("draft-07", "idn-email", "2962", True),
        ("draft-07", "duration", "PT", False),
        ("draft-07", "uuid", "nope", False),
        ("2019-09", "uuid", "nope", True),
        ("2020-12", "color", "nope", False),
    ],
)
def test_a_format_the_dialect_does_not_define_is_an_annotation(dialect, name, text, asserted):
    assert format_checker(dialect).conforms(text, name) is not asserted


def test_the_dialects_define_growing_sets_of_formats():
    names = ["draft-04", "draft-06", "draft-07", "2019-09", "2020-12"]
    assert all(DIALECT_FORMATS[a] <= DIALECT_FORMATS[b] for a, b in itertools.pairwise(names))
    assert DIALECT_FORMATS["draft-04"] == {"date-time", "email", "hostname", "ipv4", "ipv6", "uri"}
    assert DIALECT_FORMATS["2020-12"] - DIALECT_FORMATS["draft-07"] == {"duration", "uuid"}
    with pytest.raises(KeyError):
        format_checker("draft-03")


def test_the_checker_plugs_into_a_python_jsonschema_validator():
    validator = Draft202012Validator(
        {"properties": {"to": {"format": "email"}, "at": {"format": "date-time"}}},
        format_checker=format_checker("2020-12"),
    )
    assert validator.is_valid({"to": "joe@[127.0.0.1]", "at": "1998-12-31T23:59:60Z"})
    errors = list(validator.iter_errors({"to": "te..st@example.com", "at": "1998-12-31T23:59:61Z"}))
    assert sorted(e.validator for e in errors) == ["format", "format"]


def _suite_cases(dialect: str):
    for path in sorted((SUITE / SUITE_DRAFTS[dialect]).glob("*.json")):
        for group in json.loads(path.read_text(encoding="utf-8")):
            for case in group["tests"]:
                yield path.stem, group["schema"]["format"], case


@pytest.mark.parametrize("dialect", list(SUITE_DRAFTS))
def test_agrees_with_every_optional_format_case_of_the_test_suite(dialect):
    checker = format_checker(dialect)
    cases = list(_suite_cases(dialect))
    disagreements = [
        f"{stem}: {case['data']!r} should be {'valid' if case['valid'] else 'invalid'}"
        for stem, name, case in cases
        if checker.conforms(case["data"], name) is not case["valid"]
    ]
    assert disagreements == []
    assert len(cases) == SUITE_SIZES[dialect]
    # Every format the dialect defines has suite cases, so the agreement covers all of them.
    assert DIALECT_FORMATS[dialect] <= {name for _, name, _ in cases}


MULTIPLES = [
    (4.02, 0.01, True),
    (0.7, 0.1, True),
    (19.99, 0.01, True),
    (0.3, 0.1, True),
    (1e308, 0.5, True),
    (0.75, 0.1, False),
    (-4.02, 0.01, True),
    (-0.75, 0.1, False),
    (-12, 4, True),
    (0, 0.1, True),
    (0.0, 7, True),
    (-0.0, 0.5, True),
    (12, 3, True),
    (10, 3, False),
    (7, 0.5, True),
    (4.5, 1.5, True),
    (4.5, 2, False),
    (1e-7, 1e-8, True),
    (3e-7, 1e-7, True),
    (1.1e-7, 1e-8, True),
    (1e-7, 3e-8, False),
    (1e20, 3, False),
    (2**53 + 1, 2, False),
    (10**40, 10**20, True),
    (10**40 + 1, 10**20, False),
    (123456789012345678901234567890, 10, True),
    (5e-324, 5e-324, True),
]


@pytest.mark.parametrize(("value", "divisor", "expected"), MULTIPLES)
def test_is_multiple_of_reads_numbers_as_exact_decimals(value, divisor, expected):
    assert is_multiple_of(value, divisor) is expected


@pytest.mark.parametrize(("value", "divisor"), [(True, 1), (1, True), ("4", 2), (4, None)])
def test_is_multiple_of_refuses_what_is_not_a_json_number(value, divisor):
    with pytest.raises(TypeError):
        is_multiple_of(value, divisor)


@pytest.mark.parametrize("divisor", [0, 0.0, -0.5, float("nan"), float("inf")])
def test_is_multiple_of_needs_a_finite_divisor_above_zero(divisor):
    with pytest.raises(ValueError):
        is_multiple_of(1, divisor)


def test_an_infinite_or_nan_value_is_no_multiple():
    assert not is_multiple_of(float("inf"), 1)
    assert not is_multiple_of(float("nan"), 1)


ExactValidator = validators.extend(Draft202012Validator, {"multipleOf": multiple_of})


@pytest.mark.parametrize(
    ("instance", "divisor", "message"),
    [
        (0.75, 0.1, "0.75 is not a multiple of 0.1"),
        (1e-7, 3e-8, "1e-7 is not a multiple of 3e-8"),
        (10, 4.0, "10 is not a multiple of 4"),
        (2**53 + 1, 2, "9007199254740993 is not a multiple of 2"),
    ],
)
def test_the_keyword_speaks_json(instance, divisor, message):
    errors = list(ExactValidator({"multipleOf": divisor}).iter_errors(instance))
    assert [error.message for error in errors] == [message]
    assert errors[0].validator == "multipleOf"


@pytest.mark.parametrize("instance", [4.02, -19.99, 0, True, False, "0.75", None, [0.75]])
def test_the_keyword_passes_multiples_and_what_is_not_a_number(instance):
    assert ExactValidator({"multipleOf": 0.01}).is_valid(instance)


@pytest.mark.parametrize("host", ["A.XN--3E0B707E", "Example.COM", "xn--3E0B707E", "EXAMPLE"])
def test_host_names_are_case_insensitive(host):
    # RFC 4343, and RFC 5890 section 2.3.2.1 for the "xn--" prefix (found by the property tests).
    checker = format_checker("2020-12")
    assert checker.conforms(host, "hostname")
    assert checker.conforms(f"someone@{host}", "email")
    assert not checker.conforms(f"someone@{host}\u0130", "email")
