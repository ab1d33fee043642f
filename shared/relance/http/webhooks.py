"""``POST /v1/webhooks/shopify/{shop_id}`` and ``/v1/webhooks/woocommerce/{shop_id}``: the
platforms' own webhooks, verified with the shop's webhook secret for the platform
(docs/connectors.md).

Platforms resend whatever does not get a 2xx (Shopify for hours, WooCommerce until it disables
the webhook), so every accepted webhook answers 200, a topic Relance does not use included.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urljoin

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Header
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, Field

from relance.core.cart.batch import FieldError
from relance.core.connectors import MalformedWebhook
from relance.core.shop import Shop
from relance.http.auth import SignedRequest, platform_signature, raw_body, signed, signed_shop
from relance.http.errors import SIGNED_ROUTE_ANSWERS, Invalid, Refusal, documented
from relance.http.responses import json_response, logger, metrics
from relance.http.shop_events import count_applied
from relance.ports import Adapters
from relance.services.webhooks import Delivery, Received, receive
from relance.telemetry import Metric, count
from relance.wiring import adapters

router = APIGatewayHttpRouter()
SHOPIFY_SIGNATURE = "x-shopify-hmac-sha256"
WOOCOMMERCE_SIGNATURE = "x-wc-webhook-signature"
_PING = re.compile(rb"\s*webhook_id=\d{1,20}\s*")
_shopify_signature = platform_signature("shopify", SHOPIFY_SIGNATURE)
_woocommerce_signature = platform_signature("woocommerce", WOOCOMMERCE_SIGNATURE)

JsonObject = Annotated[
    dict[str, Any],
    Body(description="the platform's payload, as it sends it (form-encoded for WooCommerce's ping)"),
]


class WebhookAnswer(BaseModel):
    outcome: str = Field(
        description="applied, duplicate, erased (customer or shop), exported, ignored, noted, or ping"
    )
    reason: str | None = Field(default=None, description="why a webhook was ignored or only noted")
    detail: dict[str, str | int] = Field(default_factory=dict)


def _answers(platform: str) -> dict[int, Any]:
    answers = {code: answer for code, answer in SIGNED_ROUTE_ANSWERS.items() if code != 403}
    return {
        **answers,
        200: documented(f"the {platform} webhook was taken (whatever its topic)", WebhookAnswer),
        422: documented("a header is missing, or the payload is not what the platform documents", Invalid),
        503: documented("could not check the signature now, or a shop's erasure goes on: resend", Refusal),
    }


def woocommerce_signature_or_ping(adapters: Adapters, request: SignedRequest) -> Shop:
    """WooCommerce pings a new webhook's URL with an unsigned ``webhook_id=<n>`` form: it is
    answered (and nothing stored) for a shop that exists, so that the webhook can be saved."""
    if _PING.fullmatch(request.body) and not request.headers.get(WOOCOMMERCE_SIGNATURE):
        shop = adapters.shops.get(request.path.get("shop_id", ""))
        if shop is not None:
            return shop
    return _woocommerce_signature(adapters, request)


@router.post(
    "/v1/webhooks/shopify/<shop_id>",
    middlewares=[signed(_shopify_signature, allow_suspended=True)],
    security=[{"shopify_hmac": []}],
    responses=_answers("Shopify"),
    operation_id="shopifyWebhook",
)
def shopify_webhook(
    shop_id: str,
    payload: JsonObject,
    topic: Annotated[str, Header(alias="X-Shopify-Topic", max_length=100, examples=["checkouts/update"])],
    webhook_id: Annotated[str, Header(alias="X-Shopify-Webhook-Id", min_length=1, max_length=100)],
) -> Response[str]:
    """A Shopify webhook: checkouts, orders, and the mandatory privacy topics; a redelivery
    (the same ``X-Shopify-Webhook-Id``) changes nothing."""
    delivery = Delivery("shopify", topic, webhook_id, payload)
    shop = signed_shop(router)
    return _answer(shop, receive(adapters(), shop, delivery), delivery)


@router.post(
    "/v1/webhooks/woocommerce/<shop_id>",
    middlewares=[signed(woocommerce_signature_or_ping, allow_suspended=True)],
    security=[{"woocommerce_signature": []}],
    responses=_answers("WooCommerce"),
    operation_id="woocommerceWebhook",
)
def woocommerce_webhook(
    shop_id: str,
    payload: JsonObject,
    topic: Annotated[
        str | None, Header(alias="X-WC-Webhook-Topic", max_length=100, examples=["order.updated"])
    ] = None,
    source: Annotated[str | None, Header(alias="X-WC-Webhook-Source", max_length=500)] = None,
) -> Response[str]:
    """A WooCommerce order webhook (``order.created``, ``order.updated``, ``order.deleted``),
    or the ping WooCommerce sends when the webhook is saved. A redelivery carries the same
    order modification time, hence the same events: it changes nothing."""
    event = router.current_event
    if _PING.fullmatch(raw_body(event.raw_event)):
        return json_response(200, WebhookAnswer(outcome="ping").model_dump(mode="json"))
    if not topic:
        raise MalformedWebhook((FieldError("X-WC-Webhook-Topic", "header required"),))
    headers = event.headers
    shop = signed_shop(router)
    delivery_id = headers.get("x-wc-webhook-delivery-id") or headers.get("x-wc-delivery-id") or ""
    site = source if source and source.startswith("https://") else str(shop.website)
    delivery = Delivery("woocommerce", topic, delivery_id, payload, urljoin(site, "cart/"))
    return _answer(shop, receive(adapters(), shop, delivery), delivery)


def _answer(shop: Shop, received: Received, delivery: Delivery) -> Response[str]:
    count_applied(shop, list(received.applied))
    count(metrics, Metric.WEBHOOKS)
    logger.info(
        "webhook",
        extra={
            "platform": delivery.platform,
            "topic": delivery.topic[:100],
            "delivery_id": delivery.delivery_id[:100],
            "outcome": received.outcome,
        },
    )
    answer = WebhookAnswer(outcome=received.outcome, reason=received.reason, detail=received.detail)
    return json_response(200, answer.model_dump(mode="json"))
