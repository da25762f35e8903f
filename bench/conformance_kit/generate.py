"""Instances of a schema from hypothesis-jsonschema: repeatable (derandomized) and time-bounded."""

from __future__ import annotations

import json
import signal
import threading
import time
import warnings
from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample, Unsatisfiable


class _TimeUp(Exception):
    """The hard per-schema bound passed (raised from SIGALRM)."""


def _settings(count: int) -> settings:
    return settings(
        max_examples=count * 4,
        derandomize=True,  # the same seed on every run, so the report repeats
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def instances(schema: Any, count: int, seconds: float) -> tuple[list[Any], str]:
    """Up to `count` distinct instances of the schema; ([], reason) when none can be made.

    Generation stops after `seconds`; a hard alarm at three times that also stops the strategy's
    construction, which hypothesis-jsonschema can spend long in for large combined schemas.
    """
    from hypothesis_jsonschema import from_schema

    found: dict[str, Any] = {}
    deadline = time.monotonic() + seconds

    def enough(value: Any) -> bool:
        found.setdefault(json.dumps(value, sort_keys=True), value)
        return len(found) >= count or time.monotonic() > deadline

    alarm = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGALRM, _raise_time_up) if alarm else None
    if alarm:
        signal.setitimer(signal.ITIMER_REAL, seconds * 3)
    reason = ""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # hypothesis-jsonschema uses jsonschema's RefResolver
            find(from_schema(schema), enough, settings=_settings(count))
    except NoSuchExample:
        pass  # fewer distinct values than asked for
    except Unsatisfiable as error:
        empty = "empty strategy" in str(error)
        reason = "the old schema accepts no value" if empty else f"Unsatisfiable: {error}"[:160]
    except _TimeUp:
        reason = f"timed out after {seconds * 3:g} s"
    except Exception as error:  # hypothesis-jsonschema's refusals come in many types
        first = str(error).splitlines()[0].split(" in schema=")[0]
        reason = f"{type(error).__name__}: {first}"[:160]
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    values = list(found.values())
    return values, ("" if values else reason or "no instance generated")


def _raise_time_up(signum: int, frame: Any) -> None:
    raise _TimeUp()
