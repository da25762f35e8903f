"""gunicorn's settings for `eventry serve` (`--config python:app.cli.gunicorn_config`).

- Logs: gunicorn's own messages (boot, worker timeouts, exits) as JSON lines on stderr, in the
  app's format (app/logs.py). gunicorn's access log is off: the app logs one JSON line per
  request itself, with its request id, route and duration.
- Garbage collection: each worker, once the app is loaded, moves what it holds for good
  (modules, the app, caches built at start) out of the collector's reach (``gc.freeze``), so
  the full collections that large requests set off (a batch of 1,000 events builds some 100,000
  objects) scan only what requests made, not the whole process (docs/performance.md).
- Metrics: `eventry serve` points PROMETHEUS_MULTIPROC_DIR at a fresh folder; when a worker dies,
  its live gauges must leave the sums (prometheus-client's mark_process_dead), and the folder
  goes when gunicorn exits.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil

from prometheus_client import multiprocess

METRICS_FOLDER_PREFIX = "eventry-metrics-"
# Python's warnings go through logging (the root logger below), not as bare text on stderr.
logging.captureWarnings(True)

# gunicorn 24+ opens a control socket at one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn):
# a second instance on the host would take it over from the first. Eventry needs none (it is
# stopped with a signal), so each instance runs without one.
control_socket_disable = True

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    # Libraries' warnings (SQLAlchemy, redis…) come out as JSON too; the app's logger has its
    # own handler and does not propagate here (app/logs.py).
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}


def child_exit(_server, worker) -> None:
    """A worker exited (or was killed): drop its live gauges; its counters stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


def on_exit(_server) -> None:
    """gunicorn stops: remove the metrics folder `eventry serve` made for this run."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if os.path.basename(folder).startswith(METRICS_FOLDER_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def post_worker_init(_worker) -> None:
    """A worker has loaded the app: freeze what it holds now, so full garbage collections
    skip it (measured in-process on a 1,000-event batch: a full collection took about 0.7 s
    on the loaded machine before, 5 ms after)."""
    gc.freeze()
