"""Measure Eventry over its REST API, as users get it (issue #10, item 6).

Starts `eventry serve` (gunicorn) on a free loopback port with a throwaway SQLite database
(EVENTRY_DEMO=0, its own admin token), or measures a running server with --url URL --token T,
and drives the API only:

1. Confluent's vectors: the stateless check (strict, lenient, difference names) and real
   registrations (one BACKWARD event type per case and policy: original, then update).
2. Karapace's cases, the same two ways (the README's excluded 68 scored apart).
3. The soundness probe: instances of the old schema (hypothesis-jsonschema, derandomized) that the
   registry calls valid must stay valid under every new schema the stateless check calls compatible.
4. The JSON Schema test suite (required tests, draft-04 to 2020-12): each group's schema registered,
   its tests validated in one batch, on a server started with EVENTRY_DEFAULT_DIALECT per draft.

Usage: python bench/conformance.py [PATH] [--url URL --token T] [--json FILE] [--fail-under PCT]
PATH defaults to ../shared/conformance; the vectors are read in place, never copied. See --help.
Exit status is 0 (this is a report) unless a --fail-under threshold is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.conformance_kit.run import main

if __name__ == "__main__":
    sys.exit(main())
