"""One HTTP request to Eventry, timed, on a connection of its own (``http.client``: what a
simple client does, with no retries that would hide a fault)."""

from __future__ import annotations

import contextlib
import http.client
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    """One HTTP answer and how long it took, in seconds."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def mimetype(self) -> str:
        """The content type without its parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip()

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


class Client:
    """Requests to one Eventry base URL (``http://host:port``) with one bearer token."""

    def __init__(self, url: str, token: str | None, timeout: float = 30) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._prefix = parts.path.rstrip("/")

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        chunked: bool = False,
    ) -> Answer:
        """Send one request (``body`` as JSON, or ``raw`` bytes as they are; ``chunked`` sends
        them with Transfer-Encoding: chunked, without a length) and read the whole answer.
        Raises OSError (refused, reset, timed out) when no answer came."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if body is not None:
            raw = json.dumps(body).encode()
        if raw is not None:
            headers["Content-Type"] = "application/json"
        sent: Any = _pieces(raw) if chunked and raw is not None else raw
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        connection = kind(self._host, self._port, timeout=self.timeout)
        started = time.monotonic()
        try:
            # A server may answer (a 413) and close before a large body is all sent; its
            # answer is still there to read, as a browser would.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.request(method, self._prefix + path, body=sent, headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except http.client.HTTPException as error:  # a cut answer is no answer
            raise ConnectionError(f"{method} {path}: {error!r}") from error
        finally:
            connection.close()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        return Answer(response.status, answer_headers, payload, time.monotonic() - started)

    def pages(self, path: str) -> list[dict]:
        """Every item of a paginated list (``items``, and ``next``: the next page's path)."""
        items: list[dict] = []
        following: str | None = path + ("&" if "?" in path else "?") + "limit=200"
        while following:
            answer = self.call("GET", following)
            if answer.status != 200:
                raise RuntimeError(f"GET {following}: {answer.status} {answer.body[:300]!r}")
            page = answer.json()
            items.extend(page["items"])
            following = page.get("next")
            if following and self._prefix and following.startswith(self._prefix):
                following = following[len(self._prefix) :]
        return items


def _pieces(data: bytes, size: int = 65536) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
