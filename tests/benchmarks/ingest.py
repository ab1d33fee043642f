"""``python -m tests.benchmarks.ingest``: how long a batch of 100 new carts takes to apply.

The real api handler on moto, with each AWS call made to wait as long as AWS would answer
(DynamoDB 8 ms, Scheduler 35 ms, SSM 15 ms: tests/metering.py's LATENCY_MS), outside the
lock that keeps moto to one call at a time; so calls made at once wait at once, as on AWS.
Prints the wall time with the carts worked on one at a time and concurrently, and the calls.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any, cast

from botocore.client import BaseClient

from relance.services import ingest_batch
from tests.benchmarks.costs import _platform, batch_of_new_carts
from tests.conftest import World, _aws_world
from tests.faults.injector import _IN_FUNCTION
from tests.metering import LATENCY_MS


@contextmanager
def answering_like_aws(calls: Counter[str]) -> Iterator[None]:
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def waited(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if _IN_FUNCTION.get():
            service = client.meta.service_model.service_name
            calls[service] += 1
            time.sleep(LATENCY_MS.get(service, 20) / 1000)
        return original(client, operation, params)

    BaseClient._make_api_call = waited  # type: ignore[attr-defined]
    try:
        yield
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]


def timed(world: World, workers: int, runs: int) -> tuple[float, Counter[str]]:
    ingest_batch.WORKERS = workers
    seconds, calls = [], Counter[str]()
    for _ in range(runs):
        platform = _platform(world)
        calls.clear()
        with answering_like_aws(calls):
            started = time.perf_counter()
            batch_of_new_carts(platform, 100)
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), calls


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    generator = cast(Generator[World, None, None], _aws_world())
    world = next(generator)
    configured = ingest_batch.WORKERS
    batch_of_new_carts(_platform(world), 5)  # imports and first clients out of the way
    print("| carts at once | seconds for 100 new carts (median) | AWS calls |")
    print("|---|---|---|")
    for workers in (1, configured):
        seconds, calls = timed(world, workers, runs)
        print(f"| {workers} | {seconds:.2f} | {sum(calls.values())} ({dict(sorted(calls.items()))}) |")
    ingest_batch.WORKERS = configured
    generator.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
