"""Run one function over many documents in worker processes, each call under a time budget.

A call that overruns its budget is stopped by killing its worker (a stuck regex or parser cannot
be interrupted any other way) and reported; a worker that dies (a crash in a C extension, the
kernel's out-of-memory killer) is reported for the document it held. Either way a fresh worker
takes over and the rest of the batch goes on."""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _context():
    # fork: workers inherit the loaded lexicons and models instead of importing them again
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def _serve(conn, func) -> None:
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        idx, item = msg
        conn.send((idx, func(item)))


class _Worker:
    def __init__(self, ctx, func):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, func), daemon=True)
        self.proc.start()
        child.close()
        self.job: tuple[int, object, float] | None = None  # (index, item, started)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run_budgeted(func: Callable[[T], R], items: Iterable[T], workers: int, budget: float | None,
                 on_timeout: Callable[[T, float], R], on_crash: Callable[[T, str], R]) -> Iterator[R]:
    """Yield func(item) for every item, in completion order. `func` must be a module-level
    function (it runs in the workers); on_timeout(item, budget) and on_crash(item, reason) give
    the result for an item whose call overran `budget` seconds or whose worker died."""
    todo = deque(enumerate(items))
    if not todo:
        return
    ctx = _context()
    pool = [_Worker(ctx, func) for _ in range(max(1, min(workers, len(todo))))]
    try:
        while True:
            for w in pool:
                if w.job is None and todo:
                    idx, item = todo.popleft()
                    w.job = (idx, item, time.monotonic())
                    w.conn.send((idx, item))
            busy = [w for w in pool if w.job is not None]
            if not busy:
                return
            now = time.monotonic()
            wait_for = None if budget is None else max(0.0, min(w.job[2] + budget - now for w in busy))
            ready = set(wait([w.conn for w in busy], timeout=wait_for))
            for i, w in enumerate(pool):
                if w.job is None:
                    continue
                _, item, started = w.job
                if w.conn in ready:
                    try:
                        _, result = w.conn.recv()
                    except (EOFError, OSError):
                        w.proc.join(1)
                        code = w.proc.exitcode
                        reason = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                        w.stop(kill=True)
                        pool[i] = _Worker(ctx, func)
                        yield on_crash(item, f"the worker processing it died ({reason})")
                        continue
                    w.job = None
                    yield result
                elif budget is not None and time.monotonic() - started >= budget:
                    w.stop(kill=True)
                    pool[i] = _Worker(ctx, func)
                    yield on_timeout(item, budget)
    finally:
        for w in pool:
            w.stop(kill=w.job is not None)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
