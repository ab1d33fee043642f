"""Embedded AWS (moto) is not safe to call from several threads at once, and the api function
works on a batch's carts in threads (relance/services/parallel.py). Locally (the tests, the
demo) every AWS call therefore goes through one lock: the code runs as on Lambda, the
embedded services answer one call at a time."""

from __future__ import annotations

import threading
from typing import Any

from botocore.client import BaseClient

_LOCK = threading.RLock()


def serialize_aws_calls() -> None:
    """Install the lock (once) around botocore's ``_make_api_call``."""
    original = BaseClient._make_api_call  # type: ignore[attr-defined]
    if getattr(original, "serialized", False):
        return

    def serialized(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        with _LOCK:
            return original(client, operation, params)

    serialized.serialized = True  # type: ignore[attr-defined]
    BaseClient._make_api_call = serialized  # type: ignore[attr-defined]
