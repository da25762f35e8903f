"""Creating what a measurement registers into: a team, domains, buses and event types."""

from __future__ import annotations

import secrets
import threading
from typing import Any

from .client import Api, Reply


class SetupError(RuntimeError):
    """The server refused to create something the measurement needs."""

    def __init__(self, what: str, reply: Reply) -> None:
        super().__init__(f"{what}: {reply.brief()}")
        self.reply = reply


class Catalog:
    """Everything a run creates lives under one team and run-specific domain slugs, so a run
    never collides with another one on a long-lived server (--url)."""

    def __init__(self, api: Api, run_id: str | None = None) -> None:
        self.api = api
        self.run_id = run_id or secrets.token_hex(3)
        self.team = f"conformance-{self.run_id}"
        self._lock = threading.Lock()
        self._team_made = False

    def _ensure_team(self) -> None:
        with self._lock:
            if self._team_made:
                return
            body = {"slug": self.team, "name": "Conformance measurement"}
            reply = self.api.post("/api/v1/teams", body, auth=True)
            if not reply.ok:
                raise SetupError("creating the team (needs an admin token)", reply)
            self._team_made = True

    def domain(self, stem: str) -> str:
        """Create a domain (and a bus on it) for one part of the run; return its slug."""
        self._ensure_team()
        slug = f"{stem}-{self.run_id}"
        body = {"slug": slug, "name": f"Conformance: {stem}", "owner": self.team}
        reply = self.api.post("/api/v1/domains", body, auth=True)
        if not reply.ok:
            raise SetupError(f"creating domain {slug}", reply)
        bus = {"slug": f"{slug}-bus", "domain": slug, "router": "other"}
        reply = self.api.post("/api/v1/buses", bus, auth=True)
        if not reply.ok:
            raise SetupError(f"creating bus {slug}-bus", reply)
        return slug

    def event_type(self, domain: str, name: str, level: str, policy: str | None = None) -> str:
        """Create an event type and set its compatibility config; return its URL path."""
        body = {"domain": domain, "name": name, "bus": f"{domain}-bus", "producer": "conformance"}
        reply = self.api.post("/api/v1/events", body, auth=True)
        if not reply.ok:
            raise SetupError(f"creating event type {domain}/{name}", reply)
        path = f"/api/v1/events/{domain}/{name}"
        config = {"compatibility": level, **({"policy": policy} if policy else {})}
        reply = self.api.put(path + "/config", config, auth=True)
        if not reply.ok:
            raise SetupError(f"configuring {domain}/{name}", reply)
        return path

    def register(self, path: str, schema: Any, note: str = "") -> Reply:
        """Register a schema as the event type's next version."""
        return self.api.post(path + "/versions", {"schema": schema, "note": note[:4000]}, True)

    def validate(self, path: str, events: list[Any], version: int) -> Reply:
        """Validate a batch of events against one version."""
        return self.api.post(path + "/validate", {"events": events, "version": version})


def pascal(text: str) -> str:
    """An event type name (PascalCase letters and digits) made from any text."""
    words = "".join(c if c.isalnum() else " " for c in text).split()
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if name[:1].isalpha() else "X" + name
