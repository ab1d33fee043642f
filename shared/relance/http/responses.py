"""Response helpers and request authentication shared by the routers."""

from __future__ import annotations

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
from relance.wiring import services

# Powertools shares one metric set per process: this is the handler's ``Metrics``.
metrics = Metrics(service="api")
# Customer-facing answers are never cached and never tell the next site where they came from.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def json_response(status: int, body: dict[str, Any]) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body))


def html_response(status: int, body: str) -> Response[str]:
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=body, headers=PRIVATE_HEADERS
    )


def page_response(status: int, title: str, text: str) -> Response[str]:
    return html_response(status, page(title, text))


def signed_shop(router: BaseRouter) -> tuple[Shop, bytes]:
    """The shop whose secret signed this request, and the raw body it signed."""
    event = router.current_event
    raw = event.decoded_body.encode() if event.decoded_body else b""
    headers = event.headers
    shop = authenticate(
        services(),
        headers.get("x-relance-shop"),
        headers.get("x-relance-timestamp"),
        headers.get("x-relance-signature"),
        raw,
    )
    metrics.add_dimension(name="shop", value=shop.shop_id)
    return shop, raw


def json_body(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError as error:
        raise SettingsRejected((FieldError("body", f"not JSON: {error}"),)) from None
