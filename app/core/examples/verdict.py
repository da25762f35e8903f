"""Why a version cannot produce an example event, as the ``no-example`` finding says it."""

from __future__ import annotations

from app.core.examples.failure import ExampleFailure, NoExample
from app.core.examples.generator import example_of
from app.core.limits import LimitExceeded
from app.core.schema import SchemaDocument


def no_example(document: SchemaDocument) -> tuple[str, str, str] | None:
    """(severity, pointer, message) when the document cannot produce an example event, else
    None: an ``error`` when the schema admits no value at all, a ``warning`` when the
    generator's limits stop it (a construct it cannot build from, or more work than one
    request may do; docs/interop.md)."""
    try:
        example_of(document)
    except NoExample as error:
        unsatisfiable = error.kind is ExampleFailure.UNSATISFIABLE
        return ("error" if unsatisfiable else "warning"), error.pointer, error.detail
    except LimitExceeded as error:
        return "warning", "", f"no example can be generated: {error.detail}"
    return None
