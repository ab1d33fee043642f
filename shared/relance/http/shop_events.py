"""``POST /v1/events``: a shop's batch of cart, checkout and order events (docs/api.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from relance.core.cart.batch import EVENT_FIELD_NAMES, MAX_EVENTS_PER_REQUEST, ParsedBatch, parse_events
from relance.core.cart.events import ShopEvent
from relance.http.auth import SIGNED, signed, signed_shop
from relance.http.errors import SIGNED_ROUTE_ANSWERS, FieldProblem, Invalid, documented
from relance.http.responses import json_response, metrics
from relance.services.ingest import Applied, apply
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
    results = [apply(io, shop, index, event) for index, event in parsed.events]
    _count(results, parsed)
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


def _count(results: list[Applied], parsed: ParsedBatch) -> None:
    count_applied(results)
    metrics.add_metric(name="EventsRejected", unit=MetricUnit.Count, value=len(parsed.rejected))
    for rejected in parsed.rejected:  # by the field at fault: "EventsRejected.currency"...
        field = rejected.errors[0].field.rsplit(".", 1)[-1].split("[")[0] if rejected.errors else "event"
        # A metric name is a billed series: only the events' own field names, never input.
        field = field if field in EVENT_FIELD_NAMES else "other"
        metrics.add_metric(name=f"EventsRejected.{field}", unit=MetricUnit.Count, value=1)


def count_applied(results: list[Applied]) -> None:
    """The metrics of applied events, from a batch or from a platform's webhook."""
    accepted = [r for r in results if r.outcome == "applied"]
    metrics.add_metric(name="EventsAccepted", unit=MetricUnit.Count, value=len(accepted))
    metrics.add_metric(name="EventsDuplicate", unit=MetricUnit.Count, value=len(results) - len(accepted))
    metrics.add_metric(name="TimersArmed", unit=MetricUnit.Count, value=sum(r.timer_armed for r in results))
    recovered = [r.recovered_amount for r in results if r.recovered_amount is not None]
    metrics.add_metric(name="Recoveries", unit=MetricUnit.Count, value=len(recovered))
    metrics.add_metric(
        name="RecoveredRevenue", unit=MetricUnit.NoUnit, value=float(sum(recovered, Decimal(0)))
    )
