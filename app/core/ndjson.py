"""Newline-delimited JSON (NDJSON, https://github.com/ndjson/ndjson-spec): one JSON text a line.

Pure: lines are cut from a stream read in bounded pieces, so a stream of any length is held one
line at a time, and a line longer than the limit is skipped without being held (``TooLong``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

MEDIA_TYPE = "application/x-ndjson"
_PIECE = 64 * 1024


@dataclass(frozen=True)
class TooLong:
    """A line of more than ``limit`` bytes, skipped up to its newline."""

    limit: int


def lines(read: Callable[[int], bytes], limit: int) -> Iterator[bytes | TooLong]:
    """Yield each line of the stream ``read`` (a file's ``read(size)``), without its ``\\n``
    (and ``\\r``); a line over ``limit`` bytes as TooLong. Blank lines are yielded too (as
    ``b""``) so the caller's line numbers are the text's. Memory: at most ``limit`` plus one
    piece of 64 KiB."""
    held = bytearray()
    skipping = False
    while True:
        piece = read(_PIECE)
        if not piece:
            break
        start = 0
        while True:
            end = piece.find(b"\n", start)
            if end < 0:
                if not skipping:
                    held += piece[start:]
                    if len(held) > limit:
                        held.clear()
                        skipping = True
                break
            if skipping:
                skipping = False
                yield TooLong(limit)
            else:
                held += piece[start:end]
                yield _line(held, limit)
            held.clear()
            start = end + 1
    if skipping:
        yield TooLong(limit)
    elif held:
        yield _line(held, limit)


def _line(held: bytearray, limit: int) -> bytes | TooLong:
    if len(held) > limit:
        return TooLong(limit)
    return bytes(held[:-1] if held.endswith(b"\r") else held)
