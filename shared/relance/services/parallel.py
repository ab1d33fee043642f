"""Run independent pieces of work at once: most of an AWS call is waiting on the network."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def each(work: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    """``work(item)`` for every item, up to ``workers`` at a time, results in order.

    Every item is worked on even if another fails; then the first failure is raised, so the
    caller fails as a whole (the API answers 5xx and the shop resends) with no piece left
    running. Each thread runs in a copy of the caller's context (the log keys, and anything
    else held in context variables)."""
    if workers <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(contextvars.copy_context().run, work, item) for item in items]
    failures = [future.exception() for future in futures if future.exception() is not None]
    if failures:
        raise failures[0]  # type: ignore[misc]
    return [future.result() for future in futures]
