"""Why no example event could be generated."""

from __future__ import annotations

from enum import StrEnum

from app.core.errors import InvalidInput


class ExampleFailure(StrEnum):
    """The kind of a failure: ``unsatisfiable`` (the schema admits no value: ``false``, an empty
    ``enum``, a minimum above the maximum…), ``unsupported`` (a construct the generator cannot
    build from, e.g. a pattern in ECMA-only syntax, or a value too large to show), or
    ``not-valid`` (every value tried failed the schema, typically a ``not`` or ``oneOf``
    that rules out what was built)."""

    UNSATISFIABLE = "unsatisfiable"
    UNSUPPORTED = "unsupported"
    NOT_VALID = "not-valid"


class NoExample(InvalidInput):
    """No example event can be produced (HTTP 422): ``kind`` (an ExampleFailure), ``pointer``
    (where in the schema, a JSON pointer into its text or the path walked) and ``reason``."""

    def __init__(self, kind: ExampleFailure, pointer: str, reason: str) -> None:
        where = pointer or "/"
        super().__init__(
            f"no example can be generated ({kind.value}): {reason} (at {where})",
            [{"pointer": pointer, "message": reason, "kind": kind.value}],
        )
        self.kind = kind
        self.pointer = pointer
        self.reason = reason
