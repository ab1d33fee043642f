"""What a run of the real handlers on moto would be billed on AWS.

While ``metering(meter)`` is open, every AWS call a function makes (inside
``function_running()``) is counted by service and operation, with the DynamoDB capacity
units AWS would charge for it (tests/capacity.py).
Every invocation of a function is counted with the bytes it logs (log lines, EMF lines, and
Lambda's own START/END/REPORT lines) and its own CPU time: the process's CPU time less what
moto spent answering the function's calls and what this meter spent around them.
"""

from __future__ import annotations

import importlib
import io
import logging
import math
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient
from moto.core.botocore_stubber import BotocoreStubber

from relance.core.reporting.costs import Usage
from tests.capacity import Capacity, dynamodb_call
from tests.conftest import BaseWorld
from tests.faults.injector import _IN_FUNCTION

_THE_FUNCTIONS_CALL: ContextVar[bool] = ContextVar("the_functions_call", default=False)

FUNCTIONS = ("api", "reminder", "feedback", "report")
LAMBDA_PLATFORM_LOG_BYTES = 380
"""START, END and REPORT lines Lambda writes for each invocation."""
API_ACCESS_LOG_BYTES = 290
"""One line of the HTTP API's access log (template.yaml's format, typical values)."""


CPU_SCALE = 1769 / 256
"""Lambda gives a function a share of a vCPU in proportion to its memory (a whole one at
1,769 MB): at 256 MB, CPU-bound code runs about 6.9 times slower than on one core here."""
LATENCY_MS = {
    "dynamodb": 8,
    "scheduler": 35,
    "sesv2": 40,
    "ssm": 15,
    "s3": 25,
    "sns": 20,
    "secretsmanager": 15,
}
"""Typical in-region answer times: a call waits this long on Lambda (moto answers at once)."""
MEMORY_GB = {"api": 0.25, "reminder": 0.25, "feedback": 0.25, "report": 0.5}


@dataclass
class Part:
    """What one function's invocations used."""

    calls: Counter[str] = field(default_factory=Counter)
    invocations: int = 0
    read_units: float = 0.0
    table_write_units: float = 0.0
    index_write_units: float = 0.0
    log_bytes: int = 0
    own_cpu_seconds: float = 0.0
    billed_gb_seconds: float = 0.0
    write_units_by_kind: Counter[str] = field(default_factory=Counter)
    """Table and index write units by the kind of item written (its sort key's first word)."""

    def usage(self, function: str) -> Usage:
        def count(prefix: str) -> int:
            return sum(n for call, n in self.calls.items() if call.startswith(prefix))

        return Usage(
            api_requests=self.invocations if function == "api" else 0,
            lambda_invocations=self.invocations,
            lambda_gb_seconds=self.billed_gb_seconds,
            dynamodb_read_units=self.read_units,
            dynamodb_write_units=self.table_write_units + self.index_write_units,
            scheduler_invocations=self.invocations if function == "reminder" else 0,
            ses_emails=self.calls["sesv2.SendEmail"],
            s3_requests=count("s3."),
            log_bytes=self.log_bytes,
            kms_requests=count("ssm.GetParameter"),
            secrets_manager_calls=count("secretsmanager."),
        )


@dataclass
class Meter:
    parts: dict[str, Part] = field(default_factory=dict)
    current: str = ""
    aws_cpu_seconds: float = 0.0
    """CPU moto spent answering the functions' calls (AWS's, not billed to them)."""
    meter_cpu_seconds: float = 0.0
    """CPU this meter spent around each call (not the function's)."""
    _tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def part(self) -> Part:
        return self.parts.setdefault(self.current, Part())

    def usage(self, *functions: str) -> Usage:
        return sum(
            (part.usage(name) for name, part in self.parts.items() if not functions or name in functions),
            Usage(),
        )

    def total(self) -> Part:
        total = Part()
        for part in self.parts.values():
            total.calls.update(part.calls)
            total.write_units_by_kind.update(part.write_units_by_kind)
            for name in ("invocations", "read_units", "table_write_units", "index_write_units", "log_bytes",
                         "own_cpu_seconds", "billed_gb_seconds"):  # fmt: skip
                setattr(total, name, getattr(total, name) + getattr(part, name))
        return total


