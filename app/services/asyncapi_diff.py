"""AsyncAPI diff: two documents, or a domain's export at a time and now, compared change by
change, each breaking or not (app.core.asyncapi.diff; docs/interop.md, AsyncAPI diff)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core.asyncapi import load_text, read_catalog
from app.core.asyncapi.diff import AsyncApiDiff, diff_catalogs
from app.core.asyncapi.model import ApiCatalog
from app.core.errors import InvalidInput
from app.core.pointers import to_pointer
from app.core.vocabulary import CompatibilityLevel
from app.services.asyncapi_export import export_document

# Both documents are read with no domain, so that a channel is its own name on either side
# (no domain prefix) and names the same bus in both; nothing is written anywhere.
_DOMAIN = ""


def diff_documents(
    old: str | bytes | dict[str, Any],
    new: str | bytes | dict[str, Any],
    level: CompatibilityLevel = CompatibilityLevel.BACKWARD,
    most_bytes: int | None = None,
) -> AsyncApiDiff:
    """Compare two AsyncAPI 2.6 or 3.0 documents, each its text (JSON or YAML) or its parsed
    JSON object, each at most ``most_bytes`` bytes (no bound when None).

    Raises InvalidInput (422) when either cannot be read, or holds a payload that is not a
    valid JSON Schema; each problem's pointer starts with ``/old`` or ``/new``."""
    return diff_catalogs(_read(old, "old", most_bytes), _read(new, "new", most_bytes), level)


def diff_since(
    session: Session,
    domain: str,
    since: datetime,
    level: CompatibilityLevel = CompatibilityLevel.BACKWARD,
) -> AsyncApiDiff:
    """Compare a domain's AsyncAPI export as it was at ``since`` (an aware time) with its export
    now. Raises NotFound for an unknown domain."""
    before = export_document(session, domain, at=since)
    now = export_document(session, domain)
    return diff_catalogs(read_catalog(before, domain), read_catalog(now, domain), level)


def _read(value: str | bytes | dict[str, Any], side: str, most_bytes: int | None) -> ApiCatalog:
    text = json.dumps(value) if isinstance(value, dict) else value
    try:
        document = load_text(text, most_bytes if most_bytes is not None else len(text) + 1)
        return read_catalog(document, _DOMAIN)
    except InvalidInput as error:
        where = to_pointer([side])
        problems = [
            {**problem, "pointer": where + str(problem.get("pointer", ""))}
            for problem in error.errors
        ] or [{"pointer": where, "message": error.detail}]
        raise InvalidInput(f"the {side} document: {error.detail}", problems) from None
