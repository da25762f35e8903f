"""Run one function over many items in several processes, answers in the items' order.

For CPU-bound work over a long list in a command-line tool (`eventry check` of a big tree):
Python runs one thread's code at a time, so a second core helps only through a second process.
The processes are forked from this one, so the function and the items reach them as they are
(a closure over the whole checked tree, documents with compiled validators), never pickled;
only each item's answer travels back, pickled. Where the platform has no ``fork`` (Windows), or
the list is too short to pay for the processes, everything runs here, in order.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")

# Items per task sent to a process: big enough that the answers' trip back is a small part of a
# task, small enough that the processes finish together and a progress bar moves.
CHUNK = 25
# Below this many items per extra process, forking costs more than it saves.
LEAST_PER_PROCESS = 50

# How often a forked process looks whether the process that forked it still runs, in seconds.
PARENT_CHECK_S = 0.5

# What the forked processes run: set just before they are forked, read by _run in them.
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def usable_cores() -> int:
    """The number of cores this process may run on (its CPU affinity where the platform says,
    else the machine's count); at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def answers(
    function: Callable[[Item], Answer], items: Sequence[Item], processes: int
) -> Iterator[Answer]:
    """``function(item)`` for each item, yielded in the items' order, computed in up to
    ``processes`` forked processes (this one waits for their answers), or here when
    ``processes`` is 1, fork is unavailable or there are fewer than LEAST_PER_PROCESS items per
    process. Each answer must be picklable. An exception raised by ``function`` is raised here,
    as a serial run would raise it; a process that dies (killed, out of memory) costs only time:
    its items are computed here instead."""
    processes = min(processes, len(items) // LEAST_PER_PROCESS)
    if processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(function, items)
        return
    global _work
    _work = (function, items)
    # The forked processes' collector leaves what they inherited alone (gc.freeze's documented
    # use): else each full collection walks, and copies page by page, this whole heap.
    gc.freeze()
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        processes, mp_context=context, initializer=_watch, initargs=(os.getpid(),)
    )
    try:
        starts = range(0, len(items), CHUNK)
        # The first submit forks the processes (all of them, with fork): _work is theirs then.
        tasks = [pool.submit(_run, start, start + CHUNK) for start in starts]
        _work = None
        for start, task in zip(starts, tasks, strict=True):
            yield from _answers_of(task, function, items[start : start + CHUNK])
    finally:  # a reader that stops early (an error, Ctrl-C) leaves no task to run
        _work = None
        gc.unfreeze()
        pool.shutdown(wait=True, cancel_futures=True)


def _watch(parent: int) -> None:
    """In a forked process, first: a thread that ends the process once the one that forked it
    is gone. A parent killed outright (SIGTERM, SIGKILL, a CI job's time limit) runs no
    clean-up, and its processes would otherwise wait for work forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="eventry-parent-watch", daemon=True).start()


def _answers_of(task: Any, function: Callable, items: Sequence) -> list:
    try:
        return task.result()
    except BrokenProcessPool:
        return [function(item) for item in items]


def _run(start: int, stop: int) -> list:
    assert _work is not None, "run only in a process forked by answers()"
    function, items = _work
    return [function(item) for item in items[start:stop]]
