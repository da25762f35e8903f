"""Format assertions per RFC and exact decimal multipleOf, for the registry's JSON Schema validator.

Pure: no Flask, no database. ``format_checker(dialect)`` plugs into a python-jsonschema validator
as its ``format_checker``; ``multiple_of`` replaces its ``multipleOf`` keyword function.
"""

from app.core.formats.checker import DIALECT_FORMATS, format_checker, is_ecma_regex
from app.core.formats.idn import is_idn_hostname
from app.core.formats.mailbox import is_email, is_idn_email
from app.core.formats.numbers import is_multiple_of, multiple_of

__all__ = [
    "DIALECT_FORMATS",
    "format_checker",
    "is_ecma_regex",
    "is_email",
    "is_idn_email",
    "is_idn_hostname",
    "is_multiple_of",
    "multiple_of",
]
