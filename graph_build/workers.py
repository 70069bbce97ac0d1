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
        # items sent and not answered yet, in the order the worker runs them; the first one's
        # budget runs from `started` (when the worker was free to begin it)
        self.jobs: deque[tuple[int, object]] = deque()
        self.started = 0.0

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
                 on_timeout: Callable[[T, float], R], on_crash: Callable[[T, str], R], ahead: int = 2) -> Iterator[R]:
    """Yield func(item) for every item, in completion order. `func` must be a module-level
    function (it runs in the workers); on_timeout(item, budget) and on_crash(item, reason) give
    the result for an item whose call overran `budget` seconds or whose worker died.
    Each worker holds up to `ahead` items, so that it starts the next as soon as it has sent a
    result instead of waiting for this process to read it and send another; when a worker is
    stopped, the items it had not begun go to the others."""
    todo = deque(enumerate(items))
    if not todo:
        return
    ahead = max(1, ahead)
    ctx = _context()
    pool = [_Worker(ctx, func) for _ in range(max(1, min(workers, len(todo))))]

    def replace(i: int) -> None:
        w = pool[i]
        w.jobs.popleft()
        todo.extendleft(reversed(w.jobs))  # not begun: handed out again, first
        w.jobs.clear()
        w.stop(kill=True)
        pool[i] = _Worker(ctx, func)

    try:
        while True:
            now = time.monotonic()
            for w in pool:
                while len(w.jobs) < ahead and todo:
                    if not w.jobs:
                        w.started = now
                    idx, item = todo.popleft()
                    w.jobs.append((idx, item))
                    w.conn.send((idx, item))
            busy = [w for w in pool if w.jobs]
            if not busy:
                return
            wait_for = None if budget is None else max(0.0, min(w.started + budget - now for w in busy))
            ready = set(wait([w.conn for w in busy], timeout=wait_for))
            for i, w in enumerate(pool):
                if not w.jobs:
                    continue
                if w.conn in ready:
                    try:
                        while w.jobs:
                            _, result = w.conn.recv()
                            w.jobs.popleft()
                            w.started = time.monotonic()
                            yield result
                            if not w.conn.poll():
                                break
                    except (EOFError, OSError):
                        item = w.jobs[0][1]
                        w.proc.join(1)
                        code = w.proc.exitcode
                        reason = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
                        replace(i)
                        yield on_crash(item, f"the worker processing it died ({reason})")
                elif budget is not None and time.monotonic() - w.started >= budget:
                    item = w.jobs[0][1]
                    replace(i)
                    yield on_timeout(item, budget)
    finally:
        for w in pool:
            w.stop(kill=bool(w.jobs))


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
