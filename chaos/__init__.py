"""Chaos experiments against a running Eventry (`make chaos`, docs/operations.md).

Each experiment follows the discipline's four steps: measure the steady state (success rate, p99
latency, versions gapless, audit log matching the versions, no acknowledged write lost), state a
hypothesis about it, inject one fault with a bounded blast radius (one database, one worker,
a few requests, a few seconds), and measure again during the fault and after it is removed.
A stop button (Ctrl-C, or a stop file) ends the experiment at once and removes the fault.

- ``cluster``: a private PostgreSQL cluster (Debian's initdb and pg_ctl) to stop and freeze.
- ``service``: `eventry serve` (gunicorn) started on a database, its workers found by pid.
- ``client``: one HTTP request, timed.
- ``load``: the bounded load (registrations, reads, validations) and its steady state.
- ``ledger``: what the registry must still hold afterwards (gapless versions, audit, no loss).
- ``hostile``: requests built to hurt (deep nesting, catastrophic patterns, huge bodies).
- ``experiments``: the five experiments and their hypotheses; ``run``: the command line.
"""
