"""What the HTTP adapters (API and UI) share: the runtime and one database session per request."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.engine import make_engine, make_session_factory


@dataclass(frozen=True)
class Runtime:
    """The app's settings, engine and session factory."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        """Create the engine for the configured database (no connection is made yet)."""
        engine = make_engine(settings.database_url)
        return cls(settings, engine, make_session_factory(engine))


def runtime() -> Runtime:
    """Return the current app's runtime."""
    return current_app.extensions["eventry"]


def db_session() -> Session:
    """Return this request's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = runtime().sessions()
    return g.db_session


def register_session_handling(app: Flask) -> None:
    """Close the request's session when the request ends, whatever happened."""

    @app.teardown_appcontext
    def close_session(_error: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()
