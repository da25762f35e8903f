"""The words full-text search indexes and asks for: one rule for SQLite's FTS5 and PostgreSQL's
tsvector, so both databases find the same event types, and find what a plain "contains" search
(the search before the index) finds.

A text is cut into runs of letters and digits (``_``, ``-``, ``/``, ``.`` and spaces separate),
lower-cased; the index holds every suffix of every run (``orderplaced``, ``rderplaced``, …,
``placed``, …, ``d``). A query's runs are asked as word beginnings, all of them: a run of the
query is inside a run of the text exactly when it begins one of that run's suffixes, so the
index finds every event type holding the query (``placed``, ``rder`` and ``order_id`` find
``OrderPlaced`` and ``/order_id``) and the search then checks the query as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Letters and digits of any script; the underscore separates (it is a word character to `re`).
_RUN = re.compile(r"[^\W_]+")
# Longer runs are cut here: an index row stays bounded whatever a description holds (a query
# inside a run past this many characters is not found).
MAX_WORD = 64


def index_words(texts: Iterable[str]) -> list[str]:
    """The distinct suffixes of the runs of some texts, sorted: an event type's index row."""
    words: set[str] = set()
    for text in texts:
        for run in set(_RUN.findall((text or "").lower())):
            run = run[:MAX_WORD]
            words.update(run[start:] for start in range(len(run)))
    return sorted(words)


def query_words(query: str) -> list[str]:
    """The runs of a query, longest first, to be found as the beginnings of indexed words:
    one-character runs only when the query has no longer one (any text holding the query
    holds them; asking for them would only widen the index's work). Empty when the query has
    no letter or digit (it then finds no event type)."""
    runs = sorted({run[:MAX_WORD] for run in _RUN.findall(query.lower())}, key=lambda r: -len(r))
    longer = [run for run in runs if len(run) > 1]
    return longer or runs
