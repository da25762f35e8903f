"""Strings for example events: by format, by pattern, by property name, within length bounds.

Formats follow their RFCs (the same ones the validator checks: RFC 3339 dates and times, RFC
4122 UUIDs, RFC 5321 addresses, RFC 3986 URIs, RFC 1123 host names); host names and addresses
come from the ranges reserved for documentation (``example.com``, RFC 2606; 192.0.2.0/24, RFC
5737; 2001:db8::/32, RFC 3849). A ``pattern`` is turned into a string by rstr's Xeger over
Python's regular-expression parser, which reads the common subset of ECMA-262 and Python
syntax; ECMA-only syntax (``\\p{…}``, ``(?<name>…)``) is reported as unsupported, and the
registry's ECMA-262 validator has the last word on every string made.
"""

from __future__ import annotations

import re
import string
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import chain
from random import Random
from typing import Any

from rstr.xeger import Xeger, sre_parse

from app.core.examples.failure import ExampleFailure, NoExample
from app.core.schema.regex import EcmaRe

# The longest string an example holds: beyond it a minLength asks for more than a person reads.
MAX_STRING = 10_000
# How many more repeats than its minimum a `*`, `+` or `{n,m}` of a pattern gets: short,
# readable strings (`[A-Z]+` gives 1 to 4 letters).
EXTRA_REPEATS = 3
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_WORDS = (
    "amber", "birch", "cedar", "delta", "ember", "falcon", "garnet", "harbor", "indigo",
    "juniper", "kestrel", "lumen", "maple", "nimbus", "orchid", "pebble", "quartz", "river",
)  # fmt: skip
_FIRST = ("ada", "alan", "grace", "edsger", "barbara", "donald", "frances", "leslie")
_LAST = ("lovelace", "turing", "hopper", "dijkstra", "liskov", "knuth", "allen", "lamport")


def _moment(rng: Random) -> datetime:
    return _EPOCH + timedelta(seconds=rng.randrange(365 * 24 * 3600))


def _email(rng: Random) -> str:
    return f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}@example.com"


def _host(rng: Random) -> str:
    return f"{rng.choice(_WORDS)}.example.com"


FORMATS: dict[str, Callable[[Random], str]] = {
    "date-time": lambda rng: _moment(rng).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "date": lambda rng: _moment(rng).strftime("%Y-%m-%d"),
    "time": lambda rng: _moment(rng).strftime("%H:%M:%SZ"),
    "duration": lambda rng: f"PT{rng.randint(1, 59)}M",
    "uuid": lambda rng: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "email": _email,
    "idn-email": _email,
    "hostname": _host,
    "idn-hostname": _host,
    "ipv4": lambda rng: f"192.0.2.{rng.randint(1, 254)}",
    "ipv6": lambda rng: f"2001:db8::{rng.randint(1, 0xFFFF):x}",
    "uri": lambda rng: f"https://{_host(rng)}/{rng.choice(_WORDS)}/{rng.randint(1, 9999)}",
    "iri": lambda rng: f"https://{_host(rng)}/{rng.choice(_WORDS)}/{rng.randint(1, 9999)}",
    "uri-reference": lambda rng: f"/{rng.choice(_WORDS)}/{rng.randint(1, 9999)}",
    "iri-reference": lambda rng: f"/{rng.choice(_WORDS)}/{rng.randint(1, 9999)}",
    "uri-template": lambda rng: f"https://{_host(rng)}/{rng.choice(_WORDS)}/{{id}}",
    "json-pointer": lambda rng: f"/{rng.choice(_WORDS)}/{rng.randint(0, 9)}",
    "relative-json-pointer": lambda rng: f"{rng.randint(0, 3)}/{rng.choice(_WORDS)}",
    "regex": lambda rng: f"^{rng.choice(_WORDS)}-[0-9]+$",
}

# Property names that say what a plain string holds (the last word of camelCase or snake_case).
_NAMED: dict[str, Callable[[Random], str]] = {
    "id": FORMATS["uuid"],
    "email": _email,
    "url": FORMATS["uri"],
    "uri": FORMATS["uri"],
    "name": lambda rng: f"{rng.choice(_FIRST).title()} {rng.choice(_LAST).title()}",
    "currency": lambda rng: rng.choice(("EUR", "GBP", "USD")),
    "country": lambda rng: rng.choice(("DE", "FR", "GB", "NL")),
}
# Names read whole before their last word ("firstName" is no full name).
_WHOLE_NAMES: dict[str, Callable[[Random], str]] = {
    "firstname": lambda rng: rng.choice(_FIRST).title(),
    "givenname": lambda rng: rng.choice(_FIRST).title(),
    "lastname": lambda rng: rng.choice(_LAST).title(),
    "familyname": lambda rng: rng.choice(_LAST).title(),
    "countrycode": _NAMED["country"],
    "currencycode": _NAMED["currency"],
}
_LAST_WORD = re.compile(r"([A-Z]?[a-z]+|[A-Z]+)$")


