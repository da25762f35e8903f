"""The database itself refuses bad data, whatever the code above it does."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.db.engine import make_engine


@pytest.fixture
def connection(database_url):
    engine = make_engine(database_url)
    with engine.connect() as conn:
        conn.execute(
            text(
                "INSERT INTO teams (slug, name, description, created_at) VALUES ('t', 'T', '', CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO domains (slug, name, description, owner_team_id, created_at, updated_at) VALUES ('d', 'D', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.commit()
        yield conn
    engine.dispose()


NOW = "CURRENT_TIMESTAMP"


@pytest.mark.parametrize(
    "statement",
    [
        f"INSERT INTO buses (slug, domain_id, router, description, created_at, updated_at) VALUES ('b', 1, 'carrier-pigeon', '', {NOW}, {NOW})",
        f"INSERT INTO buses (slug, domain_id, router, description, created_at, updated_at) VALUES ('b', 99, 'sns', '', {NOW}, {NOW})",
        f"INSERT INTO domains (slug, name, description, owner_team_id, created_at, updated_at) VALUES ('d', 'Again', '', 1, {NOW}, {NOW})",
        f"INSERT INTO event_types (domain_id, name, producer, aggregate, command, description, compatibility, lifecycle, last_version, created_at, updated_at) VALUES (1, 'E', '', '', '', '', 'SIDEWAYS', 'active', 0, {NOW}, {NOW})",
        f"INSERT INTO event_types (domain_id, name, producer, aggregate, command, description, compatibility, lifecycle, last_version, created_at, updated_at) VALUES (1, 'F', '', '', '', '', 'BACKWARD', 'sunset', 0, {NOW}, {NOW})",
        f"INSERT INTO settings (id, compatibility, policy, updated_at) VALUES (2, 'NONE', 'strict', {NOW})",
        f"INSERT INTO api_tokens (name, is_admin, prefix, secret_hash, scopes, created_at) VALUES ('x', false, 'p', 'h', '[]', {NOW})",
    ],
    ids=[
        "unknown router",
        "missing domain",
        "duplicate slug",
        "unknown level",
        "unknown lifecycle",
        "second settings row",
        "token of nobody",
    ],
)
def test_the_database_refuses(connection, statement):
    with pytest.raises(IntegrityError):
        connection.execute(text(statement))
    connection.rollback()


def test_a_team_that_owns_a_domain_cannot_be_deleted(connection):
    with pytest.raises(IntegrityError):
        connection.execute(text("DELETE FROM teams WHERE id = 1"))
    connection.rollback()


def test_the_database_refuses_an_unknown_version_lifecycle(connection):
    connection.execute(
        text(
            "INSERT INTO event_types (domain_id, name, producer, aggregate, command, description, lifecycle, last_version, created_at, updated_at) "
            f"VALUES (1, 'E', '', '', '', '', 'active', 1, {NOW}, {NOW})"
        )
    )
    connection.execute(
        text(
            "INSERT INTO schemas (canonical, fingerprint, dialect, guid, created_at) "
            f"VALUES ('{{}}', 'f', 'draft-07', '00000000-0000-4000-8000-000000000000', {NOW})"
        )
    )
    version = (
        "INSERT INTO schema_versions (event_type_id, version, schema_id, note, author, lifecycle, created_at) "
        f"VALUES (1, 1, 1, '', '', '{{}}', {NOW})"
    )
    connection.execute(text(version.format("retired")))
    with pytest.raises(IntegrityError):
        connection.execute(text(version.replace("1, 1, 1", "1, 2, 1").format("sunset")))
    connection.rollback()
