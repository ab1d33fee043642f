"""Signed routes through which a shop connects its Shopify or WooCommerce webhooks:
``GET /v1/connectors``, ``PUT /v1/connectors/{platform}`` (docs/connectors.md)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, Field

from relance.core.connectors import Platform
from relance.http.auth import SIGNED, signed, signed_shop
from relance.http.errors import SIGNED_ROUTE_ANSWERS, documented
from relance.http.responses import json_response
from relance.services.connectors import Connection, WebhookSecret, connections, set_webhook_secret
from relance.wiring import adapters

router = APIGatewayHttpRouter()


class ConnectionAnswer(BaseModel):
    platform: Platform
    webhook_path: str = Field(description="append to the API's URL: the platform's delivery URL")
    connected: bool
    secret_ends_with: str | None = Field(description="the secret's last 4 characters, never more")

    @classmethod
    def of(cls, connection: Connection) -> ConnectionAnswer:
        return cls(
            platform=connection.platform,
            webhook_path=connection.webhook_path,
            connected=connection.secret_ends_with is not None,
            secret_ends_with=connection.secret_ends_with,
        )


class ConnectionsAnswer(BaseModel):
    connectors: list[ConnectionAnswer]


@router.get(
    "/v1/connectors",
    middlewares=[signed()],
    security=SIGNED,
    responses={**SIGNED_ROUTE_ANSWERS, 200: documented("each platform, connected or not", ConnectionsAnswer)},
    operation_id="getConnectors",
)
def get_connectors() -> Response[str]:
    found = [ConnectionAnswer.of(c) for c in connections(adapters(), signed_shop(router))]
    return json_response(200, ConnectionsAnswer(connectors=found).model_dump(mode="json"))


@router.put(
    "/v1/connectors/<platform>",
    middlewares=[signed()],
    security=SIGNED,
    responses={**SIGNED_ROUTE_ANSWERS, 200: documented("the connection, secret masked", ConnectionAnswer)},
    operation_id="putConnector",
)
def put_connector(
    platform: Annotated[Platform, Path(description="shopify or woocommerce")],
    secret: Annotated[WebhookSecret, Body()],
) -> Response[str]:
    """Set (or rotate) the platform's webhook secret; the previous one stays valid 24 hours."""
    stored = set_webhook_secret(adapters(), signed_shop(router), platform, secret.webhook_secret)
    return json_response(200, ConnectionAnswer.of(stored).model_dump(mode="json"))
