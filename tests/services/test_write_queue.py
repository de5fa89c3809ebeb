"""SQLite writers wait for the write lock in order of arrival (services/tx.py, issue 13)."""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from pathlib import Path

from tui_journal.services import tx

WAITERS = 6


def _counter(path: Path) -> int:
    # Opening and closing the file here also proves the locks survive it (classic POSIX
    # locks of the process would all be dropped by this close).
    return int.from_bytes(path.read_bytes()[:8].ljust(8, b"\0"), "little")


def _waiter(path: str, index: int, out: str) -> None:
    fd = os.open(path, os.O_RDWR)
    number = tx._take_turn(fd)
    with open(out, "a") as fh:
        fh.write(f"{index}\n")
    tx._end_turn(fd, number)


def _wait_for_a_number_after(lock: Path, before: int) -> None:
    """Wait (bounded) until the waiter just started has drawn its number."""
    deadline = time.monotonic() + 30
    while _counter(lock) == before and time.monotonic() < deadline:
        time.sleep(0.005)
    assert _counter(lock) == before + 1


def test_waiters_get_the_lock_in_order_of_arrival(tmp_path: Path) -> None:
    lock = tmp_path / "db-write.lock"
    out = tmp_path / "order.txt"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    mine = tx._take_turn(fd)  # the parent holds the lock while the others queue
    ctx = mp.get_context("fork")
    procs = []
    # Started in reverse index order, each only once the previous one has drawn its number:
    # the order of arrival is WAITERS-1 … 0, the opposite of the start of their lives.
    for index in reversed(range(WAITERS)):
        before = _counter(lock)
        proc = ctx.Process(target=_waiter, args=(str(lock), index, str(out)))
        proc.start()
        procs.append(proc)
        _wait_for_a_number_after(lock, before)
    # every waiter has drawn its number, the first ones while the later ones started: nobody
    # passed while the lock was held
    assert not out.exists()
    tx._end_turn(fd, mine)
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    assert out.read_text().split() == [str(i) for i in reversed(range(WAITERS))]
    os.close(fd)


def test_a_waiter_that_dies_does_not_stop_the_queue(tmp_path: Path) -> None:
    lock = tmp_path / "db-write.lock"
    out = tmp_path / "order.txt"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    mine = tx._take_turn(fd)
    ctx = mp.get_context("fork")
    procs = []
    for index in range(3):
        before = _counter(lock)
        proc = ctx.Process(target=_waiter, args=(str(lock), index, str(out)))
        proc.start()
        procs.append(proc)
        _wait_for_a_number_after(lock, before)
    procs[1].kill()  # waiting in the middle of the queue
    procs[1].join(30)
    tx._end_turn(fd, mine)
    for proc in (procs[0], procs[2]):
        proc.join(30)
        assert proc.exitcode == 0
    # Both get through; the one behind the dead waiter may come early (write_tx's flock then
    # still keeps the two apart).
    assert sorted(out.read_text().split()) == ["0", "2"]
    os.close(fd)
