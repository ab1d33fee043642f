"""Schemathesis runs of docs/openapi.json, shared by the in-process and the over-HTTP tests:
the cases each operation gets, and what every answer must be."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
SCHEMA = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text()))
OPERATIONS = [(op.method.upper(), op.path) for op in (r.ok() for r in SCHEMA.get_all_operations())]  # type: ignore[union-attr]
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]
# Negative cases need something to break: a body (a token path parameter has no invalid value).
RUNS = [
    (method, path, mode)
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or SCHEMA[path][method].body
]


def webhook_platform(path: str) -> str | None:
    """``shopify`` for ``/v1/webhooks/shopify/{shop_id}``: a route signed the platform's way."""
    match = re.fullmatch(r"/v1/webhooks/([a-z]+)/.*", path)
    return match.group(1) if match else None


def check_generated(
    method: str, path: str, mode: Any, examples: int, send: Callable[[Any], Response], *, shop_id: str
) -> None:
    """Send ``examples`` generated cases; each answer documented, never 5xx; a signed route
    never answers 401 (the run signs, and a webhook URL names the shop ``shop_id``), and valid
    cases get through at least once."""
    operation = SCHEMA[path][method]
    statuses: list[int] = []

    @settings(
        max_examples=examples, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        if "{shop_id}" in path:  # the shop whose webhook secret signs the case
            case.path_parameters = {**(case.path_parameters or {}), "shop_id": shop_id}
        response = send(case)
        statuses.append(response.status_code)
        if b'"accepted": [{' in response.content:  # a 422 batch that stored some events
            statuses.append(202)
        assert response.status_code < 500, (response.status_code, response.content[:300], case.body)
        case.validate_response(response, checks=CHECKS)

    run()
    if path.startswith("/v1/"):  # signed: a 401 means the test, not the API, is wrong
        assert 401 not in statuses, statuses
    if mode == GenerationMode.POSITIVE and path.startswith("/v1/"):
        # Valid: some must get through, or the run only proved that refusals are documented.
        assert any(200 <= status < 300 for status in statuses), statuses
