"""Run a parser or renderer of untrusted input in a child process with hard limits.

A file a user uploads can be made to cost far more than its size (an SVG whose patterns
fill each other, a decompression bomb): in a web worker that work would hold the worker
until gunicorn kills it. :func:`run` calls a function in a child process instead. The
child limits itself before it starts (``resource.setrlimit``): CPU seconds (the kernel
stops it with SIGXCPU), address space (allocations fail: ``MemoryError`` or a cairo
error) and no core file. The parent polls it with plain sleeps and kills it at a
wall-clock deadline, the backstop for a child that waits rather than computes.

Children fork from multiprocessing's fork server (a clean process that imported the
module of the function once), not from the caller, which may have threads or a
database connection open. The first call in a process starts that server.
"""

from __future__ import annotations

import multiprocessing
import resource
import signal
import time

from formsvc.domain import clock

POLL_SECONDS = 0.02


class LimitExceeded(Exception):
    """The child was stopped or failed: ``reason`` is "cpu", "memory", "time" or "failed"."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _address_space() -> int:
    """Bytes of address space this process has mapped now (Linux), 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(conn, function, args, cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    mapped = _address_space()
    if mapped:  # what the child may add to what the fork server had already mapped
        resource.setrlimit(resource.RLIMIT_AS, (mapped + memory_bytes, mapped + memory_bytes))
    try:
        result = ("ok", function(*args))
    except MemoryError:
        result = ("memory", "")
    except Exception as error:  # reported to the parent, which decides what it means
        result = ("failed", f"{type(error).__name__}: {error}"[:500])
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", ""))
    conn.close()


def run(
    function,
    *args,
    cpu_seconds: int = 2,
    memory_bytes: int = 512 * 1024 * 1024,
    wall_seconds: float = 4.0,
    preload: tuple[str, ...] = (),
):
    """``function(*args)`` computed in a child process; its (picklable) result.

    Raises :class:`LimitExceeded` when the child used more than ``cpu_seconds`` of CPU
    or ``memory_bytes`` of memory beyond what it started with, was still running
    ``wall_seconds`` after it started (it is killed), crashed, or raised.
    ``function`` must be importable by name (a module-level function); ``preload``
    names modules it needs that the fork server should import once, if it is not
    running yet.
    """
    context = multiprocessing.get_context("forkserver")
    # imported once by the fork server, not by every child (only until the server has started)
    context.set_forkserver_preload([__name__, function.__module__, *preload])
    receive, send = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(send, function, args, int(cpu_seconds), int(memory_bytes)), daemon=True
    )
    try:
        process.start()  # the first call in a process also starts the fork server
        deadline = clock.monotonic() + wall_seconds
        send.close()
        result = None
        # plain sleeps, not timed waits: the parent must notice the deadline on any clock
        while result is None:
            if receive.poll():
                try:
                    result = receive.recv()
                except EOFError:  # the child died before it answered
                    break
            elif not process.is_alive():
                if receive.poll():
                    continue
                break
            elif clock.monotonic() >= deadline:
                process.kill()
                process.join()
                raise LimitExceeded("time", f"still running after {wall_seconds} s")
            else:
                time.sleep(POLL_SECONDS)
        process.join()
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        receive.close()
        if not send.closed:
            send.close()
    if result is None:
        code = process.exitcode
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            raise LimitExceeded("cpu", f"exit {code}")
        raise LimitExceeded("failed", f"exit {code}")
    kind, value = result
    if kind == "ok":
        return value
    raise LimitExceeded(kind, value)
