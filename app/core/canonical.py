"""Canonical JSON and fingerprints: one text and one sha-256 per schema content.

Two schemas that differ only in key order, insignificant whitespace, string escaping or the
spelling of a number (``1`` / ``1.0`` / ``1e0``) get the same canonical text and fingerprint, so
the registry stores their content once and gives it one global schema id (as Confluent does).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from functools import lru_cache
from itertools import accumulate
from typing import Any

import orjson

from app.core.limits import PYTHON_MAX_DIGITS, LimitExceeded, Limits, within_depth

# Integers beyond 2**53 are kept exact: JSON Schema keywords such as enum may hold large ids, and
# folding them into floats would merge distinct schemas.
_MAX_SAFE_INTEGER = 2**53


class CanonicalJSONError(ValueError):
    """The value cannot be written as canonical JSON (NaN, infinity, or a non-JSON type)."""


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of a value: sorted keys, no whitespace, normalised numbers.

    Raises CanonicalJSONError for NaN, infinity, a non-string key or a non-JSON type."""
    fast = _fast_text(value)
    return fast if fast is not None else "".join(_write(value, "#"))


# The types orjson writes exactly as ``_write`` does (an exact type: no subclass, no float).
_PLAIN = frozenset({str, int, bool, type(None)})


def _fast_text(value: Any) -> str | None:
    """The canonical text written by orjson (Rust) where it is provably ``_write``'s, else None.

    orjson writes strings exactly as ``_string`` does (every code point outside the surrogates
    was compared), integers, booleans and null as ``_write`` does, and refuses integers beyond
    64 bits, lone surrogates and non-string keys (then ``_write`` answers). It differs in two
    places, both left to ``_write``: floats (``1.0`` where the canonical form is ``1``), found by
    one walk before writing, and the key order, by code point where RFC 8785 sorts by UTF-16
    code units; the two orders agree unless a key holds a character at or above U+E000."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind not in _PLAIN:
            return None
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return None
    return text if text.isascii() or max(text) < "\ue000" else None


def fingerprint(value: Any) -> str:
    """Return the sha-256 hex digest of the value's canonical JSON, encoded as UTF-8."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


# Deeper than this, json.loads would run out of Python's stack (a RecursionError, a 500).
HARD_MAX_DEPTH = 512
# The levels a request body adds around the events or schemas it carries ({"events": [ … ]}).
BODY_LEVELS = 4


def parse_json(text: str | bytes, limits: Limits | None = None, carries: str = "") -> Any:
    """Parse JSON strictly: duplicate keys, NaN/Infinity, overflowing numbers and lone
    surrogates (text no database or file can store) are errors.

    Before parsing, one linear scan of the text measures how deep it nests, since the parser
    itself recurses. With ``limits`` (input from a user) text deeper than the depth limit that
    ``carries`` names ("max_event_depth" for a body carrying events, "max_schema_depth" for
    one carrying schemas; the larger of the two when empty), with a few levels for the request
    around it, or an integer of more than ``max_integer_digits`` digits raises LimitExceeded.
    Without (text the registry wrote itself) only what Python cannot parse at all is refused,
    as CanonicalJSONError.

    Most texts are read by orjson (``_fast_parse``), only where its answer is provably the
    reference's (``reference_parse``); any other text, and every refused one, by the reference,
    so values and errors are the reference's."""
    fast = _fast_parse(text, limits, carries)
    return reference_parse(text, limits, carries) if fast is _SLOW else fast


def reference_parse(text: str | bytes, limits: Limits | None = None, carries: str = "") -> Any:
    """``parse_json`` by Python's json module with Eventry's checks: what answers any text
    the fast reading (``_fast_parse``) leaves, and what it is tested against."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
    # A text cannot nest deeper than it has opening brackets (those in strings included): one
    # with no more than the limit is not scanned (an event a line, a small body).
    if text.count("[") + text.count("{") > _deepest(limits, carries):
        _check_depth(nesting_depth(text), limits, carries)
    most = limits.max_integer_digits if limits else PYTHON_MAX_DIGITS
    # Python's own int() where no run of digits is longer than the limit (most texts; digits in
    # strings count too): the hook that counts digits is needed only when one is.
    long_digits = re.search(f"[0-9]{{{most + 1}}}", text) is not None
    if text.startswith("\ufeff"):  # as json.loads refuses it
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    digits = (most, limits is None) if long_digits else None
    value = _decoder(digits).decode(text)
    # A lone surrogate comes from a \\u escape or from surrogatepass decoding (which UTF-8
    # encoding refuses): a text with neither cannot hold one, and is not walked.
    if "\\u" in text or not _encodes(text):
        _reject_surrogates(value)
    return value


_SLOW = object()  # "ask the reference parser"
# orjson reads integers beyond 64 bits as floats: a text with a run of this many digits (in a
# number or a string) takes the reference parser, which keeps them exact.
_ORJSON_DIGITS = 19
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


def _fast_parse(text: str | bytes, limits: Limits | None, carries: str) -> Any:
    """The value of ``text`` read by orjson (Rust, about ten times faster), or _SLOW when the
    reference parser (``_decoder``) must answer: only a text whose value both provably read
    alike is answered here, so the answer, and every error, is the reference's.

    orjson refuses what the reference refuses (NaN/Infinity, control characters, a BOM,
    overflow to infinity, lone surrogates, invalid UTF-8, nesting past 1,024), and then the
    reference parser answers with its own error. Where they differ it is not asked: a text
    with a ``\\u`` escape (which could spell a colon or a surrogate); a run of
    ``_ORJSON_DIGITS`` digits (orjson makes integers beyond 64 bits floats; the digit limit is
    the reference's too); a text nested deeper than allowed (orjson refuses only past 1,024
    levels, safely in Rust, so the depth is measured on the parsed value by ``within_depth``;
    the reference measures the text to say how deep). Duplicate keys, which orjson accepts
    (the last wins), are found by counting colons: outside strings a colon separates exactly
    one object member, and orjson's writing of the value keeps every member and every string
    it read (colons unescaped), so the counts agree if and only if no member was lost.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if b"\\u" in data:
        return _SLOW
    most = limits.max_integer_digits if limits else PYTHON_MAX_DIGITS
    # A run of digits, found as a run of zeros once every digit is one (in C, linear).
    if b"0" * min(most + 1, _ORJSON_DIGITS) in data.translate(_DIGITS_AS_ZERO):
        return _SLOW
    try:
        value = orjson.loads(data)
        written = orjson.dumps(value)
    except (orjson.JSONDecodeError, TypeError):
        return _SLOW  # invalid UTF-8 too (a lone surrogate in a str): the reference says why
    if written.count(b":") != data.count(b":"):
        return _SLOW  # a duplicate key: the reference parser names it
    most_deep = _deepest(limits, carries)
    if data.count(b"[") + data.count(b"{") > most_deep and not within_depth(
        value, most_deep, written
    ):
        return _SLOW  # too deep: the reference measures the text and says how deep
    return value


