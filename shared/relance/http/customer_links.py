"""Routes a shop's customers reach from an email: the tracked cart link and unsubscribe.

The pages say nothing of the cart or the customer. ``GET /u/{token}`` only shows a confirm
page (mail scanners follow links); ``POST /u/{token}`` unsubscribes: the RFC 8058 one-click
request of mail clients, or the confirm page's button.
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from relance.http.pages import unsubscribe_confirm, unsubscribe_done
from relance.http.responses import PRIVATE_HEADERS, html_response, metrics
from relance.services.links import check_unsubscribe, follow, unsubscribe
from relance.telemetry import Metric, about_shop, count
from relance.wiring import adapters

router = APIGatewayHttpRouter()


def _page(description: str) -> OpenAPIResponse:
    return {"description": description, "content": {"text/html": {"schema": {"type": "string"}}}}


_DEAD_LINKS = {
    404: _page("not a link of Relance (tampered, or of another kind)"),
    410: _page("expired, or its cart was erased or has expired"),
}


@router.get("/r/<token>", responses={302: {"description": "to the cart, on the shop"}, **_DEAD_LINKS})
def follow_link(token: str) -> Response[str]:
    """A tracked cart link: note the click, send the customer to their cart."""
    target = follow(adapters(), token)
    count(metrics, Metric.LINK_CLICKS)
    return Response(status_code=302, headers={"Location": target, **PRIVATE_HEADERS}, body="")


@router.get("/u/<token>", responses={200: _page("a page asking to confirm"), **_DEAD_LINKS})
def unsubscribe_page(token: str) -> Response[str]:
    shop = check_unsubscribe(adapters(), token)
    return html_response(200, unsubscribe_confirm(shop.name, shop.language))


@router.post("/u/<token>", responses={200: _page("unsubscribed"), **_DEAD_LINKS})
def unsubscribe_now(token: str) -> Response[str]:
    shop = unsubscribe(adapters(), token)
    about_shop(metrics, shop.shop_id)
    count(metrics, Metric.UNSUBSCRIBES)
    return html_response(200, unsubscribe_done(shop.name, shop.language))