def example_string(schema: dict, rng: Random, pointer: str, name: str | None) -> str:
    """A string for a schema of type string: by ``format`` (unknown ones are annotations and
    ignored), else by ``pattern``, else by the property's name or a word, padded or cut to
    ``minLength``/``maxLength`` (code points). Raises NoExample for contradictory or huge
    length bounds and for patterns the generator cannot read."""
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if high is not None and low > high:
        raise NoExample(
            ExampleFailure.UNSATISFIABLE, pointer, f"minLength {low} is above maxLength {high}"
        )
    if low > MAX_STRING:
        raise NoExample(
            ExampleFailure.UNSUPPORTED, pointer, f"minLength {low} is beyond {MAX_STRING}"
        )
    made = FORMATS.get(schema.get("format", ""))
    if made is not None:
        return made(rng)
    named = _by_name(name, rng)
    if isinstance(schema.get("pattern"), str):
        # A name's value when the pattern takes it (a currency "EUR" for ^[A-Z]{3}$).
        if named is not None and _fits(named, schema) and EcmaRe.search(schema["pattern"], named):
            return named
        return from_pattern(schema["pattern"], rng, pointer)
    text = named or f"{rng.choice(_WORDS)}-{rng.randint(1, 999)}"
    if len(text) < low:
        text += "".join(rng.choice(string.ascii_lowercase) for _ in range(low - len(text)))
    return text if high is None else text[:high]


def _fits(text: str, schema: dict) -> bool:
    high = schema.get("maxLength")
    return len(text) >= schema.get("minLength", 0) and (high is None or len(text) <= high)


def _by_name(name: str | None, rng: Random) -> str | None:
    whole = _WHOLE_NAMES.get((name or "").lower().replace("_", ""))
    if whole is not None:
        return whole(rng)
    match = _LAST_WORD.search(name or "")
    made = _NAMED.get(match.group(1).lower()) if match else None
    return made(rng) if made else None


def from_pattern(pattern: str, rng: Random, pointer: str) -> str:
    """A string that the pattern matches, most likely (the validator checks it). Raises
    NoExample when the pattern uses syntax Python's parser does not read, or asks for more
    than MAX_STRING characters."""
    try:
        return _Strings(rng).xeger(pattern)
    except (re.error, ValueError, RecursionError, OverflowError) as error:
        raise NoExample(
            ExampleFailure.UNSUPPORTED,
            f"{pointer}/pattern",
            f"the generator cannot read the pattern {pattern!r} ({error})",
        ) from None


class _Strings(Xeger):
    """rstr's Xeger with deterministic character sets (its negated classes go through a set,
    whose order changes from one process to the next), short repeats, and a length bound."""

    def __init__(self, rng: Random) -> None:
        super().__init__(rng)
        self._made = 0

    def xeger(self, string_or_regex: Any) -> str:
        # As rstr's, with the pattern's parse shared (every version of an event type, every
        # check of a tree, asks for the same patterns again).
        result = self._build_string(_parsed(string_or_regex))
        self._cache.clear()
        return result

    def _handle_in(self, value: Any) -> Any:
        # A literal gives a character, a range a list, a category a string of characters.
        candidates = list(chain.from_iterable(self._handle_state(each) for each in value))
        if candidates and candidates[0] is False:
            candidates = sorted(set(string.printable).difference(candidates[1:]))
        if not candidates:
            raise ValueError("a character class that matches nothing")
        return self._random.choice(candidates)

    def _handle_repeat(self, start_range: int, end_range: int, value: Any) -> str:
        times = self._random.randint(start_range, min(end_range, start_range + EXTRA_REPEATS))
        self._made += times
        if self._made > MAX_STRING:
            raise ValueError(f"it repeats more than {MAX_STRING} times")
        return "".join("".join(self._handle_state(each) for each in value) for _ in range(times))


@lru_cache(maxsize=1024)
def _parsed(pattern: str) -> Any:
    """The parse of a pattern by the parser rstr uses: a tree its builder only reads."""
    return sre_parse.parse(pattern)
