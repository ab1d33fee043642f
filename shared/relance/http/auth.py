"""Who sent a request: the one place signed routes are authenticated.

A signed route names its verifier in its middlewares (``middlewares=[signed()]``); the
middleware puts the shop in the request context and the route reads it with
:func:`signed_shop`. A platform whose webhooks sign differently (Shopify, WooCommerce) plugs
in its own :class:`Verifier`; the answers (401, 403, 503) stay the same.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter
from aws_lambda_powertools.event_handler.middlewares import BaseMiddlewareHandler, NextMiddleware
from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn, SecurityScheme

from relance.core.connectors import Platform
from relance.core.security.signing import AuthError, verify, verify_webhook
from relance.core.shop import SHOP_ID_PATTERN, Shop
from relance.http.responses import logger, metrics
from relance.ports import Adapters
from relance.telemetry import about_shop
from relance.wiring import adapters

SHOP_HEADER = "x-relance-shop"
TIMESTAMP_HEADER = "x-relance-timestamp"
SIGNATURE_HEADER = "x-relance-signature"
_SHOP_KEY = "signed_shop"
# How the OpenAPI document names the three headers; a signed route declares security=SIGNED.
SIGNED: list[dict[str, list[str]]] = [{"shop": [], "timestamp": [], "signature": []}]
SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    "shop": APIKey.model_validate({"in": APIKeyIn.header, "name": SHOP_HEADER, "description": "shop id"}),
    "timestamp": APIKey.model_validate(
        {"in": APIKeyIn.header, "name": TIMESTAMP_HEADER, "description": "Unix seconds, within 5 min"}
    ),
    "signature": APIKey.model_validate(
        {
            "in": APIKeyIn.header,
            "name": SIGNATURE_HEADER,
            "description": "v1=hex(HMAC-SHA256(secret, timestamp.raw body)), docs/api.md#authentication",
        }
    ),
    "shopify_hmac": APIKey.model_validate(
        {
            "in": APIKeyIn.header,
            "name": "X-Shopify-Hmac-Sha256",
            "description": "base64(HMAC-SHA256(the shop's Shopify webhook secret, raw body))",
        }
    ),
    "woocommerce_signature": APIKey.model_validate(
        {
            "in": APIKeyIn.header,
            "name": "X-WC-Webhook-Signature",
            "description": "base64(HMAC-SHA256(the webhook secret, raw body)); the ping is unsigned",
        }
    ),
}


class ShopSuspended(Exception):
    """Valid credentials, but the shop may not use this route (403)."""


@dataclass(frozen=True)
class SignedRequest:
    """What a verifier may read: the headers, the exact bytes sent, the path's parameters (a
    platform's webhook URL names the shop: ``/v1/webhooks/shopify/{shop_id}``)."""

    headers: Mapping[str, str]
    body: bytes
    path: Mapping[str, str]


class Verifier(Protocol):
    def __call__(self, adapters: Adapters, request: SignedRequest) -> Shop:
        """The shop that signed the request, or :class:`AuthError`."""


def relance_signature(adapters: Adapters, request: SignedRequest) -> Shop:
    """Relance's own HMAC (docs/api.md#authentication). Every failure is an :class:`AuthError`
    whose ``reason`` goes to the logs only: the client gets one text, so an unknown shop looks
    like a bad signature."""
    headers, body = request.headers, request.body
    shop_id = headers.get(SHOP_HEADER)
    if not shop_id or not re.match(SHOP_ID_PATTERN, shop_id):
        raise AuthError("missing or malformed X-Relance-Shop header")
    now = adapters.clock()
    secrets = adapters.secrets.get(shop_id, now)
    shop = adapters.shops.get(shop_id) if secrets else None
    if not secrets or shop is None:
        raise AuthError("unknown shop")
    failures = []
    for secret in secrets:  # the current one, and the previous during a rotation
        try:
            verify(secret, headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER), body, now)
            return shop
        except AuthError as failure:
            failures.append(failure)
    raise failures[0]


def platform_signature(platform: Platform, header: str) -> Verifier:
    """A platform's webhook: base64(HMAC-SHA256) of the body in ``header``, with the webhook
    secret the shop set for ``platform``, for the shop the URL names (``{shop_id}``)."""

    def verifier(adapters: Adapters, request: SignedRequest) -> Shop:
        shop_id = request.path.get("shop_id", "")
        if not re.match(SHOP_ID_PATTERN, shop_id):
            raise AuthError("malformed shop id in the webhook URL")
        secrets = adapters.secrets.get(shop_id, adapters.clock(), platform)
        shop = adapters.shops.get(shop_id) if secrets else None
        if not secrets or shop is None:
            raise AuthError(f"unknown shop, or no {platform} webhook secret set for it")
        verify_webhook(secrets, request.headers.get(header), request.body)
        return shop

    return verifier


class Signed(BaseMiddlewareHandler[APIGatewayHttpResolver]):
    """Route middleware: authenticate, refuse a suspended shop unless allowed, then go on."""

    def __init__(self, verifier: Verifier, *, allow_suspended: bool) -> None:
        super().__init__()
        self.verifier = verifier
        self.allow_suspended = allow_suspended

    def handler(self, app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
        self.authenticate(app)
        return next_middleware(app)

    def authenticate(self, app: APIGatewayHttpResolver) -> Shop:
        event = app.current_event
        request = SignedRequest(event.headers, raw_body(event.raw_event), event.path_parameters or {})
        shop = self.verifier(adapters(), request)
        if shop.status != "active" and not self.allow_suspended:
            raise ShopSuspended(shop.shop_id)
        about_shop(metrics, shop.shop_id)
        logger.append_keys(shop=shop.shop_id)
        app.append_context(**{_SHOP_KEY: shop})
        return shop


def signed(verifier: Verifier = relance_signature, *, allow_suspended: bool = False) -> Signed:
    return Signed(verifier, allow_suspended=allow_suspended)


def signed_shop(router: BaseRouter) -> Shop:
    """The shop the route's :class:`Signed` middleware authenticated."""
    shop = router.context.get(_SHOP_KEY)
    if not isinstance(shop, Shop):
        raise AuthError("route served without its signed() middleware")
    return shop


def signer_of(router: BaseRouter) -> Signed | None:
    """The current route's :class:`Signed` middleware, if it is a signed route."""
    route = router.context.get("_route")
    middlewares = getattr(route, "middlewares", None) or []
    return next((m for m in middlewares if isinstance(m, Signed)), None)


def raw_body(event: Mapping[str, Any]) -> bytes:
    """The bytes the client sent (never decoded as text: they may not be UTF-8)."""
    body = event.get("body") or ""
    try:
        return base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode()
    except (binascii.Error, ValueError):
        return b""  # API Gateway's own base64 is never wrong; a forged event signs nothing
