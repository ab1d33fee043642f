"""HTTP API: shop events (``POST /v1/events``) here; settings, links and unsubscribe routes
come from the layer's routers. Authentication, parsing and rules live in the layer."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from relance.adapters.errors import ConcurrentUpdate, SecretStoreUnavailable
from relance.core.batch import EVENT_FIELD_NAMES, BatchShapeError, parse_batch
from relance.core.signing import AuthError
from relance.http import customer_links, shop_settings
from relance.http.responses import NotJson, json_response, metrics, parse_json, signed_shop
from relance.services.ingest import ShopSuspended, apply
from relance.services.settings import SettingsRejected
from relance.services.templates import TemplateRejected
from relance.wiring import adapters

logger = Logger(service="api")
UNAUTHORIZED = "missing, unknown or invalid credentials (docs/api.md#authentication)"
RETRY_AFTER_SECONDS = 5
app = APIGatewayHttpResolver()
app.include_router(shop_settings.router)
app.include_router(customer_links.router)


@app.exception_handler(AuthError)
def _unauthorized(error: AuthError) -> Response[str]:
    metrics.add_metric(name="RequestsUnauthorized", unit=MetricUnit.Count, value=1)
    logger.info("request refused", extra={"auth_failure": error.reason})  # the detail stays here
    return json_response(401, {"error": "unauthorized", "reason": UNAUTHORIZED})


@app.exception_handler(ConcurrentUpdate)
def _conflict(_: ConcurrentUpdate) -> Response[str]:
    # Another request changed the same cart or settings meanwhile; retrying is safe (events
    # are idempotent, a settings request is whole).
    metrics.add_metric(name="RequestsConflicting", unit=MetricUnit.Count, value=1)
    reason = "changed by another request meanwhile; send it again"
    return json_response(409, {"error": "conflict", "reason": reason})


@app.exception_handler(SecretStoreUnavailable)
def _unavailable(_: SecretStoreUnavailable) -> Response[str]:
    metrics.add_metric(name="SecretStoreUnavailable", unit=MetricUnit.Count, value=1)
    body = {"error": "unavailable", "reason": "could not check the credentials now; retry shortly"}
    return json_response(503, body, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@app.exception_handler(ShopSuspended)
def _forbidden(_: ShopSuspended) -> Response[str]:
    metrics.add_metric(name="RequestsForbidden", unit=MetricUnit.Count, value=1)
    return json_response(403, {"error": "forbidden", "reason": "this shop is suspended"})


@app.exception_handler(BatchShapeError)
def _bad_batch(error: BatchShapeError) -> Response[str]:
    metrics.add_metric(name="EventsRejected.invalid_batch", unit=MetricUnit.Count, value=1)
    errors = [{"field": error.field, "reason": error.reason}]
    return json_response(422, {"error": "invalid_batch", "errors": errors})


@app.exception_handler(SettingsRejected)
def _bad_settings(error: SettingsRejected) -> Response[str]:
    errors = [{"field": e.field, "reason": e.reason} for e in error.errors]
    return json_response(422, {"error": "invalid_settings", "errors": errors})


@app.exception_handler(TemplateRejected)
def _bad_template(error: TemplateRejected) -> Response[str]:
    errors = [{"field": error.field, "reason": error.reason}]
    return json_response(422, {"error": "invalid_template", "errors": errors})


@app.post("/v1/events")
def post_events() -> Response[str]:
    shop, raw = signed_shop(app)
    io = adapters()
    try:
        body = parse_json(raw)
    except NotJson as error:
        metrics.add_metric(name="EventsRejected.invalid_json", unit=MetricUnit.Count, value=1)
        errors = [{"field": "body", "reason": str(error)}]
        return json_response(400, {"error": "invalid_json", "errors": errors})
    batch = parse_batch(body, now=io.clock())
    results = [apply(io, shop, index, parsed) for index, parsed in batch.events]
    accepted = [r for r in results if r.outcome == "applied"]
    metrics.add_metric(name="EventsAccepted", unit=MetricUnit.Count, value=len(accepted))
    metrics.add_metric(name="EventsDuplicate", unit=MetricUnit.Count, value=len(results) - len(accepted))
    metrics.add_metric(name="EventsRejected", unit=MetricUnit.Count, value=len(batch.rejected))
    for rejected in batch.rejected:  # by the field at fault: "EventsRejected.currency"...
        field = rejected.errors[0].field.rsplit(".", 1)[-1].split("[")[0] if rejected.errors else "event"
        # A metric name is a billed series: only the events' own field names, never input.
        field = field if field in EVENT_FIELD_NAMES else "other"
        metrics.add_metric(name=f"EventsRejected.{field}", unit=MetricUnit.Count, value=1)
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
    return json_response(422 if batch.rejected else 202, body_out)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
