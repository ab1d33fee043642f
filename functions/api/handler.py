"""HTTP API: ``POST /v1/events``. Parse, authenticate, hand each event to the core."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.core.events import BatchShapeError, parse_batch
from relance.core.signing import AuthError
from relance.core.tokens import ExpiredToken, InvalidToken
from relance.services.ingest import ShopSuspended, apply, authenticate
from relance.services.links import LinkGone, follow
from relance.wiring import services

logger = Logger(service="api")
metrics = Metrics(service="api")
app = APIGatewayHttpResolver()


def _json(status: int, body: dict[str, Any]) -> Response[str]:
    return Response(status_code=status, content_type="application/json", body=json.dumps(body))


@app.exception_handler(AuthError)
def _unauthorized(error: AuthError) -> Response[str]:
    metrics.add_metric(name="RequestsUnauthorized", unit=MetricUnit.Count, value=1)
    return _json(401, {"error": "unauthorized", "reason": error.reason})


@app.exception_handler(ShopSuspended)
def _forbidden(_: ShopSuspended) -> Response[str]:
    metrics.add_metric(name="RequestsForbidden", unit=MetricUnit.Count, value=1)
    return _json(403, {"error": "forbidden", "reason": "this shop is suspended"})


@app.exception_handler(BatchShapeError)
def _bad_batch(error: BatchShapeError) -> Response[str]:
    return _json(422, {"error": "invalid_batch", "errors": [{"field": error.field, "reason": error.reason}]})


# Plain pages for dead links: they say nothing of the shop, the cart or the customer.
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
    "<body><p>{text}</p></body></html>"
)


def _page(status: int, title: str, text: str) -> Response[str]:
    return Response(
        status_code=status,
        content_type="text/html; charset=utf-8",
        body=PAGE.format(title=title, text=text),
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@app.get("/r/<token>")
def follow_link(token: str) -> Response[str]:
    """A tracked cart link: note the click, send the customer to their cart."""
    try:
        target = follow(services(), token)
    except InvalidToken:
        return _page(404, "Link not found", "This link is not valid.")
    except (ExpiredToken, LinkGone):
        return _page(410, "Link expired", "This link has expired.")
    metrics.add_metric(name="LinkClicks", unit=MetricUnit.Count, value=1)
    return Response(
        status_code=302,
        headers={"Location": target, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
        body="",
    )


@app.post("/v1/events")
def post_events() -> Response[str]:
    event = app.current_event
    raw = event.decoded_body.encode() if event.decoded_body else b""
    svc = services()
    shop = authenticate(
        svc,
        event.headers.get("x-relance-shop"),
        event.headers.get("x-relance-timestamp"),
        event.headers.get("x-relance-signature"),
        raw,
    )
    metrics.add_dimension(name="shop", value=shop.shop_id)
    try:
        body = json.loads(raw)
    except ValueError as error:
        return _json(400, {"error": "invalid_json", "errors": [{"field": "body", "reason": str(error)}]})
    batch = parse_batch(body)
    results = [apply(svc, shop, index, parsed) for index, parsed in batch.events]
    accepted = [r for r in results if r.outcome == "applied"]
    metrics.add_metric(name="EventsAccepted", unit=MetricUnit.Count, value=len(accepted))
    metrics.add_metric(name="EventsDuplicate", unit=MetricUnit.Count, value=len(results) - len(accepted))
    metrics.add_metric(name="EventsRejected", unit=MetricUnit.Count, value=len(batch.rejected))
    metrics.add_metric(name="TimersArmed", unit=MetricUnit.Count, value=sum(r.timer_armed for r in results))
    recovered = [r.recovered_amount for r in results if r.recovered_amount is not None]
    metrics.add_metric(name="Recoveries", unit=MetricUnit.Count, value=len(recovered))
    metrics.add_metric(name="RecoveredRevenue", unit=MetricUnit.NoUnit, value=float(sum(recovered)))
    body_out: dict[str, Any] = {
        "accepted": [{"index": r.index, "id": r.event_id, "outcome": r.outcome} for r in results],
        "rejected": [
            {
                "index": rejected.index,
                "id": rejected.event_id,
                "errors": [{"field": e.field, "reason": e.reason} for e in rejected.errors],
            }
            for rejected in batch.rejected
        ],
    }
    # 422 as soon as one event is refused; the others listed under "accepted" are stored,
    # and resending the whole batch is safe because events are idempotent on their id.
    return _json(422 if batch.rejected else 202, body_out)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
