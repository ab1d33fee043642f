"""Every AWS call of five cart lifecycles, failed once with each fault: the promises hold.

For each lifecycle the suite runs it once cleanly to list its AWS calls, then once per
(call, fault) with that call failing (the faults the code can tell apart: :func:`faults_for`),
letting the platform retry as AWS does (tests/faults/platform.py). After every run: no email
after an order, an erasure or a bounce; at most one email per step; the three-email sequence
completes, or its failure sits in a dead-letter queue (which alarms). ``python -m
tests.faults.matrix`` prints the matrix recorded in docs/architecture.md#faults.
"""

from __future__ import annotations

import itertools
import os

import pytest

from relance.services.shops import register
from tests.conftest import World, demo_shop
from tests.faults.injector import FAULTS, Calls, inject
from tests.faults.lifecycles import LIFECYCLES, Run, violations
from tests.faults.platform import SHOPIFY_SECRET, Platform

pytestmark = pytest.mark.integration
STRIDE = int(os.environ.get("RELANCE_FAULT_STRIDE", "1"))
"""Fail every STRIDE-th call (1: every call)."""

_runs = itertools.count()
MATRIX: dict[str, list[tuple[str, str, str, list[str]]]] = {}


def replay(world: World, lifecycle: str, fail_at: int | None, fault: str = "") -> tuple[Run, Calls]:
    number = next(_runs)
    shop = demo_shop(f"shop-{number}")
    secret = register(world.adapters, shop)
    world.adapters.secrets.put(shop.shop_id, SHOPIFY_SECRET, world.clock(), "shopify")
    world.clock.now = world.clock.now  # keep the world's clock; the lifecycle moves it
    run = Run(Platform(world, shop.shop_id, secret), address=f"client{number}@example.fr")
    calls = Calls(fail_at=fail_at, fault=fault)
    with inject(calls):
        LIFECYCLES[lifecycle](run)
    return run, calls


READS = ("Get", "Query", "Scan", "List", "Describe", "BatchGet")


def faults_for(call: str, every: bool) -> tuple[str, ...]:
    """The faults worth injecting at ``call``. Outside the SES sender, the code tells no fault
    from another but by its class (test_the_code_tells_faults_apart_only_where_the_suite_looks):
    ``throttle`` and ``5xx`` are both a ClientError, ``timeout`` and ``lost_reply`` both a
    BotoCoreError, and a read that took effect changed nothing. So a read gets a ClientError
    and a timeout, a write those and a lost reply, SES every fault. ``every`` (the matrix
    script): every fault everywhere."""
    if every or call.startswith("sesv2."):
        return FAULTS
    if call.split(".", 1)[1].startswith(READS):
        return ("throttle", "timeout")
    return ("throttle", "timeout", "lost_reply")


def outcomes(world: World, lifecycle: str) -> list[tuple[str, str, str, list[str]]]:
    from tests.conftest import T0

    world.clock.now = T0
    _, clean = replay(world, lifecycle, None)
    every = bool(os.environ.get("RELANCE_FAULT_MATRIX"))
    rows = []
    for index in range(0, len(clean.seen), STRIDE):
        for fault in faults_for(clean.seen[index], every):
            world.clock.now = T0
            run, calls = replay(world, lifecycle, index, fault)
            if calls.injected is None:
                continue  # this run made fewer calls than the clean one: nothing failed
            kept = "dead-lettered" if run.platform.dead_letters else "completed"
            if run.unconfirmed(world):
                kept = "unconfirmed"
            rows.append((f"{index}:{calls.injected}", fault, kept, violations(run, lifecycle, world)))
    return rows


@pytest.mark.parametrize("lifecycle", list(LIFECYCLES))
def test_one_failed_call_anywhere_breaks_no_promise(world: World, lifecycle: str) -> None:
    rows = outcomes(world, lifecycle)
    assert rows, "the lifecycle made no AWS call"
    broken = [(call, fault, problems) for call, fault, _, problems in rows if problems]
    assert broken == []


@pytest.mark.skipif(not os.environ.get("RELANCE_FAULT_MATRIX"), reason="run by python -m tests.faults.matrix")
@pytest.mark.parametrize("lifecycle", list(LIFECYCLES))
def test_print_matrix(world: World, lifecycle: str) -> None:
    from tests.faults.matrix import summarize

    rows = outcomes(world, lifecycle)
    MATRIX[lifecycle] = rows
    if len(MATRIX) == len(LIFECYCLES):
        print("\n" + summarize(MATRIX))


def test_the_code_tells_faults_apart_only_where_the_suite_looks() -> None:
    """What lets the suite inject fewer faults outside SES: no code but the SES sender names
    a botocore fault class or an error code of throttling or a 5xx. Should that change, this
    fails, and faults_for must inject every fault again."""
    import re
    from pathlib import Path

    names = re.compile(
        r"ReadTimeoutError|ConnectTimeoutError|EndpointConnectionError|ProvisionedThroughput|"
        r"ThrottlingException|TooManyRequests|InternalServerError|RequestLimitExceeded"
    )
    layer = Path(__file__).resolve().parents[2] / "shared" / "relance"
    naming = sorted(
        str(path.relative_to(layer)) for path in layer.rglob("*.py") if names.search(path.read_text())
    )
    assert naming == ["adapters/mailer.py"], naming
