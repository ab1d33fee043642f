"""A shop's side of the API: signs and posts event batches (used by the demo and tests)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from relance.core.security.signing import signature, webhook_signature

PLATFORM_SIGNATURE_HEADERS = {"shopify": "X-Shopify-Hmac-Sha256", "woocommerce": "X-WC-Webhook-Signature"}


class ShopClient:
    def __init__(self, base_url: str, shop_id: str, secret: str, clock: Callable[[], datetime]) -> None:
        self.base_url = base_url.rstrip("/")
        self.shop_id = shop_id
        self.secret = secret
        self.clock = clock
        self.webhook_secrets: dict[str, str] = {}
        """The secret each platform signs its webhooks with, once connected (:meth:`connect`)."""

    def signed_headers(self, body: bytes) -> dict[str, str]:
        timestamp = int(self.clock().timestamp())
        return {
            "Content-Type": "application/json",
            "X-Relance-Shop": self.shop_id,
            "X-Relance-Timestamp": str(timestamp),
            "X-Relance-Signature": signature(self.secret, timestamp, body),
        }

    def webhook_headers(self, platform: str, body: bytes) -> dict[str, str]:
        """Signed as the platform signs (the shop's webhook secret for it)."""
        signed = webhook_signature(self.webhook_secrets[platform], body)
        return {"Content-Type": "application/json", PLATFORM_SIGNATURE_HEADERS[platform]: signed}

    def post_raw(
        self, body: bytes, headers: dict[str, str], path: str = "/v1/events", method: str = "POST"
    ) -> tuple[int, dict[str, Any]]:
        if not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"not an HTTP URL: {self.base_url}")
        url = f"{self.base_url}{path}"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def post_events(self, events: Sequence[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        body = json.dumps({"events": list(events)}).encode()
        return self.post_raw(body, self.signed_headers(body))

    def connect(self, platform: str, webhook_secret: str) -> dict[str, Any]:
        """Set the platform's webhook secret through the signed settings API."""
        body = json.dumps({"webhook_secret": webhook_secret}).encode()
        status, answer = self.post_raw(body, self.signed_headers(body), f"/v1/connectors/{platform}", "PUT")
        if status != 200:
            raise RuntimeError(f"connecting {platform}: {status} {answer}")
        self.webhook_secrets[platform] = webhook_secret
        return answer

    def post_shopify(
        self, topic: str, payload: dict[str, Any], webhook_id: str
    ) -> tuple[int, dict[str, Any]]:
        """A webhook as Shopify delivers it to ``/v1/webhooks/shopify/<shop>``."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {
            **self.webhook_headers("shopify", body),
            "X-Shopify-Topic": topic,
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Shop-Domain": f"{self.shop_id}.myshopify.com",
        }
        return self.post_raw(body, headers, f"/v1/webhooks/shopify/{self.shop_id}")
