"""Answers rendered once: the bytes of an answer kept under the key of the immutable content
it shows (app.services.served), served with a strong ETag, and 304 Not Modified when the
client's If-None-Match holds it (RFC 9110, section 13.1.2).

The keep is a bounded LRU per process, measured in bytes (MAX_BYTES); a key names content that
never changes, so an entry is never stale: whether it is still served is what the service's
statement says on every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from cachetools import LRUCache
from flask import Response, request

MAX_BYTES = 32 * 1024 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"
# Read again by every cache on each use: the answer changes when the catalogue does.
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class Body:
    """An answer's bytes and their strong entity tag (unquoted)."""

    data: bytes
    etag: str

    @property
    def weight(self) -> int:
        """What it costs the keep: its bytes, and its own weight so empty bodies count too."""
        return len(self.data) + 200


_bodies: LRUCache = LRUCache(maxsize=MAX_BYTES, getsizeof=lambda body: body.weight)
_lock = Lock()


def body(key: tuple, render: Callable[[], bytes], etag: str | None = None) -> Body:
    """The answer kept under ``key``, rendered by ``render()`` when none is; ``etag`` is its
    tag when the key already gives one (a fingerprint), else the SHA-256 of the bytes."""
    with _lock:
        found = _bodies.get(key)
    if found is not None:
        return found
    data = render()
    found = Body(data, etag or hashlib.sha256(data).hexdigest())
    if found.weight <= _bodies.maxsize:
        with _lock:
            _bodies[key] = found
    return found


def answer(body: Body, mimetype: str, cache_control: str) -> Response:
    """The answer, or 304 with no body when the request's If-None-Match names its tag."""
    if request.if_none_match.contains(body.etag):
        response = Response(status=304)
    else:
        response = Response(body.data, mimetype=mimetype)
    response.set_etag(body.etag)
    response.headers["Cache-Control"] = cache_control
    return response
