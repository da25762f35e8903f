"""A small client of Eventry's REST API, for the CLI commands that talk to a server."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from app.core.routing.model import stated_scope
from app.core.times import normal_time
from app.core.tree import (
    BusSpec,
    CatalogSpec,
    ConsumerSpec,
    DomainSpec,
    EventSpec,
    SampleSpec,
    TeamSpec,
    VersionSpec,
)
from app.core.vocabulary import is_digits, parse_event_ref

# Longer waits than this are reported as the refusal they are.
MAX_RETRY_AFTER = 60


class RemoteError(Exception):
    """The server could not be reached, or refused a request; `status` is 0 when unreachable."""

    def __init__(self, message: str, status: int = 0, body: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body or {}


@dataclass(frozen=True)
class Stream:
    """A request body read from a file as it is sent (an NDJSON file of events): ``size``
    bytes of ``media_type``."""

    file: BinaryIO
    size: int
    media_type: str


class Registry:
    """Talks JSON to one Eventry server."""

    def __init__(self, url: str, token: str | None = None, timeout: float = 30) -> None:
        self.base = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._schemas: dict[int, Any] = {}  # by global id: a schema id names one content forever

    def call(self, method: str, path: str, body: Any = None, retries: int = 3) -> tuple[int, Any]:
        """Send one request; return (status, parsed JSON or None); raise RemoteError on 4xx/5xx.

        A 429 (the server's rate limit) changed nothing, so it is sent again after the server's
        Retry-After, up to ``retries`` times: a long `apply` slows down instead of failing.
        """
        status, raw = self.send(method, path, body, retries)
        return status, json.loads(raw) if raw else None

    def text(self, path: str) -> str:
        """GET a document that is not JSON (source text: code bindings) as text."""
        return self.send("GET", path, accept="*/*")[1].decode("utf-8")

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        retries: int = 3,
        accept: str = "application/json",
    ) -> tuple[int, bytes]:
        """Send one request as ``call`` does; return (status, the body's bytes). A ``Stream``
        body is sent as it is read, with its own media type."""
        if isinstance(body, Stream):
            body.file.seek(0)  # again from the start when a 429 is retried
            data, media = body.file, body.media_type
        else:
            data, media = None if body is None else json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", accept)
        if data is not None:
            request.add_header("Content-Type", media)
        if isinstance(body, Stream):
            request.add_header("Content-Length", str(body.size))
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            wait = _retry_after(error)
            if wait is not None and retries > 0:
                time.sleep(wait)
                return self.send(method, path, body, retries - 1, accept)
            problem = _problem(error)
            detail = problem.get("detail") or error.reason
            raise RemoteError(
                f"{method} {path}: {error.code} {detail}", error.code, problem
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise RemoteError(f"cannot reach {self.base}: {reason}") from None

    def get(self, path: str) -> Any:
        """GET a JSON document."""
        return self.call("GET", path)[1]

    def pages(self, path: str) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, following its next links."""
        separator = "&" if "?" in path else "?"
        link: str | None = f"{path}{separator}limit=200"
        while link:
            page = self.get(link)
            yield from page["items"]
            link = page.get("next")

    def fetch_catalog(self, progress: Callable[[list], Iterable] = iter) -> CatalogSpec:
        """Read the whole catalogue from the server, in the shape a tree reads into."""
        config, rules = self.get("/api/v1/config"), self.get("/api/v1/rules")
        catalog = CatalogSpec(config["compatibility"], config["policy"], rules["rules"] or None)
        # READWRITE is every registry's mode until it is changed: a tree says nothing of it.
        catalog.mode = None if config.get("mode") in (None, "READWRITE") else config["mode"]
        catalog.compatibility_group = config.get("compatibility_group")
        catalog.subject_settings = list(config.get("subject_settings", []))
        catalog.teams = [
            TeamSpec(t["slug"], t["name"], t["description"]) for t in self.pages("/api/v1/teams")
        ]
        catalog.domains = [
            DomainSpec(d["slug"], d["name"], d["owner"], d["description"])
            for d in self.pages("/api/v1/domains")
        ]
        catalog.buses = [
            BusSpec(
                b["slug"],
                b["domain"],
                b["router"],
                b["description"],
                tuple(b.get("publishers", [])),
            )
            for b in self.pages("/api/v1/buses")
        ]
        listed = list(self.pages("/api/v1/events"))
        catalog.events = [self._event(e) for e in progress(listed)]
        catalog.consumers = [_consumer(c) for c in self.pages("/api/v1/consumers")]
        return catalog

    def _event(self, item: dict[str, Any]) -> EventSpec:
        """An event type with its whole history: soft-deleted versions keep their numbers and
        state, and the numbers purged since (up to the server's counter) are listed."""
        address = f"/api/v1/events/{item['domain']}/{item['name']}"
        versions = tuple(self._version(v) for v in self.pages(f"{address}/versions?deleted=true"))
        numbers = {version.number for version in versions}
        last = item.get("last_version") or max(numbers, default=0)
        samples = tuple(
            SampleSpec(s["name"], s["payload"], s["expect_valid"], "", _time(s.get("created_at")))
            for s in self.pages(f"{address}/samples")
        )
        fields = {k: item[k] for k in ("bus", "producer", "aggregate", "command", "description")}
        # An event type answers to <domain>.<EventName> when no subject is bound to it.
        subjects = tuple(
            s for s in item.get("subjects", []) if s != f"{item['domain']}.{item['name']}"
        )
        return EventSpec(
            item["domain"],
            item["name"],
            "",
            **fields,
            compatibility=item["compatibility"],
            policy=item["policy"],
            deprecated=item["deprecated"],
            lifecycle=item.get("lifecycle"),
            versions=versions,
            samples=samples,
            purged=tuple(n for n in range(1, last + 1) if n not in numbers),
            subjects=subjects,
            mode=item.get("mode"),
            compatibility_group=item.get("compatibility_group"),
        )

    def _version(self, listed: dict[str, Any]) -> VersionSpec:
        schema_id = listed["schema_id"]
        if schema_id not in self._schemas:
            self._schemas[schema_id] = self.get(f"/api/v1/schemas/{schema_id}")
        schema = self._schemas[schema_id]
        # The dialect matters only where the schema does not name one itself.
        declared = isinstance(schema, dict) and "$schema" in schema
        return VersionSpec(
            listed["version"],
            schema,
            "",
            listed["note"],
            listed["author"],
            created_at=_time(listed.get("created_at")),
            deleted_at=_time(listed.get("deleted_at")),
            dialect=None if declared else listed.get("dialect"),
            guid=listed.get("guid"),
            references=tuple(_reference(r) for r in listed.get("references", [])),
            metadata=listed.get("metadata"),
            rule_set=listed.get("ruleSet"),
            lifecycle=listed.get("lifecycle"),
        )


def _reference(item: dict[str, Any]) -> dict[str, Any]:
    return {"name": item["name"], "subject": item["subject"], "version": item["version"]}


def _time(text: str | None) -> str | None:
    return normal_time(text) if text else None


def _consumer(item: dict[str, Any]) -> ConsumerSpec:
    return ConsumerSpec(
        name=item["name"],
        bus=item["bus"],
        path="",
        pointer="",
        team=item["team"],
        event=item["event"],
        pattern=item["pattern"],
        scope=stated_scope(item.get("scope")),
        fields=tuple(item["fields"]),
        version=item.get("version"),
        calls_back=item["calls_back"],
        description=item["description"],
        created_at=_time(item.get("created_at")),
    )


def _retry_after(error: urllib.error.HTTPError) -> int | None:
    """Seconds to wait before sending a rate-limited request again (None: do not)."""
    wait = error.headers.get("Retry-After", "") if error.code == 429 else ""
    return int(wait) if is_digits(wait) and int(wait) <= MAX_RETRY_AFTER else None


def _problem(error: urllib.error.HTTPError) -> dict[str, Any]:
    try:
        body = json.loads(error.read() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def event_path(ref: str) -> str:
    """The API path of an event given as domain.EventName."""
    domain, name = parse_event_ref(ref)
    return f"/api/v1/events/{urllib.parse.quote(domain)}/{urllib.parse.quote(name)}"
