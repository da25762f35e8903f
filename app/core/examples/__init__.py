"""Example events generated from a schema version: realistic, valid, deterministic per seed.

``example_of(document, seed)`` walks a SchemaDocument (through its one resolver) and builds a
value from ``const``, ``enum``, ``examples``, ``default``, formats and bounds, then validates it
with the registry's own validator before returning it; ``NoExample`` (a 422) says why none could
be made. Limits and the fallbacks taken are in docs/interop.md.
"""

from app.core.examples.failure import ExampleFailure, NoExample
from app.core.examples.generator import example_of
from app.core.examples.verdict import no_example

__all__ = ["ExampleFailure", "NoExample", "example_of", "no_example"]
