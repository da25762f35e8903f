"""EventBridge wildcards: `*` matches any run of characters (none too), `\\*` an asterisk and
`\\\\` a backslash; two `*` in a row and a backslash before anything else are refused (the rules
of aws/event-ruler's WildcardParser, which EventBridge runs)."""

from __future__ import annotations

from itertools import pairwise

from app.core.limits import step

STAR = object()  # a `*` token, told apart from a literal "*"


def check_wildcard(text: str) -> str | None:
    """Why a wildcard expression is refused, or None when it is well formed."""
    try:
        tokens = _tokens(text)
    except ValueError as error:
        return str(error)
    for first, second in pairwise(tokens):
        if first is STAR and second is STAR:
            return "a wildcard must not hold two * in a row"
    return None


def _tokens(text: str) -> list:
    tokens: list = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            following = text[index + 1 : index + 2]
            if following not in ("*", "\\"):
                raise ValueError("in a wildcard a backslash escapes only * or another backslash")
            tokens.append(following)
            index += 2
            continue
        tokens.append(STAR if char == "*" else char)
        index += 1
    return tokens


def wildcard_matches(expression: str, value: str) -> bool:
    """Whether the value matches a well-formed wildcard expression (greedy two-pointer walk:
    time proportional to the lengths' product at worst, no backtracking blow-up)."""
    tokens = _tokens(expression)
    t = v = 0
    star_at, star_v, spent = -1, 0, 0
    while v < len(value):
        spent += 1
        if spent % 4096 == 0:
            step(64)  # a star that keeps restarting costs value x expression: bounded per request
        if t < len(tokens) and tokens[t] is not STAR and tokens[t] == value[v]:
            t, v = t + 1, v + 1
        elif t < len(tokens) and tokens[t] is STAR:
            star_at, star_v = t, v
            t += 1
        elif star_at >= 0:
            star_v += 1
            t, v = star_at + 1, star_v
        else:
            return False
    while t < len(tokens) and tokens[t] is STAR:
        t += 1
    return t == len(tokens)
