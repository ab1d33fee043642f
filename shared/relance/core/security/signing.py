"""Request authentication: HMAC-SHA256 over ``"<timestamp>.<raw body>"`` with the shop's secret.

The timestamp is signed too, so a captured request cannot be replayed once it leaves the
freshness window; the comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

FRESHNESS_SECONDS = 300
SIGNATURE_VERSION = "v1"


@dataclass(frozen=True)
class AuthError(Exception):
    reason: str


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def verify(secret: str, timestamp: str | None, signed: str | None, body: bytes, now: datetime) -> None:
    """Raise :class:`AuthError` unless ``signed`` is this body's fresh signature."""
    if not timestamp or not signed:
        raise AuthError("missing X-Relance-Timestamp or X-Relance-Signature header")
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise AuthError("X-Relance-Timestamp must be Unix seconds") from None
    if abs(now.timestamp() - sent_at) > FRESHNESS_SECONDS:
        raise AuthError(f"X-Relance-Timestamp is more than {FRESHNESS_SECONDS} s from now")
    # Bytes: compare_digest raises TypeError on non-ASCII text, which a header may hold.
    if not hmac.compare_digest(signature(secret, sent_at, body).encode(), signed.strip().encode()):
        raise AuthError("signature does not match")


def webhook_signature(secret: str, body: bytes) -> str:
    """Shopify's and WooCommerce's scheme: base64(HMAC-SHA256(secret, raw body)), no timestamp
    (a replay is a redelivery, which events being idempotent makes harmless)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify_webhook(secrets: list[str], signed: str | None, body: bytes) -> None:
    """Raise :class:`AuthError` unless ``signed`` is this body's signature by one of ``secrets``."""
    if not signed:
        raise AuthError("missing webhook signature header")
    given = signed.strip().encode()  # bytes: compare_digest refuses non-ASCII text
    if not any(hmac.compare_digest(webhook_signature(s, body).encode(), given) for s in secrets):
        raise AuthError("webhook signature does not match")
