"""gunicorn's settings for `eventry serve` (app/cli/gunicorn_config.py)."""

from __future__ import annotations

import gc

from app.cli import gunicorn_config


def test_a_worker_freezes_what_it_holds_once_the_app_is_loaded():
    # Full collections then skip the objects the worker holds for good (docs/performance.md).
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        gunicorn_config.post_worker_init(None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
