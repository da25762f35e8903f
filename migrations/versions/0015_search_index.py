"""Full-text search over event types: SQLite's FTS5 and PostgreSQL's tsvector with a GIN index.

``event_search`` holds one row per event type: its words (app.core.search_words: name,
description, producer, domain, bus, the field names of its latest live version and the consumers
that declare it), and the field pointers and consumer names the search checks its hits against.
On SQLite it is an FTS5 virtual table (the rowid is the event type's id); on PostgreSQL a table
whose ``words`` tsvector has a GIN index. The services keep it in the transaction of every write
(app.services.search_index); it starts empty and is filled when the registry upgrades or starts
(``backfill``), since reading a schema's fields takes the app's own walker, which a migration must
not follow. It is no model of app.db.models (SQLite's virtual table has no ORM form); the
alembic environment leaves it out of the comparison with the models.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # remove_diacritics 0: a word is found as written, as PostgreSQL's lexemes are.
        op.execute(
            "CREATE VIRTUAL TABLE event_search USING fts5("
            "words, fields UNINDEXED, consumers UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
        return
    op.execute(
        "CREATE TABLE event_search ("
        " event_type_id INTEGER NOT NULL,"
        " words TSVECTOR NOT NULL,"
        " fields TEXT NOT NULL,"
        " consumers TEXT NOT NULL,"
        " CONSTRAINT pk_event_search PRIMARY KEY (event_type_id),"
        " CONSTRAINT fk_event_search_event_type_id_event_types FOREIGN KEY (event_type_id)"
        " REFERENCES event_types (id) ON DELETE CASCADE)"
    )
    op.execute("CREATE INDEX ix_event_search_words ON event_search USING gin (words)")


def downgrade() -> None:
    op.execute("DROP TABLE event_search")
