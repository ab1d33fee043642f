"""The API's one resolver: its routes, its exception map, and its OpenAPI document.

Powertools validates each request against the route's pydantic models before the route
runs; the same models generate ``docs/openapi.json`` (``python -m relance.http.app``).
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.models import Server

from relance.http import connector_settings, customer_links, errors, shop_events, shop_settings, webhooks
from relance.http.auth import SECURITY_SCHEMES

TITLE = "Relance"
API_VERSION = "1"


def _decode_json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:  # a body nested beyond reason is not JSON we can read: a 400
        raise json.JSONDecodeError("nested too deeply", "", 0) from None


app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=_decode_json)
app.include_router(shop_events.router)
app.include_router(shop_settings.router)
app.include_router(customer_links.router)
app.include_router(webhooks.router)
app.include_router(connector_settings.router)
errors.register(app)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route, as checked in at docs/openapi.json."""
    text = app.get_openapi_json_schema(
        title=TITLE,
        version=API_VERSION,
        description="Abandoned-cart recovery: shops post events, customers follow links. docs/api.md",
        servers=[
            Server(url="https://{api-domain}", variables={"api-domain": {"default": "api.example.com"}})
        ],
        security_schemes=SECURITY_SCHEMES,
    )
    document: dict[str, Any] = json.loads(text)
    return document


if __name__ == "__main__":
    print(json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True))
