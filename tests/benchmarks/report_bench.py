"""Time and peak memory of building one shop-day report, at 10 k, 100 k and 1 M carts.

    PYTHONPATH=.:shared .venv/bin/python tests/benchmarks/report_bench.py [sizes...]
    PYTHONPATH=.:shared .venv/bin/python tests/benchmarks/report_bench.py --stages 4000
    PYTHONPATH=.:shared valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        .venv/bin/python tests/benchmarks/report_bench.py --stage parse 3000

Each size runs in a fresh process (so peak RSS is its own). The report runs through the
real code path - `services.report.build_day`: stored carts unpacked and read as the
DynamoDB adapter reads them for a report (``ReportedCart``: the JSON as stored, not
validated again), KPIs accumulated, the fact file streamed through the S3 sink - with the
two I/O ends replaced: the stored items come from a generator in place of the index
query's pages, and S3 is a client that reads and counts the uploaded bytes. ``--stages N``
times each step apart over N carts (the fastest of ROUNDS rounds: this kind of machine's
speed moves from one second to the next); ``--stage NAME N`` runs one, untimed, for
callgrind to count its instructions.
DynamoDB and S3 latency are not measured here (they are I/O, paged by 1 MB).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from relance.adapters.carts import _read_reported
from relance.adapters.packing import packed, unpacked
from relance.adapters.reports import S3ReportSink
from relance.config import Settings
from relance.core.cart.events import STORED
from relance.core.cart.state import Cart, event_key
from relance.core.reporting.facts import fact_row
from relance.core.reporting.kpis import CohortKpis
from relance.core.reporting.reported import ReportedCart
from relance.core.shop import Shop
from relance.services.report import build_day
from relance.wiring import AwsAdapters

DAY = date(2026, 11, 2)
START = datetime(2026, 11, 2, tzinfo=UTC)
SHOP = Shop(
    shop_id="bench-shop", name="Bench", sender_email="a@bench.example",
    postal_address="1 rue du Banc, Paris", website="https://bench.example",
)  # fmt: skip


def cart_document(n: int) -> str:
    """A realistic cart as the adapter stores it: 2 items, a customer, 1-12 events
    remembered, 0-3 reminders with feedback, some orders; defaults left out."""
    at = START + timedelta(seconds=n % 86_000)
    steps = n % 4
    reminders = [
        {"step": s, "variant": "A", "claimed_at": at + timedelta(hours=3 * s),
         "message_id": f"m-{n}-{s}", "feedback": {"delivery": at + timedelta(hours=3 * s)}}
        for s in range(1, steps + 1)
    ]  # fmt: skip
    order = None
    if n % 7 == 0:
        placed = at + timedelta(hours=3 * steps + 2)  # after its last email
        order = {"order_id": f"o{n}", "amount": "89.00", "currency": "EUR", "placed_at": placed,
                 "credited_step": steps or None}  # fmt: skip
    events = n % 12 + 1
    cart = Cart.model_validate(
        {
            "shop_id": "bench-shop", "cart_id": f"cart-{n}", "status": "ordered" if order else "active",
            "items": [{"sku": "A", "name": "Lampe", "quantity": 1, "unit_price": "59.00"},
                      {"sku": "B", "name": "Bougie", "quantity": 2, "unit_price": "15.00"}],
            "currency": "EUR", "total": "89.00", "restore_url": f"https://bench.example/cart/{n}",
            "customer": {"email": f"c{n}@example.fr", "first_name": "Claire", "locale": "fr-FR",
                         "orders_count": n % 3},
            "created_at": at, "last_activity_at": at, "content_at": at, "customer_at": at,
            "eligible_at": at, "reminders": reminders, "order": order, "version": 3 + steps,
            "seen_event_ids": [event_key(f"{n}-{e}") for e in range(events)], "events_applied": events,
        },
        context={STORED: True},
    )  # fmt: skip
    return cart.model_dump_json(exclude_defaults=True)


POOL = 840
"""Distinct stored carts cycled through (a multiple of 3, 4 and 7: the mix of the documents)."""


class GeneratedCarts:
    def __init__(self, count: int) -> None:
        self.count = count
        self.items = [{"docz": packed(cart_document(n))} for n in range(POOL)]

    def reported_carts_of_day(self, shop_id: str, day: date) -> Iterator[ReportedCart]:
        for n in range(self.count):
            yield _read_reported(self.items[n % POOL])  # as the DynamoDB adapter reads each item


class CountingS3:
    def __init__(self) -> None:
        self.bytes = 0

    def head_object(self, **_: Any) -> dict[str, Any]:
        return {"Metadata": {}}  # never written before: every file is written

    def put_object(self, Body: bytes, **_: Any) -> None:
        self.bytes += len(Body)

    def upload_fileobj(self, stream: Any, *_: Any, **__: Any) -> None:
        while chunk := stream.read(1 << 20):
            self.bytes += len(chunk)


class BenchServices(AwsAdapters):
    def __init__(self, count: int) -> None:
        super().__init__(Settings(TABLE_NAME="bench"), clock=lambda: START)
        self.s3 = CountingS3()
        self.__dict__["carts"] = GeneratedCarts(count)
        self.__dict__["shops"] = type("Shops", (), {"get": staticmethod(lambda _: SHOP)})()
        s3: Any = self.s3  # counts the uploads in place of an S3Client
        self.__dict__["reports"] = S3ReportSink(s3, "bench")


def run_one(count: int) -> dict[str, float]:
    adapters = BenchServices(count)
    started, cpu = time.perf_counter(), time.process_time()
    build_day(adapters, SHOP, DAY)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "carts": count,
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(peak_mib, 1),
        "us_per_cart": round(seconds / count * 1e6, 1),
        "cpu_us_per_cart": round(cpu / count * 1e6, 1),
        "written_mib": round(adapters.s3.bytes / 2**20, 1),
    }


def stage_work(count: int) -> dict[str, Callable[[int], object]]:
    """Each stage of ``build_day`` as a step over the ``n``-th cart (the 840 stored ones cycled
    through, so that nothing piles up in memory and skews the time); the CSV's step writes
    ``n`` rows at once. What a ``ReportedCart`` works out for the KPIs and the fact row (the
    emails sent, the UTC time, the order's model) is counted in ``parse``, where it is built."""
    stored = GeneratedCarts(count).items
    documents = [unpacked(item) for item in stored]
    carts = [ReportedCart.read(d) for d in documents]
    rows = [fact_row(cart, SHOP.policy) for cart in carts]
    kpis = CohortKpis(SHOP.shop_id, DAY, "EUR")
    sink = S3ReportSink(CountingS3(), "bench")  # type: ignore[arg-type]
    return {
        "unpack": lambda n: unpacked(stored[n % POOL]),
        "parse": lambda n: ReportedCart.read(documents[n % POOL]),
        "kpis": lambda n: kpis.add(carts[n % POOL], SHOP.policy),
        "fact_row": lambda n: fact_row(carts[n % POOL], SHOP.policy),
        "csv": lambda n: sink.write_facts(SHOP.shop_id, DAY, (rows[i % POOL] for i in range(n))),
    }


def run_stage(name: str, count: int) -> None:
    """One stage over ``count`` carts, untimed: for callgrind, which counts its instructions
    (run it with 0 too, and divide the difference)."""
    step = stage_work(count)[name]
    if name == "csv":
        step(count)
    else:
        for n in range(count):
            step(n)


def stages(count: int) -> dict[str, float]:
    """CPU µs per cart of each stage of ``build_day``, timed apart over ``count`` carts."""
    timings: dict[str, float] = {}
    for name, step in stage_work(count).items():
        rounds = []
        for _ in range(ROUNDS):  # the fastest round: the least disturbed by the machine's other work
            started = time.process_time()
            if name == "csv":
                step(count)
            else:
                for n in range(count):
                    step(n)
            rounds.append(time.process_time() - started)
        timings[name] = round(min(rounds) / count * 1e6, 1)
    timings["total"] = round(sum(timings.values()), 1)
    return timings


ROUNDS = 25


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]))))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--stage":
        run_stage(sys.argv[2], int(sys.argv[3]))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--stages":
        print(json.dumps(stages(int(sys.argv[2]))))
        return
    sizes = [int(s) for s in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    header = ("carts", "seconds", "µs/cart", "CPU µs/cart", "peak RSS MiB", "written MiB")
    print("{:>10} {:>9} {:>9} {:>12} {:>13} {:>12}".format(*header))
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout)
        figures = (r["carts"], r["seconds"], r["us_per_cart"], r["cpu_us_per_cart"], r["peak_rss_mib"],
                   r["written_mib"])  # fmt: skip
        print("{:>10} {:>9} {:>9} {:>12} {:>13} {:>12}".format(*figures))


if __name__ == "__main__":
    main()
