"""The session a read request gets with a read replica: it reads the replica until it starts
writing, then reads and writes the primary (two independent databases show which answered)."""

from __future__ import annotations

import shutil

from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from app.db import migrate
from app.db.models import Team
from app.services import database, transaction


def test_a_read_session_moves_to_the_primary_for_good_when_it_writes(database_url, tmp_path):
    primary = database.open_engine(database_url)
    if database_url.startswith("sqlite"):
        copy = tmp_path / "replica.db"
        shutil.copyfile(make_url(database_url).database, copy)
        replica = database.open_engine(f"sqlite:///{copy}")
    else:  # the same server: a replica that is the primary still shows the switch by count
        replica = database.open_engine(database_url)
    with database.session_factory(replica)() as seeding, transaction.atomic(seeding):
        seeding.add(Team(slug="seen-on-replica", name="Replica"))
    count = select(func.count()).select_from(Team)
    try:
        with database.read_session_factory(replica, primary)() as session:
            assert session.get_bind() is replica
            before = session.scalar(count)
            with transaction.atomic(session):
                session.add(Team(slug="written", name="Written"))
            assert session.get_bind() is primary
            slugs = set(session.scalars(select(Team.slug)))
        assert "written" in slugs
        if database_url.startswith("sqlite"):
            assert before == 1 and slugs == {"written"}  # read the copy, then the primary
    finally:
        primary.dispose()
        replica.dispose()


def test_a_statement_that_writes_goes_to_the_primary_even_outside_a_use_case(tmp_path):
    urls = [f"sqlite:///{tmp_path / name}" for name in ("primary.db", "replica.db")]
    for url in urls:
        migrate.upgrade(url)
    primary, replica = (database.open_engine(url) for url in urls)
    try:
        with database.read_session_factory(replica, primary)() as session:
            session.execute(insert(Team).values(slug="direct", name="Direct"))
            session.commit()
        for engine, expected in ((primary, ["direct"]), (replica, [])):
            with database.session_factory(engine)() as reader:
                assert list(reader.scalars(select(Team.slug))) == expected
    finally:
        primary.dispose()
        replica.dispose()
