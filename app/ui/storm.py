"""Layout of the event-storming card (command → aggregate → event → bus → consumers) as SVG shapes.

Only coordinates and text lines are computed here; the template draws them, so Jinja escapes
every piece of text that a user wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_CONSUMERS = 6
_TOKENS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])|[^A-Za-z0-9]+|.")


@dataclass(frozen=True)
class Note:
    """A sticky note: its kind (which sets the colour), caption, text lines, box and link."""

    kind: str
    caption: str
    lines: list[str]
    x: int
    y: int
    width: int
    height: int
    href: str | None = None
    missing: bool = False


@dataclass(frozen=True)
class Arrow:
    """A flow arrow between two notes."""

    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class Card:
    """The whole drawing: its size, notes and arrows."""

    layout: str
    width: int
    height: int
    notes: list[Note] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)


@dataclass(frozen=True)
class Sticky:
    """What one note says, before it is placed."""

    kind: str
    caption: str
    text: str
    href: str | None = None
    missing: bool = False


def wrap(text: str, width: int, max_lines: int = 3) -> list[str]:
    """Break a name into lines of at most `width` characters, at word or camel-case boundaries."""
    lines: list[str] = []
    current = ""
    for token in _TOKENS.findall(text):
        while len(token) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(token[:width])
            token = token[width:]
        if len(current) + len(token) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip():
        lines.append(current.strip())
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return lines or [""]


def horizontal(chain: list[Sticky], consumers: list[Sticky]) -> Card:
    """Notes left to right, the consumers stacked in the last column."""
    width, height, gap, margin = 150, 96, 44, 10
    c_width, c_height, c_gap = 190, 60, 12
    stack = max(1, len(consumers))
    column = stack * c_height + (stack - 1) * c_gap
    total_height = max(height, column) + 2 * margin
    middle = total_height // 2
    card = Card("horizontal", margin * 2 + 4 * width + c_width + 4 * gap, total_height)
    for index, sticky in enumerate(chain):
        x = margin + index * (width + gap)
        card.notes.append(_place(sticky, x, middle - height // 2, width, height, 17))
        if index:
            card.arrows.append(Arrow(x - gap, middle, x - 2, middle))
    x = margin + len(chain) * (width + gap)
    top = middle - column // 2
    for index, sticky in enumerate(consumers):
        y = top + index * (c_height + c_gap)
        card.notes.append(_place(sticky, x, y, c_width, c_height, 22, max_lines=2))
        card.arrows.append(Arrow(x - gap, middle, x - 2, y + c_height // 2))
    return card


def vertical(chain: list[Sticky], consumers: list[Sticky]) -> Card:
    """Notes top to bottom, for narrow screens."""
    width, height, gap, margin = 280, 62, 30, 10
    c_height, c_gap = 50, 10
    card = Card("vertical", width + 2 * margin, 0)
    y = margin
    for index, sticky in enumerate(chain):
        if index:
            card.arrows.append(Arrow(margin + width // 2, y - gap, margin + width // 2, y - 2))
        card.notes.append(_place(sticky, margin, y, width, height, 34, max_lines=2))
        y += height + gap
    card.arrows.append(Arrow(margin + width // 2, y - gap, margin + width // 2, y - 2))
    for sticky in consumers:
        card.notes.append(_place(sticky, margin, y, width, c_height, 34, max_lines=1))
        y += c_height + c_gap
    card.height = y - c_gap + margin
    return card


def _place(sticky: Sticky, x, y, width, height, chars, max_lines: int = 3) -> Note:
    return Note(
        kind=sticky.kind,
        caption=sticky.caption,
        lines=wrap(sticky.text, chars, max_lines),
        x=x,
        y=y,
        width=width,
        height=height,
        href=sticky.href,
        missing=sticky.missing,
    )


def consumer_stickies(consumers: list[Sticky]) -> list[Sticky]:
    """At most MAX_CONSUMERS consumer notes, the rest summed up in one; a placeholder if none."""
    if not consumers:
        return [Sticky("consumer", "consumers", "no consumers registered", missing=True)]
    if len(consumers) <= MAX_CONSUMERS:
        return consumers
    shown = consumers[: MAX_CONSUMERS - 1]
    rest = len(consumers) - len(shown)
    return [*shown, Sticky("consumer", "consumers", f"and {rest} more", href="#consumers")]
