"""How the API answers: JSON bodies, private HTML pages; its one metric set and its logger."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response

from relance.http.pages import page

# Powertools shares one metric set per process: this is the api function's ``Metrics``.
metrics = Metrics(service="api")
logger = Logger(service="api")
# Customer-facing answers are never cached and never tell the next site where they came from.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def json_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps(body), headers=headers
    )


def html_response(status: int, body: str) -> Response[str]:
    return Response(
        status_code=status, content_type="text/html; charset=utf-8", body=body, headers=PRIVATE_HEADERS
    )


def page_response(status: int, title: str, text: str) -> Response[str]:
    return html_response(status, page(title, text))
