"""The background refresher of stored analyses (app.services.analysis_store): a daemon thread
per app process, started on first need (a commit that marked event types stale, or a read that
saw some), that refreshes stale event types chunk by chunk until none is left. Processes on
several hosts share the work safely (rows are claimed: FOR UPDATE SKIP LOCKED on PostgreSQL,
one writer at a time on SQLite), so no leader is elected. Off with EVENTRY_ANALYSIS_REFRESH=0
(then `eventry analyse` refreshes, and reads analyse what is stale when it is few)."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.services import analysis_store, database, stale_marks

log = logging.getLogger(__name__)
EXTENSION = "eventry.analyser"
# How long an idle refresher sleeps before it looks again without being woken (a mark made
# by another process wakes only that process's refresher).
IDLE_S = 60
# How long a woken refresher lets marks gather before it refreshes: under a stream of writes
# (32 writers registering 70 versions/s) the event types of many commits make one chunk,
# whose fixed cost (its transaction, the claim, the consumers and field conflicts read for
# it) is paid once rather than after every commit. Reads stay exact meanwhile: a read
# analyses the few stale event types it meets (app.services.stale_marks.inline).
SETTLE_S = 0.2
# How long it waits when another process of the host refreshes the same SQLite file.
BUSY_S = 1
# How long it waits after a failure (a database that is down or locked) before trying again.
RETRY_S = 5


class Refresher:
    """Refreshes stale event types whenever woken, and every IDLE_S."""

    def __init__(self, sessions: sessionmaker[Session], database_url: str) -> None:
        self.sessions = sessions
        self.database_url = database_url
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def poke(self) -> None:
        """Ask for a refresh soon; starts the thread on first call."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="eventry-analyser", daemon=True
                )
                self._thread.start()
        self._wake.set()

    def stop(self, wait_s: float = 30) -> None:
        """Ask the thread to stop and wait for its current chunk (at most ``wait_s``)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(wait_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(IDLE_S)
            self._stop.wait(SETTLE_S)
            self._wake.clear()
            try:
                with self.sessions() as session:
                    done = analysis_store.refresh_alone(session, self.database_url)
                if not done:  # another process of this host is refreshing: look again soon
                    self._stop.wait(BUSY_S)
                    self._wake.set()
            except Exception as error:
                unavailable = database.unavailable_of(error)
                if unavailable is None:
                    log.exception("refreshing stored analyses failed; trying again")
                else:  # expected now and then (SQLite's one writer busy): no traceback
                    log.warning(
                        "refreshing stored analyses waits: %s; trying again in %d s",
                        unavailable.detail,
                        RETRY_S,
                    )
                self._stop.wait(RETRY_S)


def install(app: Flask, settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Configure the reads' inline analysis and, when EVENTRY_ANALYSIS_REFRESH is on, the
    refresher (app.extensions[EXTENSION]), woken by sessions on either database."""
    stale_marks.configure(settings.analysis_inline)
    if not settings.analysis_refresh:
        return
    refresher = Refresher(sessions, settings.database_url)
    app.extensions[EXTENSION] = refresher
    runtime = app.extensions["eventry"]
    stale_marks.on_stale(runtime.engine, refresher.poke)
    if runtime.reads is not None:
        stale_marks.on_stale(runtime.reads.engine, refresher.poke)
