"""What the fuzz tests run against: the OpenAPI documents, the callers, the budget and the app.

Every document in DOCUMENTS is fuzzed by schemathesis, each of its operations as each caller in
CALLERS: the native API's and the Confluent-compatible API's. A new document is one more line
in DOCUMENTS; nothing else changes.

The budget: `make test` runs EXAMPLES examples per operation and caller with a fixed seed
(derandomised, so CI is reproducible); `make fuzz` raises it through EVENTRY_FUZZ_EXAMPLES.
The app is called in-process (WSGI): what gunicorn adds (framing, body limits, worker
timeouts) is tested by tests/functional/test_serve*.py and the fault tests.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import schemathesis
from flask import Flask
from schemathesis.specs.openapi.schemas import OpenApiSchema

from app import create_app
from app.config import Settings
from app.services.bootstrap import bootstrap


@schemathesis.serializer("application/x-ndjson")
def _ndjson(_context, value) -> bytes:
    # The document describes an NDJSON body as text (one JSON text a line): text is sent as it
    # is drawn, anything else (negative cases) one JSON text a line of it.
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item, default=repr) + "\n" for item in items).encode()


# The documents the app serves, by path: each is fuzzed whole.
DOCUMENTS = ("/api/v1/openapi.json", "/ccompat/openapi.json")
ADMIN_SECRET = "evt_fuzz-admin-token"
# The team whose token the "team" caller presents (it owns the demo's orders domain).
TEAM = "checkout"
SEED = 20261205
EXAMPLES = int(os.environ.get("EVENTRY_FUZZ_EXAMPLES", "6"))


@dataclass(frozen=True)
class Caller:
    """Who sends the requests: an admin token, a team's token, or none."""

    name: str

    def headers(self, team_secret: str) -> dict[str, str]:
        """The Authorization header this caller sends (none for the anonymous caller)."""
        secret = {"admin": ADMIN_SECRET, "team": team_secret}.get(self.name)
        return {"Authorization": f"Bearer {secret}"} if secret else {}


CALLERS = (Caller("admin"), Caller("team"), Caller("anonymous"))


def app_on(database_url: str) -> Flask:
    """The app the fuzzer calls in-process: the demo catalogue, no rate limits (a 429 would
    only hide the handlers behind it), the fuzz admin token."""
    bootstrap(Settings(database_url=database_url, demo=True, admin_token=ADMIN_SECRET))
    overrides = {"database_url": database_url, "admin_token": ADMIN_SECRET, "demo": False}
    return create_app({**overrides, "rate_limit_writes": 0, "rate_limit_expensive": 0})


def team_secret(app: Flask) -> str:
    """A new token of TEAM, made through the API as a user would."""
    response = app.test_client().post(
        f"/api/v1/teams/{TEAM}/tokens",
        json={"name": "fuzz"},
        headers={"Authorization": f"Bearer {ADMIN_SECRET}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["secret"]


def load(path: str) -> OpenApiSchema:
    """The document at ``path`` as the app serves it, with the fuzz budget and seed."""
    config = schemathesis.Config(seed=SEED)
    config.projects.default.generation.update(
        max_examples=EXAMPLES,
        deterministic=True,
        database="none",
        # The caller decides the Authorization header, never the generator.
        with_security_parameters=False,
    )
    # Serving a document reads no database: an in-memory one that is never opened will do.
    app = create_app({"database_url": "sqlite://", "demo": False})
    return schemathesis.openapi.from_wsgi(path, app, config=config)
