"""A shop's side of the API: signs and posts event batches (used by the demo and tests)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from relance.core.security.signing import signature


class ShopClient:
    def __init__(self, base_url: str, shop_id: str, secret: str, clock: Callable[[], datetime]) -> None:
        self.base_url = base_url.rstrip("/")
        self.shop_id = shop_id
        self.secret = secret
        self.clock = clock

    def signed_headers(self, body: bytes) -> dict[str, str]:
        timestamp = int(self.clock().timestamp())
        return {
            "Content-Type": "application/json",
            "X-Relance-Shop": self.shop_id,
            "X-Relance-Timestamp": str(timestamp),
            "X-Relance-Signature": signature(self.secret, timestamp, body),
        }

    def post_raw(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"not an HTTP URL: {self.base_url}")
        url = f"{self.base_url}/v1/events"
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def post_events(self, events: Sequence[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        body = json.dumps({"events": list(events)}).encode()
        return self.post_raw(body, self.signed_headers(body))
