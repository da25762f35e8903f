"""ECMA-262 regular expressions for ``pattern`` and ``patternProperties``, in bounded time.

JSON Schema's patterns are ECMA-262 (JSON Schema 2020-12 Validation, section 4.3): ``\\p{L}``
is a Unicode property, ``\\Z`` and ``(?P<x>…)`` mean nothing. Python's ``re`` is another dialect
and backtracks without limit, so ``^(a+)+$`` against 30 ``a`` and a ``!`` holds a worker for
minutes. Patterns run on jsonschema-rs's regex engine instead (the Rust ``regex`` crate, linear
in the text, and ``fancy-regex`` with a backtracking limit for look-arounds and back-references).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema_rs

CACHED_PATTERNS = 4096


class PatternError(ValueError):
    """A pattern the regex engine cannot run (not ECMA-262, or too large)."""


@lru_cache(maxsize=CACHED_PATTERNS)
def _compiled(pattern: str) -> Any:
    try:
        return jsonschema_rs.validator_for({"pattern": pattern})
    except ValueError:  # jsonschema_rs.ValidationError is one
        raise PatternError(not_ecma(pattern)) from None


def not_ecma(pattern: str) -> str:
    """The message for a pattern that is no ECMA-262 regular expression."""
    text = json.dumps(pattern, ensure_ascii=False)
    return (
        f"{text} is not an ECMA-262 regular expression (JSON Schema patterns are ECMA-262 with "
        "the u flag, not Python or PCRE: no \\Z or \\A, no (?P<name>…), no inline flags "
        "such as (?i), no \\- outside a character class)"
    )


def check_pattern(pattern: str) -> None:
    """Raise PatternError when the engine cannot run the pattern."""
    _compiled(pattern)


def search(pattern: str, text: str) -> bool:
    """Tell whether the pattern matches anywhere in text (unanchored, as JSON Schema says).

    Raises PatternError for a pattern the engine cannot run."""
    return bool(_compiled(pattern).is_valid(text))


class EcmaRe:
    """The one function of Python's ``re`` module that python-jsonschema's keywords call
    (``search(pattern, string)``), answered by the ECMA-262 engine. A match object is never
    read, only its truth, so a bool stands in for it."""

    error = PatternError

    @staticmethod
    def search(pattern: str, string: str) -> bool:
        """``re.search`` with ECMA-262 semantics; a pattern the engine cannot run matches
        nothing (it was refused when the schema was registered)."""
        try:
            return search(pattern, string)
        except PatternError:
            return False
