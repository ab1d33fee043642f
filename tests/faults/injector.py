"""Fail one AWS call of a run, the way AWS fails daily.

Every boto3 call goes through ``BaseClient._make_api_call``, above botocore's own retries:
a fault injected here is what the code sees once the SDK has given up. Faults:
- ``throttle``: the service's throttling error (after the SDK's retries ran out);
- ``5xx``: an internal error of the service;
- ``timeout``: the connection timed out; the call had no effect;
- ``lost_reply``: the call took effect, then its answer was lost (SES: the email is out).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError, ConnectTimeoutError, ReadTimeoutError

FAULTS = ("throttle", "5xx", "timeout", "lost_reply")
_IN_FUNCTION: ContextVar[bool] = ContextVar("in_function", default=False)


@contextmanager
def function_running() -> Iterator[None]:
    """Mark the calls made inside a Lambda function: only those are counted and failed (the
    test platform's own calls, listing schedules say, are not the product's)."""
    token = _IN_FUNCTION.set(True)
    try:
        yield
    finally:
        _IN_FUNCTION.reset(token)


_THROTTLING = {"dynamodb": "ProvisionedThroughputExceededException", "sesv2": "TooManyRequestsException"}


@dataclass
class Calls:
    """The AWS calls of a run, in order, and which one fails (0-based; ``None``: none)."""

    fail_at: int | None = None
    fault: str = ""
    seen: list[str] = field(default_factory=list)
    injected: str | None = None


def _client_error(client: BaseClient, code: str, status: int, operation: str) -> ClientError:
    answer: Any = {
        "Error": {"Code": code, "Message": "injected"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    # As botocore raises it: the service's modelled exception when it has one for the code.
    modelled: Any = client.exceptions.from_code(code)
    error: ClientError = modelled(answer, operation)
    return error


def _error(client: BaseClient, service: str, operation: str, fault: str) -> Exception:
    if fault == "throttle":
        code = _THROTTLING.get(service, "ThrottlingException")
        return _client_error(client, code, 400, operation)
    if fault == "5xx":
        return _client_error(client, "InternalServerError", 500, operation)
    if fault == "timeout":
        return ConnectTimeoutError(endpoint_url=f"https://{service}.injected")
    return ReadTimeoutError(endpoint_url=f"https://{service}.injected")


@contextmanager
def inject(calls: Calls) -> Iterator[Calls]:
    original = BaseClient._make_api_call  # type: ignore[attr-defined]

    def faulty(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if not _IN_FUNCTION.get():
            return original(client, operation, params)
        service = client.meta.service_model.service_name
        index = len(calls.seen)
        calls.seen.append(f"{service}.{operation}")
        if index != calls.fail_at:
            return original(client, operation, params)
        calls.injected = f"{service}.{operation}"
        if calls.fault == "lost_reply":
            original(client, operation, params)
        raise _error(client, service, operation, calls.fault)

    BaseClient._make_api_call = faulty  # type: ignore[attr-defined]
    try:
        yield calls
    finally:
        BaseClient._make_api_call = original  # type: ignore[attr-defined]
