"""Work on untrusted input in a child process: its answer comes back, and the child is
stopped at its CPU, memory and wall-clock limits (formsvc/documents/sandbox.py)."""

from __future__ import annotations

import os
import time

import pytest

from formsvc.documents import sandbox


def spin() -> None:
    while True:
        pass


def hoard() -> None:
    kept = []
    while True:
        kept.append(bytearray(64 * 1024 * 1024))


def wait() -> None:
    for _ in range(600):
        time.sleep(0.1)


def crash() -> None:
    os.abort()


def double(value: int) -> int:
    return 2 * value


def test_the_child_answers():
    assert sandbox.run(double, 21) == 42


@pytest.mark.parametrize(
    "function, reason",
    [(spin, "cpu"), (hoard, "memory"), (wait, "time"), (crash, "failed")],
    ids=["cpu", "memory", "wall-clock", "crash"],
)
def test_the_child_is_stopped_at_its_limits(function, reason):
    started = time.perf_counter()
    with pytest.raises(sandbox.LimitExceeded) as info:
        # only the wall-clock case has a short wall limit: on a busy machine the others
        # could meet it before their own limit
        sandbox.run(function, cpu_seconds=1, memory_bytes=256 * 1024 * 1024, wall_seconds=3 if reason == "time" else 30)
    assert info.value.reason == reason
    assert time.perf_counter() - started < 30
