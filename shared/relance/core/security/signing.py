"""Request authentication: HMAC-SHA256 over ``"<timestamp>.<raw body>"`` with the shop's secret.

The timestamp is signed too, so a captured request cannot be replayed once it leaves the
freshness window; the comparison is constant-time.
"""

from __future__ import annotations

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
    if not hmac.compare_digest(signature(secret, sent_at, body), signed.strip()):
        raise AuthError("signature does not match")
