"""Each stored schema keeps the JSON Schema dialect it was read in when it was registered.

A schema without $schema is read in the registry's default dialect; storing the dialect that was
decided keeps its meaning fixed if the setting changes later. Rows stored before this revision
were registered without $schema as 2020-12 by the API; they keep the dialect their $schema names,
else draft-07, the default from now on (as Confluent and Karapace read them).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 06:00:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DIALECTS = ("draft-04", "draft-06", "draft-07", "2019-09", "2020-12")
_MARKERS = {
    "json-schema.org/draft-04/schema": "draft-04",
    "json-schema.org/draft-06/schema": "draft-06",
    "json-schema.org/draft-07/schema": "draft-07",
    "json-schema.org/draft/2019-09/schema": "2019-09",
    "json-schema.org/draft/2020-12/schema": "2020-12",
}


def upgrade() -> None:
    with op.batch_alter_table("schemas") as batch:
        batch.add_column(
            sa.Column("dialect", sa.String(16), nullable=False, server_default="draft-07")
        )
    schemas = sa.table("schemas", sa.column("id"), sa.column("canonical"), sa.column("dialect"))
    connection = op.get_bind()
    for row in connection.execute(sa.select(schemas.c.id, schemas.c.canonical)):
        declared = _declared(row.canonical)
        if declared is not None:
            connection.execute(
                schemas.update().where(schemas.c.id == row.id).values(dialect=declared)
            )
    listed = ", ".join(f"'{name}'" for name in _DIALECTS)
    with op.batch_alter_table("schemas") as batch:
        batch.alter_column("dialect", server_default=None)
        batch.create_check_constraint(op.f("ck_schemas_dialect_known"), f"dialect IN ({listed})")


def _declared(canonical: str) -> str | None:
    # A frozen copy of the rule at the time of writing: migrations never import the app.
    value = json.loads(canonical)
    uri = value.get("$schema") if isinstance(value, dict) else None
    if not isinstance(uri, str):
        return None
    normal = uri.strip().rstrip("#").split("://", 1)[-1]
    return _MARKERS.get(normal)


def downgrade() -> None:
    with op.batch_alter_table("schemas") as batch:
        batch.drop_constraint(op.f("ck_schemas_dialect_known"), type_="check")
        batch.drop_column("dialect")
