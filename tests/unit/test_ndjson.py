"""NDJSON lines cut from a stream read in pieces (app/core/ndjson.py): the same lines whatever
the pieces, an over-long line skipped without being held, and a stream of any length read lazily."""

from __future__ import annotations

import io
import itertools

import pytest

from app.core.ndjson import TooLong, lines

TEXT = b'{"a": 1}\n\n{"b": [1, 2]}\r\n' + b"x" * 50 + b'\n{"c": "last"}'


def in_pieces(data: bytes, size: int):
    stream = io.BytesIO(data)
    return lambda _wanted: stream.read(size)


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 10_000])
def test_the_lines_are_the_same_whatever_the_pieces(size):
    assert list(lines(in_pieces(TEXT, size), 40)) == [
        b'{"a": 1}',
        b"",
        b'{"b": [1, 2]}',
        TooLong(40),
        b'{"c": "last"}',
    ]


def test_a_last_line_over_the_limit_and_a_final_newline():
    assert list(lines(in_pieces(b"ab\n" + b"y" * 9, 4), 5)) == [b"ab", TooLong(5)]
    assert list(lines(in_pieces(b"ab\n", 4), 5)) == [b"ab"]
    assert list(lines(in_pieces(b"", 4), 5)) == []


def test_an_endless_stream_is_read_as_far_as_it_is_asked():
    endless = itertools.cycle([b'{"n": 1}\n'])
    first = list(itertools.islice(lines(lambda _size: next(endless), 100), 1000))
    assert first == [b'{"n": 1}'] * 1000
