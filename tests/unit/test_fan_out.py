"""Work over many items in forked processes: answers in order, from other processes, and the
same answers, errors included, as one process gives."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.services import fan_out

ENOUGH = fan_out.LEAST_PER_PROCESS * 2  # the fewest items two processes are used for
PARENT = os.getpid()


def square_where(item: int) -> tuple[int, int]:
    return os.getpid(), item * item


def meet(folder: Path, item: int) -> tuple[int, int]:
    """Wait until two processes are working at once (each leaves its pid in ``folder``), so
    the answers cannot all come from one process, however the tasks are handed out."""
    (folder / str(os.getpid())).touch()
    deadline = time.monotonic() + 60
    while len(list(folder.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    return square_where(item)


def test_answers_come_in_the_items_order_from_two_other_processes(tmp_path):
    items = list(range(ENOUGH * 2))
    found = list(fan_out.answers(lambda item: meet(tmp_path, item), items, 2))
    assert [square for _, square in found] == [item * item for item in items]
    assert len({pid for pid, _ in found}) == 2
    assert PARENT not in {pid for pid, _ in found}


@pytest.mark.parametrize(
    ("count", "processes"), [(ENOUGH * 2, 1), (ENOUGH - 1, 2), (ENOUGH * 2, 0)]
)
def test_one_process_or_a_short_list_is_answered_here(count, processes):
    found = list(fan_out.answers(square_where, list(range(count)), processes))
    assert found == [(PARENT, item * item) for item in range(count)]


def refuse(item: int) -> int:
    if item == ENOUGH + 7:
        raise ValueError(f"item {item} is refused")
    return item


def test_an_error_in_another_process_is_raised_here_as_one_process_raises_it():
    answered = []
    with pytest.raises(ValueError, match=f"item {ENOUGH + 7} is refused"):
        for answer in fan_out.answers(refuse, list(range(ENOUGH * 2)), 2):
            answered.append(answer)
    assert answered == list(range(ENOUGH + 7 - (ENOUGH + 7) % fan_out.CHUNK))


def die_away_from_home(item: int) -> tuple[int, int]:
    if os.getpid() != PARENT and item == 3:
        os._exit(1)  # a process killed mid-task (the OOM killer, a signal)
    return square_where(item)[1], item


def test_a_process_that_dies_costs_only_time_its_items_are_answered_here():
    items = list(range(ENOUGH * 2))
    found = list(fan_out.answers(die_away_from_home, items, 2))
    assert found == [(item * item, item) for item in items]
