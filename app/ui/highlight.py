"""Search matches highlighted in escaped text."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape


def highlight(text: str, needle: str) -> Markup:
    """Escape `text` and wrap each case-insensitive occurrence of `needle` in <mark>.

    The text is cut at the matches first and every piece is escaped on its own, so neither the
    text nor the query can inject markup, and a query such as "&amp" never matches an escape.
    """
    if not needle:
        return escape(text)
    # split with a group: the text between matches at even places, each match at odd ones.
    pieces = _finder(needle).split(text)
    return Markup(
        "".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(pieces))
    )


@lru_cache(maxsize=64)
def _finder(needle: str) -> re.Pattern[str]:
    return re.compile(f"({re.escape(needle)})", re.IGNORECASE)
