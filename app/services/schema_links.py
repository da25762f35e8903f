"""Which versions a version's schema uses through its references, and which versions use it:
what the native API's ``referenced-by`` and the event page's "Uses" and "Used by" show.

A reference (Confluent's ``references``, stored by app.services.contents) ties a schema to
one registered version; every version holding that schema uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.db.models import SchemaReference, SchemaVersion
from app.db.queries import references as reference_queries
from app.services import versions


@dataclass(frozen=True)
class Links:
    """A version's references (each with its ``target`` version loaded, in order) and the
    versions whose schemas reference it (by domain, event and number)."""

    uses: list[SchemaReference] = field(default_factory=list)
    used_by: list[SchemaVersion] = field(default_factory=list)


def referenced_by(
    session: Session, domain: str, name: str, number: str | int
) -> list[SchemaVersion]:
    """The versions (live and soft-deleted) whose schemas reference version ``number`` of the
    event type ("latest": the newest live one; a soft-deleted version may be named), by
    domain, event and number. Raises NotFound, VersionNotFound and InvalidVersion."""
    version = versions.get_version(session, domain, name, number, deleted=True)
    return [each for _, each in reference_queries.referencing_versions_of(session, [version.id])]


def version_links(session: Session, shown: list[SchemaVersion]) -> dict[int, Links]:
    """The links of each of the versions, by version id, in two statements however many."""
    uses: dict[int, list[SchemaReference]] = {}
    for reference in reference_queries.references_of_schemas(
        session, sorted({each.schema_id for each in shown})
    ):
        uses.setdefault(reference.schema_id, []).append(reference)
    used_by: dict[int, list[SchemaVersion]] = {}
    for version_id, user in reference_queries.referencing_versions_of(
        session, [each.id for each in shown]
    ):
        used_by.setdefault(version_id, []).append(user)
    return {
        each.id: Links(uses.get(each.schema_id, []), used_by.get(each.id, [])) for each in shown
    }
