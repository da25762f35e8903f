"""Work over many items in forked processes: answers in order, from other processes, and the
same answers, errors included, as one process gives."""

from __future__ import annotations

import os
import subprocess
import sys
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


WAIT_FOREVER = """
import os, sys, time
from pathlib import Path
from app.services import fan_out

folder = Path(sys.argv[1])

def stay(item):
    (folder / str(os.getpid())).touch()
    time.sleep(600)
    return item

list(fan_out.answers(stay, list(range(fan_out.LEAST_PER_PROCESS * 2)), 2))
"""


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")  # Linux: a zombie has ended, only its parent's wait is due
    return not stat.is_file() or stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_parent_killed_outright_leaves_no_process_behind(tmp_path):
    parent = subprocess.Popen([sys.executable, "-c", WAIT_FOREVER, str(tmp_path)])
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        children = [int(path.name) for path in tmp_path.iterdir()]
        assert len(children) == 2
    finally:
        parent.kill()  # SIGKILL: no clean-up of its own runs
        parent.wait()
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(running(pid) for pid in children)
