"""The words full-text search indexes and asks for: one rule for SQLite's FTS5 and PostgreSQL's
tsvector, so both databases find the same event types.

A text is cut into runs of letters and digits (``_``, ``-``, ``/``, ``.`` and spaces separate);
each run is kept whole, lower-cased, and, when it is written in camelCase or PascalCase, its parts
too: ``OrderPlaced`` gives ``orderplaced``, ``order`` and ``placed``; ``/lines/0/sku_code`` gives
``lines``, ``0``, ``sku`` and ``code``. A query's runs are asked as word beginnings, all of them:
``placed`` and ``order_id`` find ``OrderPlaced`` and ``/order_id``; ``rder`` finds nothing (search
matches the beginnings of words, as full-text search does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Letters and digits of any script; the underscore separates (it is a word character to `re`).
_RUN = re.compile(r"[^\W_]+")
# A camelCase part of an ASCII run: a capital and lower-case letters, capitals before another
# capital (``HTTPServer``: ``HTTP``), or digits. Other scripts' runs are kept whole only.
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
# Longer words are cut here: an index row stays bounded whatever a description holds.
MAX_WORD = 64


def index_words(texts: Iterable[str]) -> list[str]:
    """The distinct words of some texts, sorted: what an event type's index row holds."""
    words: set[str] = set()
    for text in texts:
        for run in _RUN.findall(text or ""):
            words.add(run.lower()[:MAX_WORD])
            parts = _PART.findall(run) if run.isascii() else []
            if len(parts) > 1:
                words.update(part.lower()[:MAX_WORD] for part in parts)
    return sorted(words)


def query_words(query: str) -> list[str]:
    """The words of a query, in order, each to be found as the beginning of an indexed word;
    empty when the query has no letter or digit (it then finds no event type)."""
    return [run.lower()[:MAX_WORD] for run in _RUN.findall(query)]