class _CountingStream(io.TextIOBase):
    def __init__(self, meter: Meter) -> None:
        self.meter = meter

    def write(self, text: str) -> int:
        self.meter.part.log_bytes += len(text.encode())
        return len(text)


@contextmanager
def metering(meter: Meter) -> Iterator[Meter]:
    original_call = BaseClient._make_api_call  # type: ignore[attr-defined]
    original_answer = BotocoreStubber.__call__
    original_invoke = BaseWorld.invoke

    latency_ms = [0.0]

    def counted_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if not _IN_FUNCTION.get():
            return original_call(client, operation, params)
        service = client.meta.service_model.service_name
        meter.part.calls[f"{service}.{operation}"] += 1
        latency_ms[0] += LATENCY_MS.get(service, 20)
        started, ran = time.thread_time(), [0.0]

        def run() -> Any:
            begun, token = time.thread_time(), _THE_FUNCTIONS_CALL.set(True)
            try:
                return original_call(client, operation, params)
            finally:
                _THE_FUNCTIONS_CALL.reset(token)
                ran[0] += time.thread_time() - begun

        token = _IN_FUNCTION.set(False)  # the meter's own reads are not the function's
        try:
            if service == "dynamodb":
                capacity = Capacity(meter.part, meter._tables, original_call, client)
                return dynamodb_call(capacity, operation, params, run)
            return run()
        finally:
            _IN_FUNCTION.reset(token)
            # What the meter did around the call (sizes, the items it read) is not the function's.
            meter.meter_cpu_seconds += time.thread_time() - started - ran[0]

    def timed_answer(self: BotocoreStubber, event_name: str, request: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return original_answer(self, event_name, request, **kwargs)
        finally:
            if _THE_FUNCTIONS_CALL.get():  # moto answering the function (not the meter's reads)
                meter.aws_cpu_seconds += time.thread_time() - started

    def counted_invoke(world: BaseWorld, function: str, event: dict[str, Any]) -> dict[str, Any]:
        meter.current = function
        part = meter.part
        part.invocations += 1
        part.log_bytes += LAMBDA_PLATFORM_LOG_BYTES + (API_ACCESS_LOG_BYTES if function == "api" else 0)
        started, moto_before, meter_before = (
            time.process_time(),
            meter.aws_cpu_seconds,
            meter.meter_cpu_seconds,
        )
        latency_ms[0] = 0.0
        try:
            with redirect_stdout(stream):  # EMF lines
                return original_invoke(world, function, event)
        finally:
            others = (meter.aws_cpu_seconds - moto_before) + (meter.meter_cpu_seconds - meter_before)
            own = time.process_time() - started - others
            part.own_cpu_seconds += own
            billed_ms = math.ceil(own * 1000 * CPU_SCALE + latency_ms[0])
            part.billed_gb_seconds += billed_ms / 1000 * MEMORY_GB[function]

    stream = _CountingStream(meter)
    restore = _log_like_lambda(stream)
    environment = os.environ.get("POWERTOOLS_METRICS_DISABLED")
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "false"
    BaseClient._make_api_call = counted_call  # type: ignore[attr-defined]
    BotocoreStubber.__call__ = timed_answer  # type: ignore[method-assign]
    BaseWorld.invoke = counted_invoke  # type: ignore[method-assign,assignment]
    try:
        yield meter
    finally:
        BaseClient._make_api_call = original_call  # type: ignore[attr-defined]
        BotocoreStubber.__call__ = original_answer  # type: ignore[method-assign]
        BaseWorld.invoke = original_invoke  # type: ignore[method-assign]
        os.environ["POWERTOOLS_METRICS_DISABLED"] = environment or "true"
        restore()


def _log_like_lambda(stream: _CountingStream) -> Any:
    """The functions' loggers at the template's level (INFO) into ``stream``; warnings of
    other loggers too, as Lambda's root handler prints them."""
    saved = []
    for function in FUNCTIONS:
        logger = importlib.import_module(f"functions.{function}.handler").logger
        saved.append((logger, logger.log_level, logger.registered_handler.setStream(stream)))
        logger.setLevel(logging.INFO)
    root = logging.StreamHandler(stream)
    root.setLevel(logging.WARNING)
    logging.getLogger().addHandler(root)

    def restore() -> None:
        logging.getLogger().removeHandler(root)
        for logger, level, previous in saved:
            logger.setLevel(level)
            logger.registered_handler.setStream(previous)

    return restore
