"""``POST /v1/events``: a shop's batch of cart, checkout and order events (docs/api.md)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from relance.core.cart.batch import MAX_EVENTS_PER_REQUEST, ParsedBatch, parse_events
from relance.core.cart.events import ShopEvent
from relance.core.shop import Shop
from relance.http.auth import SIGNED, signed, signed_shop
from relance.http.errors import SIGNED_ROUTE_ANSWERS, FieldProblem, Invalid, documented
from relance.http.responses import json_response, logger, metrics
from relance.services.ingest import Applied
from relance.services.ingest_batch import apply_batch
from relance.telemetry import Metric, count, count_for_shop
from relance.wiring import adapters

router = APIGatewayHttpRouter()


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Each event is validated on its own (parse_events), so that one bad event does not spoil
    # its batch; SkipValidation keeps their schema in the OpenAPI document all the same.
    events: Annotated[list[SkipValidation[ShopEvent]], Field(min_length=1, max_length=MAX_EVENTS_PER_REQUEST)]


class AcceptedEvent(BaseModel):
    index: int
    id: str
    outcome: str = Field(description="applied, duplicate, or erased (from before an erasure: not stored)")


class RejectedEvent(BaseModel):
    index: int
    id: str | None
    errors: list[FieldProblem]


class BatchAnswer(BaseModel):
    accepted: list[AcceptedEvent]
    rejected: list[RejectedEvent]


ANSWERS = {
    **SIGNED_ROUTE_ANSWERS,
    202: documented("every event was valid: applied, a duplicate, or erased", BatchAnswer),
    422: documented(
        "some events are invalid (the valid ones were stored: BatchAnswer), or the body is not a batch",
        BatchAnswer | Invalid,
    ),
}


@router.post(
    "/v1/events", middlewares=[signed()], security=SIGNED, responses=ANSWERS, operation_id="postEvents"
)
def post_events(batch: Annotated[EventBatch, Body()]) -> Response[str]:
    """Store a batch of events; each is idempotent on its id, so resending a batch is safe."""
    io = adapters()
    shop = signed_shop(router)
    parsed = parse_events(batch.events, now=io.clock())
    results = apply_batch(io, shop, parsed.events)
    _count(shop, results, parsed)
    answer = BatchAnswer(
        accepted=[AcceptedEvent(index=r.index, id=r.event_id, outcome=r.outcome) for r in results],
        rejected=[
            RejectedEvent(
                index=rejected.index,
                id=rejected.event_id,
                errors=[FieldProblem(field=e.field, reason=e.reason) for e in rejected.errors],
            )
            for rejected in parsed.rejected
        ],
    )
    # 422 as soon as one event is refused; the others listed under "accepted" are stored,
    # and resending the whole batch is safe because events are idempotent on their id.
    return json_response(422 if parsed.rejected else 202, answer.model_dump(mode="json"))


def _count(shop: Shop, results: list[Applied], parsed: ParsedBatch) -> None:
    count_applied(shop, results)
    count(metrics, Metric.EVENTS_REJECTED, len(parsed.rejected))
    if parsed.rejected:
        # Which fields, per shop, is a log line: the names come from the shop's input.
        fields = sorted({e.field[:100] for rejected in parsed.rejected for e in rejected.errors[:3]})
        logger.info("events rejected", extra={"rejected": len(parsed.rejected), "fields": fields[:20]})


def count_applied(shop: Shop, results: list[Applied]) -> None:
    """The metrics and the log line of applied events, from a batch or from a platform's webhook."""
    accepted = sum(r.outcome == "applied" for r in results)
    count_for_shop(metrics, Metric.EVENTS_ACCEPTED, shop.shop_id, accepted)
    count(metrics, Metric.EVENTS_DUPLICATE, len(results) - accepted)
    armed = sum(r.timer_armed for r in results)
    count(metrics, Metric.TIMERS_ARMED, armed)
    recovered = [r for r in results if r.recovered_amount is not None]
    count(metrics, Metric.RECOVERIES, len(recovered))
    logger.info(
        "events applied",
        extra={
            "accepted": accepted,
            "duplicate": len(results) - accepted,
            "timers_armed": armed,
            "recoveries": len(recovered),
        },
    )
    for order in recovered:  # in its cart's currency: summed per shop and currency by Logs Insights
        logger.info(
            "cart recovered", extra={"amount": float(order.recovered_amount or 0), "currency": order.currency}
        )
