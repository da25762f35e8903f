"""Search matches highlighted in escaped text."""

from __future__ import annotations

import re

from markupsafe import Markup, escape


def highlight(text: str, needle: str) -> Markup:
    """Escape `text` and wrap each case-insensitive occurrence of `needle` in <mark>.

    The text is cut at the matches first and every piece is escaped on its own, so neither the
    text nor the query can inject markup, and a query such as "&amp" never matches an escape.
    """
    if not needle:
        return escape(text)
    pieces: list[Markup] = []
    start = 0
    for match in re.finditer(re.escape(needle), text, flags=re.IGNORECASE):
        pieces.append(escape(text[start : match.start()]))
        pieces.append(Markup("<mark>%s</mark>") % match.group(0))
        start = match.end()
    pieces.append(escape(text[start:]))
    return Markup("").join(pieces)
