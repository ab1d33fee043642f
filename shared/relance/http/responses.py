"""Response helpers and request authentication shared by the routers."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

from relance.core.batch import FieldError
from relance.core.pages import page
from relance.core.shop import Shop
from relance.services.ingest import authenticate
from relance.services.settings import SettingsRejected
from relance.wiring import adapters

# Powertools shares one metric set per process: this is the handler's ``Metrics``.
metrics = Metrics(service="api")
# Customer-facing answers are never cached and never tell the next site where they came from.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def json_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps(body), headers=headers
    )


def html_response(status: int, body: str) -> Response[str]:
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=body, headers=PRIVATE_HEADERS
    )


def page_response(status: int, title: str, text: str) -> Response[str]:
    return html_response(status, page(title, text))


def signed_shop(router: BaseRouter, *, allow_suspended: bool = False) -> tuple[Shop, bytes]:
    """The shop whose secret signed this request, and the raw body it signed."""
    event = router.current_event
    raw = raw_body(event.raw_event)
    headers = event.headers
    shop = authenticate(
        adapters(),
        headers.get("x-relance-shop"),
        headers.get("x-relance-timestamp"),
        headers.get("x-relance-signature"),
        raw,
        allow_suspended=allow_suspended,
    )
    metrics.add_dimension(name="shop", value=shop.shop_id)
    return shop, raw


def raw_body(event: dict[str, Any]) -> bytes:
    """The bytes the client sent (never decoded as text: they may not be UTF-8)."""
    body = event.get("body") or ""
    try:
        return base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode()
    except (binascii.Error, ValueError):
        return b""  # API Gateway's own base64 is never wrong; a forged event signs nothing


class NotJson(ValueError):
    """The body is not a JSON document (not UTF-8, malformed, or nested beyond reason)."""


def parse_json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:
        raise NotJson("nested too deeply") from None
    except ValueError as error:  # UnicodeDecodeError included
        raise NotJson(str(error)) from None


def json_body(raw: bytes) -> Any:
    try:
        return parse_json(raw)
    except NotJson as error:
        raise SettingsRejected((FieldError("body", f"not JSON: {error}"),)) from None
