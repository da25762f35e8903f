"""The webhook delivery worker: a daemon thread in each app process (each gunicorn worker), on
when EVENTRY_WEBHOOKS=1. Workers in several processes and on several hosts share the outbox
safely (app.services.delivery claims with FOR UPDATE SKIP LOCKED), so no leader is elected."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.services import delivery

log = logging.getLogger(__name__)
EXTENSION = "eventry.notifier"
PRUNE_EVERY_S = 3600  # how often a worker deletes sent notifications past their keeping


class Notifier:
    """Sends due deliveries until stopped; idle, it looks again every ``poll_ms``."""

    def __init__(self, sessions: sessionmaker[Session], policy: delivery.Policy, poll_ms: int):
        self.sessions = sessions
        self.policy = policy
        self.poll_s = poll_ms / 1000
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="eventry-webhooks", daemon=True)

    def start(self) -> Notifier:
        """Start the thread; return self."""
        self._thread.start()
        return self

    def stop(self, wait_s: float = 30) -> None:
        """Ask the thread to stop and wait for its current attempt (at most ``wait_s``)."""
        self._stop.set()
        self._thread.join(wait_s)

    def _run(self) -> None:
        pruned_at = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - pruned_at >= PRUNE_EVERY_S:
                    pruned_at = time.monotonic()
                    delivery.prune(self.sessions, self.policy)
                busy = delivery.run_once(self.sessions, self.policy)
            except Exception:
                # A database that is down or locked must not end the thread: try again later.
                log.exception("webhook delivery failed; trying again")
                busy = 0
            if not busy:
                self._stop.wait(self.poll_s)


def install(app: Flask, settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Start the worker for this app when EVENTRY_WEBHOOKS is on (app.extensions[EXTENSION])."""
    if not settings.webhooks:
        return
    policy = delivery.Policy(
        timeout_ms=settings.webhooks_timeout_ms,
        max_attempts=settings.webhooks_max_attempts,
        retry_ms=settings.webhooks_retry_ms,
        retry_max_ms=settings.webhooks_retry_max_ms,
        allow_private=settings.webhooks_allow_private,
        keep_days=settings.webhooks_keep_days,
    )
    app.extensions[EXTENSION] = Notifier(sessions, policy, settings.webhooks_poll_ms).start()