@lru_cache(maxsize=64)
def _decoder(digits: tuple[int, bool] | None) -> json.JSONDecoder:
    # Built once: json.loads with hooks builds a decoder and its scanner on every call.
    return json.JSONDecoder(
        object_pairs_hook=_no_duplicates,
        parse_constant=_reject_constant,
        parse_float=_finite_float,
        parse_int=None if digits is None else _integer_parser(*digits),
    )


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _carried(limits: Limits, carries: str) -> str:
    if carries:
        return carries
    deeper = limits.max_event_depth >= limits.max_schema_depth
    return "max_event_depth" if deeper else "max_schema_depth"


def _deepest(limits: Limits | None, carries: str) -> int:
    # The depth a text may have: the hard bound without limits, else the limit plus the body.
    if limits is None:
        return HARD_MAX_DEPTH
    return getattr(limits, _carried(limits, carries)) + BODY_LEVELS


def _check_depth(depth: int, limits: Limits | None, carries: str) -> None:
    if limits is None:
        if depth > HARD_MAX_DEPTH:
            raise CanonicalJSONError(f"the JSON nests {depth} levels deep, over {HARD_MAX_DEPTH}")
        return
    carries = _carried(limits, carries)
    most = _deepest(limits, carries)
    if depth > most:
        what = "an event" if carries == "max_event_depth" else "a schema"
        raise LimitExceeded(
            carries,
            getattr(limits, carries),
            f"the JSON nests {depth:,} levels deep: more than {what} may, with the "
            f"{BODY_LEVELS} levels of the request around it",
        )


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(text: str) -> int:
    """How deep JSON text nests, by counting brackets outside strings: linear in the text and
    without recursion, so it is safe on any input (malformed text gets some number; the parser
    refuses it afterwards)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, map(ord, brackets))), default=0)


def _integer_parser(most: int, unlimited: bool):
    def parse(text: str) -> int:
        digits = len(text) - text.startswith("-")
        if digits > most:
            if unlimited:
                raise CanonicalJSONError(f"an integer of {digits} digits is over {most}")
            raise LimitExceeded(
                "max_integer_digits", most, f"an integer of {digits:,} digits was sent"
            )
        return int(text)

    return parse


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise CanonicalJSONError(f"{text} is too large for a JSON number Eventry can store")
    return number


def _reject_surrogates(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise CanonicalJSONError(f"{item[:40]!r} holds a lone UTF-16 surrogate") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)  # in C; a duplicate key makes it shorter, then found for the message
    if len(result) == len(pairs):
        return result
    result = {}
    for key, value in pairs:
        if key in result:
            raise CanonicalJSONError(f"duplicate key {key!r} in a JSON object")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise CanonicalJSONError(f"{name} is not valid JSON")


def _write(value: Any, where: str):
    if value is None:
        yield "null"
    elif value is True:
        yield "true"
    elif value is False:
        yield "false"
    elif isinstance(value, str):
        yield _string(value)
    elif isinstance(value, int):
        yield str(value)
    elif isinstance(value, float):
        yield _number(value, where)
    elif isinstance(value, dict):
        yield from _object(value, where)
    elif isinstance(value, list | tuple):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from _write(item, f"{where}/{index}")
        yield "]"
    else:
        raise CanonicalJSONError(f"{where}: {type(value).__name__} is not a JSON value")


def _object(value: dict, where: str):
    for key in value:
        if not isinstance(key, str):
            raise CanonicalJSONError(f"{where}: object keys must be strings, not {key!r}")
    yield "{"
    # Sorting by UTF-16 code units, as RFC 8785 does, keeps the order stable across languages.
    for index, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be"))):
        if index:
            yield ","
        yield _string(key)
        yield ":"
        yield from _write(value[key], f"{where}/{key}")
    yield "}"


def _string(text: str) -> str:
    # ensure_ascii=False keeps non-ASCII characters as themselves, so "\u00e9" and "é" agree.
    return json.dumps(text, ensure_ascii=False)


def _number(number: float, where: str) -> str:
    if math.isnan(number) or math.isinf(number):
        raise CanonicalJSONError(f"{where}: {number} is not a JSON number")
    if number.is_integer() and abs(number) < _MAX_SAFE_INTEGER:
        return str(int(number))
    text = repr(number)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text
