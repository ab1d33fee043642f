"""Signed, expiring link tokens: tracked cart links and unsubscribe links.

``base64url(json payload) . base64url(HMAC-SHA256 over it)[:16 bytes]``. A token names
what it is about (shop, cart, step), never where to go: the redirect target always comes
from the stored cart, so no token can make Relance an open redirect.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

MAC_BYTES = 16
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")
CLICK_LINK_LIFETIME = timedelta(days=60)
# An unsubscribe link must keep working long after the cart is forgotten.
UNSUBSCRIBE_LINK_LIFETIME = timedelta(days=730)


class InvalidToken(Exception):
    """Malformed, tampered with, or signed with another key."""


class ExpiredToken(Exception):
    """Genuine, but past its expiry."""


@dataclass(frozen=True)
class LinkClaims:
    kind: str
    shop_id: str
    cart_id: str
    step: int
    expires_at: int
    contact: str = ""
    """For unsubscribe links: the hash that keys the customer, never the address itself."""
    target: str = ""
    """For a click: which link of the email (``""`` the cart, ``item:<sku>`` a product's page,
    ``faq`` the shop's questions page). The destination is looked up in the stored cart and
    the shop's settings, never carried by the token: no open redirect."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    if not _ALPHABET.fullmatch(text):
        raise ValueError("not unpadded base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, body: str) -> bytes:
    return hmac.new(key, body.encode(), hashlib.sha256).digest()[:MAC_BYTES]


def make_token(key: bytes, claims: LinkClaims) -> str:
    payload = {
        "k": claims.kind,
        "s": claims.shop_id,
        "c": claims.cart_id,
        "n": claims.step,
        "x": claims.expires_at,
    }
    if claims.contact:
        payload["h"] = claims.contact
    if claims.target:
        payload["t"] = claims.target
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    return f"{body}.{_b64(_mac(key, body))}"


def read_token(key: bytes, token: str, now: datetime) -> LinkClaims:
    body, _, mac = token.partition(".")
    try:
        genuine = hmac.compare_digest(_unb64(mac), _mac(key, body))
        payload: dict[str, Any] = json.loads(_unb64(body)) if genuine else {}
        claims = LinkClaims(
            str(payload["k"]),
            str(payload["s"]),
            str(payload["c"]),
            int(payload["n"]),
            int(payload["x"]),
            str(payload.get("h", "")),
            str(payload.get("t", "")),
        )
    except (ValueError, KeyError, TypeError):
        raise InvalidToken from None
    if claims.expires_at < now.timestamp():
        raise ExpiredToken
    return claims


def click_claims(shop_id: str, cart_id: str, step: int, now: datetime, target: str = "") -> LinkClaims:
    """A link of step ``step``'s email: the cart's, or another ``target`` (:class:`LinkClaims`)."""
    expires = int((now + CLICK_LINK_LIFETIME).timestamp())
    return LinkClaims("click", shop_id, cart_id, step, expires, target=target)


def unsubscribe_claims(shop_id: str, cart_id: str, step: int, contact: str, now: datetime) -> LinkClaims:
    expires = int((now + UNSUBSCRIBE_LINK_LIFETIME).timestamp())
    return LinkClaims("unsubscribe", shop_id, cart_id, step, expires, contact)
