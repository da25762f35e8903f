"""A small JSON client for Eventry's REST API (standard library only, keep-alive per thread)."""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass(frozen=True)
class Reply:
    """One answer: the status and the decoded JSON body (or the raw text when it is not JSON)."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return 200 <= self.status < 300

    def brief(self, limit: int = 240) -> str:
        """The status and the start of the body, for a report line."""
        text = self.body if isinstance(self.body, str) else json.dumps(self.body)
        return f"{self.status} {text[:limit]}{'…' if len(text) > limit else ''}"


class Api:
    """Calls one Eventry server; each thread keeps its own connection open between calls."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 120) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {base_url}")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._scheme, self._netloc, self._prefix = parts.scheme, parts.netloc, parts.path
        self._timeout = timeout
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = (
                http.client.HTTPSConnection
                if self._scheme == "https"
                else http.client.HTTPConnection
            )
            connection = kind(self._netloc, timeout=self._timeout)
            self._local.connection = connection
        return connection

    def call(self, method: str, path: str, body: Any = None, auth: bool = False) -> Reply:
        """Send one request (JSON body, bearer token when auth) and return the reply."""
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in (1, 2):
            connection = self._connection()
            try:
                connection.request(method, self._prefix + path, body=data, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                break
            except RETRYABLE:
                # The server closed a kept-alive connection: reconnect once.
                connection.close()
                if attempt == 2:
                    raise
        if response.will_close:
            connection.close()
        return Reply(response.status, _decode(raw))

    def get(self, path: str) -> Reply:
        """GET a path."""
        return self.call("GET", path)

    def post(self, path: str, body: Any, auth: bool = False) -> Reply:
        """POST a JSON body."""
        return self.call("POST", path, body, auth)

    def put(self, path: str, body: Any, auth: bool = False) -> Reply:
        """PUT a JSON body."""
        return self.call("PUT", path, body, auth)


def _decode(raw: bytes) -> Any:
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
