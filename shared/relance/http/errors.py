"""The one exception map: every error a route can raise, and the documented answer it gets.

JSON bodies are ``{"error", "reason"}`` or ``{"error", "errors": [{"field", "reason"}]}``
(docs/api.md#responses). Powertools validates a request before any route middleware runs,
so an answer about the body first checks the signature: an unsigned request learns nothing
of the schema, it gets 401 like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel

from relance.adapters.errors import ConcurrentUpdate, SecretStoreUnavailable
from relance.core.cart.batch import field_path
from relance.core.connectors import MalformedWebhook
from relance.core.security.signing import AuthError
from relance.core.security.tokens import ExpiredToken, InvalidToken
from relance.http.auth import ShopSuspended, signer_of
from relance.http.responses import json_response, logger, metrics, page_response
from relance.services.errors import TemplateRejected
from relance.services.links import LinkGone
from relance.services.privacy import ErasureUnfinished
from relance.telemetry import Metric, count

UNAUTHORIZED = "missing, unknown or invalid credentials (docs/api.md#authentication)"
RETRY_AFTER_SECONDS = 5
_LOCATIONS = ("body", "query", "path", "header", "cookie")


class FieldProblem(BaseModel):
    field: str
    reason: str


class Refusal(BaseModel):
    """401, 403, 409, 503: why the request was not served."""

    error: str
    reason: str


class Invalid(BaseModel):
    """400, 415, 422: what is wrong in the request, field by field."""

    error: str
    errors: list[FieldProblem]


def documented(description: str, model: Any) -> OpenAPIResponse:
    return {"description": description, "content": {"application/json": {"model": model}}}


SIGNED_ROUTE_ANSWERS: dict[int, OpenAPIResponse] = {
    400: documented("the body is not JSON (malformed, not UTF-8, nested too deeply)", Invalid),
    401: documented("missing, unknown or invalid credentials (one text for every cause)", Refusal),
    403: documented("the shop is suspended", Refusal),
    409: documented("another request changed the same data meanwhile: send it again", Refusal),
    415: documented("the body is not sent as application/json", Invalid),
    422: documented("the body does not match this route's schema; nothing was changed", Invalid),
    503: documented("the credentials could not be checked now: retry after Retry-After", Refusal),
}


def request_field(location: Sequence[Any]) -> str:
    """``("body", "events", 3, "currency")`` -> ``events[3].currency``; the whole body is ``body``."""
    parts = location[1:] if location and location[0] in _LOCATIONS else location
    return field_path(parts) or "body"


def refused(error: Exception) -> Response[str]:
    """The answer to a request whose credentials did not pass."""
    if isinstance(error, AuthError):
        count(metrics, Metric.REQUESTS_UNAUTHORIZED)
        logger.info("request refused", extra={"auth_failure": error.reason})  # the detail stays here
        return json_response(401, {"error": "unauthorized", "reason": UNAUTHORIZED})
    if isinstance(error, ShopSuspended):
        count(metrics, Metric.REQUESTS_FORBIDDEN)
        return json_response(403, {"error": "forbidden", "reason": "this shop is suspended"})
    count(metrics, Metric.SECRET_STORE_UNAVAILABLE)
    body = {"error": "unavailable", "reason": "could not check the credentials now; retry shortly"}
    return json_response(503, body, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def register(app: APIGatewayHttpResolver) -> None:
    """Install the map on ``app``."""

    def unless_unsigned(answer: Callable[[], Response[str]]) -> Response[str]:
        signer = signer_of(app)
        if signer is not None:
            try:
                signer.authenticate(app)
            except (AuthError, ShopSuspended, SecretStoreUnavailable) as error:
                return refused(error)
        return answer()

    @app.exception_handler([AuthError, ShopSuspended, SecretStoreUnavailable])
    def _refused(error: Exception) -> Response[str]:
        return refused(error)

    @app.exception_handler(RequestValidationError)
    def _invalid(error: RequestValidationError) -> Response[str]:
        return unless_unsigned(lambda: invalid_request(error.errors()))

    @app.exception_handler(UnicodeDecodeError)
    def _not_utf8(_: UnicodeDecodeError) -> Response[str]:
        not_json = [{"type": "json_invalid", "loc": ("body",), "ctx": {"error": "not UTF-8"}}]
        return unless_unsigned(lambda: invalid_request(not_json))

    @app.exception_handler(RequestUnsupportedContentType)
    def _unsupported(_: RequestUnsupportedContentType) -> Response[str]:
        problem = {"field": "content-type", "reason": "send the body as application/json"}
        return unless_unsigned(
            lambda: json_response(415, {"error": "unsupported_media_type", "errors": [problem]})
        )

    @app.exception_handler(ConcurrentUpdate)
    def _conflict(_: ConcurrentUpdate) -> Response[str]:
        # Another request changed the same cart or settings meanwhile; retrying is safe (events
        # are idempotent, a settings request is whole).
        count(metrics, Metric.REQUESTS_CONFLICTING)
        reason = "changed by another request meanwhile; send it again"
        return json_response(409, {"error": "conflict", "reason": reason})

    @app.exception_handler(MalformedWebhook)
    def _malformed_webhook(error: MalformedWebhook) -> Response[str]:
        problems = [{"field": e.field or "body", "reason": e.reason} for e in error.errors]
        _count_rejected("invalid_request", problems)
        return json_response(422, {"error": "invalid_request", "errors": problems})

    @app.exception_handler(ErasureUnfinished)
    def _unfinished(_: ErasureUnfinished) -> Response[str]:
        # The platform resends (Shopify for hours); each delivery erases what is left.
        body = {"error": "unavailable", "reason": "erasure in progress; send it again to go on"}
        return json_response(503, body, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(TemplateRejected)
    def _bad_template(error: TemplateRejected) -> Response[str]:
        errors = [{"field": error.field, "reason": error.reason}]
        return json_response(422, {"error": "invalid_template", "errors": errors})

    @app.exception_handler(InvalidToken)
    def _no_such_link(_: InvalidToken) -> Response[str]:
        return page_response(404, "Link not found", "This link is not valid.")

    @app.exception_handler([ExpiredToken, LinkGone])
    def _expired_link(_: Exception) -> Response[str]:
        return page_response(410, "Link expired", "This link has expired.")


def invalid_request(errors: Sequence[Any]) -> Response[str]:
    """400 for a body that is not JSON at all, else 422 naming each field."""
    not_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if not_json is not None:
        reason = str(not_json.get("ctx", {}).get("error", "malformed"))
        problems = [{"field": "body", "reason": f"not JSON: {reason}"}]
        _count_rejected("invalid_json", problems)
        return json_response(400, {"error": "invalid_json", "errors": problems})
    problems = [
        {"field": request_field(e.get("loc", ())), "reason": str(e.get("msg", e.get("type")))} for e in errors
    ]
    _count_rejected("invalid_request", problems)
    return json_response(422, {"error": "invalid_request", "errors": problems})


def _count_rejected(error: str, problems: list[dict[str, str]]) -> None:
    count(metrics, Metric.REQUESTS_REJECTED)
    # The fields come from the request: the log line may name them, a metric never does.
    logger.info(
        "request rejected", extra={"error": error, "fields": [p["field"][:100] for p in problems[:20]]}
    )
