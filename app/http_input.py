"""What every request may send, checked before any view reads it: a body no larger than
EVENTRY_MAX_BODY_BYTES however it is sent, a URL without control characters, and numbers in
paths (``<int:…>``) that an id or version column can hold.

Werkzeug checks ``Content-Length`` against ``MAX_CONTENT_LENGTH`` (413), but a chunked body has
no length: its stream is cut at the limit and the view parses the first megabyte, which then
fails as malformed JSON (a 400 that hides the real reason). ``BoundedRequest`` reads such a
body up to one byte past the limit and answers 413 there, before anything parses it.

Path segments and query values name things (slugs, event names, search words): a control
character in one is never meaningful, and PostgreSQL refuses NUL in any text it compares.
"""

from __future__ import annotations

import io
from functools import cached_property
from typing import IO

from flask import Flask, Request, request
from werkzeug.exceptions import BadRequest, NotFound, RequestEntityTooLarge
from werkzeug.routing import BaseConverter

from app.core.vocabulary import MAX_NUMBER, control_character


class _Bounded(io.RawIOBase):
    """A stream that raises 413 once more than ``limit`` bytes have come through."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._limit = limit
        self._left = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        # One byte more than is left shows whether the body goes on past the limit.
        wanted = min(len(buffer), self._left + 1)
        data = self._stream.read(wanted)
        if len(data) > self._left:
            raise too_large(self._limit)
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


class BoundedRequest(Request):
    """Flask's request, with a streamed body (no Content-Length) held to the body limit."""

    @cached_property
    def stream(self) -> IO[bytes]:  # type: ignore[override]
        limit = self.max_content_length
        if limit is not None and (self.content_length or 0) > limit:
            raise too_large(limit)  # Werkzeug's own 413 would not say which limit
        streamed = self.content_length is None and "wsgi.input_terminated" in self.environ
        if limit is None or not streamed:
            return super().stream
        return io.BufferedReader(_Bounded(self.environ["wsgi.input"], limit))


def too_large(limit: int) -> RequestEntityTooLarge:
    """The 413 for a body over the limit, naming it and its setting."""
    return RequestEntityTooLarge(
        f"the request body is larger than the limit of {limit:,} bytes (EVENTRY_MAX_BODY_BYTES)"
    )


class WholeNumberConverter(BaseConverter):
    """``<int:…>`` in every route: ASCII digits from 1, no longer than MAX_NUMBER, so a path
    such as /api/v1/schemas/99999999999999999999 matches no route (404) instead of overflowing
    the database's integer in the query (a 500 on SQLite past 2**63, and on PostgreSQL past
    2**31, which _past_every_column answers). The length is in the pattern: a converter that
    refuses a matched value makes Werkzeug answer 405 for some methods."""

    regex = f"[1-9][0-9]{{0,{len(str(MAX_NUMBER)) - 1}}}"
    weight = 50  # as Werkzeug's own number converters, so routes keep their order
    part_isolating = True

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


def install(app: Flask) -> None:
    """Use BoundedRequest and bounded ``<int:…>`` path numbers, and refuse URLs with control
    characters (400 naming the part). Call before any route is added."""
    app.request_class = BoundedRequest
    app.url_map.converters["int"] = WholeNumberConverter
    app.url_value_preprocessor(_past_every_column)
    app.before_request(_refuse_control_characters)


def _past_every_column(_endpoint: str | None, values: dict | None) -> None:
    # Only WholeNumberConverter gives int path values: one above MAX_NUMBER names nothing.
    for name, value in (values or {}).items():
        if isinstance(value, int) and value > MAX_NUMBER:
            raise NotFound(f"no {name.replace('_', ' ')} {value} (numbers go to {MAX_NUMBER})")


def _refuse_control_characters() -> None:
    parts = [("the path", request.path)]
    parts += [(f"the query parameter {key!r}", value) for key, value in request.args.items(True)]
    for where, text in parts:
        at = control_character(text)
        if at is not None:
            raise BadRequest(
                f"{where} holds the control character U+{ord(text[at]):04X}: names and "
                "identifiers hold no control characters"
            )
