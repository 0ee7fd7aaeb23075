"""Run independent tasks in forked worker processes, results in task order.

The rule phase of a big scan is split into chunks of targets (see ``engine``). Forking, not
spawning: a worker inherits the parent's loaded documents, object index and compiled rules as
they are (copy-on-write), so nothing but a small task description goes in and only findings come
back. Loading stays in the parent: shipping located trees between processes cost more (pickling
the corpus' trees took half as long as parsing it) than a second core saves.

Where ``fork`` is not available (Windows) or would be unsafe (macOS system frameworks), the
caller runs the tasks in-process instead; the output is the same either way.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

#: Set in the parent just before the workers are forked; read by :func:`_run` in each worker.
_JOB: tuple[Callable[[Any, Any], Any], Any] | None = None


class ParallelError(Exception):
    """The workers could not finish (one died, or a result could not be sent back)."""


def fork_available() -> bool:
    """Only Linux forks safely here; elsewhere the caller runs in-process."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask, as containers and ``taskset`` set it)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def split(weights: Sequence[int], parts: int) -> list[tuple[int, int]]:
    """Cut ``range(len(weights))`` into at most ``parts`` contiguous, non-empty ``(start, end)``
    ranges of about equal total weight, in order. Empty input gives one empty range."""
    n = len(weights)
    if n == 0 or parts <= 1:
        return [(0, n)]
    if not any(weights):
        weights = [1] * n
    parts = min(parts, n)
    total = sum(weights)
    ranges: list[tuple[int, int]] = []
    start = acc = 0
    for i, w in enumerate(weights[:-1]):
        acc += w
        if acc * parts >= total * (len(ranges) + 1):  # this range has its share
            ranges.append((start, i + 1))
            start = i + 1
            if len(ranges) == parts - 1:
                break
    ranges.append((start, n))
    return ranges


#: ``prctl(PR_SET_PDEATHSIG, ...)``: Linux's request to be signalled when the parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Worker initializer: end when the parent ends, however it ends.

    A parent killed by SIGKILL (a CI timeout, an OOM kill) cannot stop its workers, and workers
    blocked on the task queue would then live on, holding the caller's stdout and stderr open:
    the CI step or pre-commit hook that ran ekslint would hang. The kernel's parent-death
    signal covers that; the ppid check covers a parent that died before it was set.
    """
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc/musl Linux
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C reaches the whole group: the parent acts
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited by fork
    if os.getppid() != parent:
        os._exit(1)


#: The pool of the running :func:`map_forked`, for :func:`abort_workers`.
_POOL: Any = None


def abort_workers() -> bool:
    """Kill the running pool's workers at once; False when no pool runs.

    For the parent's SIGINT/SIGTERM handler, which then ends the process: shutting the pool down
    would let every worker finish its chunk, and raising KeyboardInterrupt into the pool's
    machinery races with its manager thread (tracebacks from ``concurrent.futures``).
    """
    pool = _POOL
    if pool is None:
        return False
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    return True


def _run(task: Any) -> Any:
    assert _JOB is not None, "worker started without a job"
    fn, state = _JOB
    return fn(state, task)


def map_forked(fn: Callable[[Any, Any], Any], state: Any, tasks: Sequence[Any], workers: int) -> list[Any]:
    """``[fn(state, t) for t in tasks]`` computed by ``workers`` forked processes.

    ``fn`` must be a module-level function and each task and result picklable; ``state`` is
    inherited, never pickled. Tasks are handed out one at a time (a worker that finishes a cheap
    chunk takes the next), and results come back in task order. Raises :class:`ParallelError`
    if a worker dies or a task fails; the parent's state is untouched, so the caller can then
    run the tasks in-process.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _JOB, _POOL
    _JOB = (fn, state)
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        )
        _POOL = pool
        try:
            results = list(pool.map(_run, tasks))
        except Exception:  # a failed task or a dead worker: stop the rest, the caller falls back
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            _POOL = None
        pool.shutdown(wait=True)
        return results
    except BrokenProcessPool as exc:
        raise ParallelError(f"a worker process died ({exc})") from exc
    except Exception as exc:  # whatever failed in a worker is re-raised here: fall back
        raise ParallelError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        _JOB = None
