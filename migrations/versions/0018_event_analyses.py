"""Each event type's analysis stored as rows (issue 13, item 4): whether it is up to date
(``event_analyses``), its findings (``findings``) and each consumer's answer for it
(``receptions``). Requests read these rows with SQL instead of analysing the whole catalogue;
app.services.analysis_store keeps them. An event type with no ``event_analyses`` row counts as
stale, so a catalogue stored before this migration is analysed by itself (or by
``eventry analyse``). Every mark adds one to the row's ``generation``, so a refresh that read
the event type before the mark leaves it stale.

``field_index`` gets two indexes, (name, json_type) and (name, format): whether a field name is
declared another way somewhere is then two index seeks, which every registration's mark and
every analysis of a few event types ask.

The sort-key columns of ``findings`` compare by code point on PostgreSQL (collation "C"), as
Python's sort and SQLite's BINARY do, so a page is the same on both databases.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
# JSON, not jsonb: a message may quote a user's text, NUL included (see migration 0006).
_JSON = sa.JSON()


def upgrade() -> None:
    op.create_table(
        "event_analyses",
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_event_analyses_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_type_id", name=op.f("pk_event_analyses")),
    )
    op.create_index(op.f("ix_event_analyses_stale"), "event_analyses", ["stale"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("domain", _KEY, nullable=False),
        sa.Column("event", _KEY, nullable=False),
        sa.Column("consumer", _KEY, nullable=False),
        sa.Column("kind", _KEY, nullable=False),
        sa.Column("finding_id", _KEY, nullable=False),
        sa.Column("pointer", _KEY, nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("body", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_findings_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(
        "ix_findings_order",
        "findings",
        ["domain", "event", "consumer", "kind", "finding_id", "pointer"],
    )
    # The counts' GROUP BY reads this index alone (10x faster on 56,000 findings).
    op.create_index("ix_findings_counts", "findings", ["domain", "kind", "severity", "team"])
    for column in ("event_type_id", "team", "kind", "severity"):
        op.create_index(op.f(f"ix_findings_{column}"), "findings", [column])
    op.create_table(
        "receptions",
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("consumer_id", sa.Integer(), nullable=False),
        sa.Column("receives", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("findings", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"],
            ["event_types.id"],
            name=op.f("fk_receptions_event_type_id_event_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consumer_id"],
            ["consumers.id"],
            name=op.f("fk_receptions_consumer_id_consumers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_type_id", "consumer_id", name=op.f("pk_receptions")),
    )
    op.create_index(op.f("ix_receptions_consumer_id"), "receptions", ["consumer_id"])
    # A registration marks the event types sharing a field name declared another way: two
    # index seeks per name (app.db.queries.analyses), never a scan of a common name's uses.
    op.create_index("ix_field_index_name_type", "field_index", ["name", "json_type"])
    op.create_index("ix_field_index_name_format", "field_index", ["name", "format"])


def downgrade() -> None:
    op.drop_index("ix_field_index_name_format", table_name="field_index")
    op.drop_index("ix_field_index_name_type", table_name="field_index")
    op.drop_index(op.f("ix_receptions_consumer_id"), table_name="receptions")
    op.drop_table("receptions")
    for column in ("severity", "kind", "team", "event_type_id"):
        op.drop_index(op.f(f"ix_findings_{column}"), table_name="findings")
    op.drop_index("ix_findings_counts", table_name="findings")
    op.drop_index("ix_findings_order", table_name="findings")
    op.drop_table("findings")
    op.drop_index(op.f("ix_event_analyses_stale"), table_name="event_analyses")
    op.drop_table("event_analyses")
