"""The published OpenAPI document is the code's, and the API keeps what it promises.

docs/openapi.json is generated from the routes' pydantic models (``make openapi``); a test
fails when it drifts. Schemathesis then generates requests from that document, valid and
invalid, signs them as the shop would, and checks every answer: never 5xx, a documented
status, content type and body.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import requests
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

from tests.conftest import World

pytestmark = pytest.mark.integration
DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("RELANCE_SCHEMA_EXAMPLES", "40"))
SCHEMA = schemathesis.openapi.from_dict(json.loads(DOCUMENT.read_text()))
OPERATIONS = [(op.method.upper(), op.path) for op in (r.ok() for r in SCHEMA.get_all_operations())]  # type: ignore[union-attr]
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


def _generated() -> dict[str, Any]:
    # Imported here: the api's Metrics must be built after conftest set the environment.
    from relance.http.app import openapi_document

    return openapi_document()


def test_the_checked_in_document_is_the_one_the_code_generates() -> None:
    generated = json.dumps(_generated(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    assert DOCUMENT.read_text() == generated, "docs/openapi.json is stale: run `make openapi`"


def test_every_route_is_in_the_document_with_its_answers() -> None:
    assert set(OPERATIONS) == {
        ("POST", "/v1/events"), ("GET", "/v1/policy"), ("PUT", "/v1/policy"), ("PUT", "/v1/texts"),
        ("PUT", "/v1/templates"), ("POST", "/v1/erase"), ("GET", "/r/{token}"), ("GET", "/u/{token}"),
        ("POST", "/u/{token}"),
    }  # fmt: skip
    events = _generated()["paths"]["/v1/events"]["post"]
    assert {"202", "400", "401", "403", "409", "422", "503"} <= set(events["responses"])
    assert events["security"] == [{"shop": [], "timestamp": [], "signature": []}]


def _answer(world: World, case: Any) -> Response:
    """Send ``case`` through the api function, signed with the shop's secret when its route is."""
    prepared = requests.Request(**case.as_transport_kwargs(base_url="https://relance.test")).prepare()
    raw = prepared.body if isinstance(prepared.body, bytes) else str(prepared.body or "").encode()
    path = prepared.path_url.split("?")[0]
    event = world.api_event(raw, path=path, method=case.method.upper())
    content_type = (case.headers or {}).get("Content-Type") or prepared.headers.get("Content-Type")
    if content_type:
        event["headers"]["content-type"] = content_type
    answer = world.invoke("api", event)
    headers = {key: [value] for key, value in (answer.get("headers") or {}).items()}
    body = (answer.get("body") or "").encode()
    return Response(answer["statusCode"], headers, body, request=prepared, elapsed=0.0, verify=True)


# Negative cases need something to break: a body (a token path parameter has no invalid value).
RUNS = [
    (method, path, mode)
    for method, path in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or SCHEMA[path][method].body
]


@pytest.mark.parametrize(("method", "path", "mode"), RUNS)
def test_generated_requests_get_documented_answers(world: World, method: str, path: str, mode: Any) -> None:
    operation = SCHEMA[path][method]
    statuses: list[int] = []

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        response = _answer(world, case)
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
