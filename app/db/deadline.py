"""A client-side deadline on every wait for a PostgreSQL server that stopped answering.

A server that is frozen (SIGSTOPped, swapped out, a hung host, a stalled storage volume) keeps
its sockets open, and its kernel still accepts connections and acknowledges every packet. So
nothing on the server side bounds a wait: ``statement_timeout`` runs in the process that is
frozen, and TCP's ``tcp_user_timeout`` and keepalives never fire, since every segment is acked.
libpq's ``connect_timeout`` bounds only connecting, and never below 2 s. Only the client can
stop waiting, so psycopg's waits are bounded here: every wait on a connection by ``read_s``,
making a connection by ``connect_s``. A wait past its deadline closes the connection (it is in
the middle of the protocol and cannot be used again) and raises ``ServerSilent``.

psycopg runs each operation as a generator that yields when it would block and is resumed by
a waiting function at least every 0.1 s (its ``interval``), ready or not; the deadline is
checked at each resumption. ``_connect_gen`` is how psycopg 3.3 builds a connection's
generator (pinned in requirements.txt; tests/functional/faults freezes a server to prove it).
"""

from __future__ import annotations

from collections.abc import Generator
from time import monotonic
from typing import Any

import psycopg
from sqlalchemy import Engine, event

# How long past the server's own statement_timeout the client waits: a server that is alive
# cancels a slow statement first, and its answer ("canceling statement") takes a moment to come.
SERVER_FIRST_MARGIN_S = 0.25


class ServerSilent(psycopg.OperationalError):
    """The server did not answer within the client's deadline; the connection was closed."""


def bound_waits(engine: Engine, read_s: float, connect_s: float) -> None:
    """Make the engine's PostgreSQL connections give up waiting after a deadline.

    ``read_s``: seconds any one wait on an open connection may take (a statement, a commit, the
    pool's ping); ``connect_s``: seconds making a connection may take. Both raise ServerSilent.
    A ping that meets the deadline fails the checkout at once (a 503) rather than connecting
    again within the same request, which would make the request wait twice.
    """
    bounded = _bounded_class(read_s, connect_s)

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):
        return bounded.connect(*cargs, **cparams)

    @event.listens_for(engine, "handle_error")
    def _no_second_wait(context) -> None:
        if context.is_pre_ping and isinstance(context.original_exception, ServerSilent):
            context.is_disconnect = False


def _bounded_class(read_s: float, connect_s: float) -> type[psycopg.Connection]:
    class BoundedConnection(psycopg.Connection):
        def wait(self, gen, interval: float = 0.1, timeout: float | None = None):
            try:
                return super().wait(_until(gen, read_s), interval, timeout)
            except ServerSilent:
                self.close()  # mid-protocol: no later statement could read its own answer
                raise

        @classmethod
        def _connect_gen(cls, conninfo: str = ""):
            return _until(super()._connect_gen(conninfo), connect_s)

    return BoundedConnection


def _until(gen: Generator[Any, Any, Any], seconds: float) -> Generator[Any, Any, Any]:
    """Pass ``gen``'s requests to wait and the answers back; raise ServerSilent past ``seconds``."""
    deadline = monotonic() + seconds
    try:
        request = next(gen)
    except StopIteration as done:  # nothing to wait for
        return done.value
    while True:
        ready = yield request
        # Only a wait that came back empty is silence: an answer that arrived is read.
        if not ready and monotonic() >= deadline:
            gen.close()
            raise ServerSilent(f"the server did not answer within {seconds:g} s")
        try:
            request = gen.send(ready)
        except StopIteration as done:
            return done.value
