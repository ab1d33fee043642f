"""Routes have one source of truth: the template's HttpApi events are exactly what the API
function answers, and the local front, like API Gateway, answers nothing else."""

from __future__ import annotations

import pytest

from infra.cloudformation import http_routes
from infra.local.http_front import RouteTable

pytestmark = pytest.mark.unit


def resolver_routes() -> set[tuple[str, str]]:
    from functions.api.handler import app

    routes = app._static_routes + app._dynamic_routes  # Powertools keeps no public list
    return {(route.method.upper(), route.openapi_path) for route in routes}


def test_the_template_declares_exactly_the_routes_the_api_function_answers() -> None:
    assert http_routes() == resolver_routes()


def test_the_front_matches_template_routes_and_nothing_else() -> None:
    table = RouteTable(http_routes())
    assert table.match("POST", "/v1/events") == ("POST /v1/events", {})
    assert table.match("PUT", "/v1/texts") == ("PUT /v1/texts", {})
    assert table.match("GET", "/r/abc.def-1") == ("GET /r/{token}", {"token": "abc.def-1"})
    assert table.match("GET", "/v1/events") is None  # path known, method not
    assert table.match("POST", "/v1/events/extra") is None
    assert table.match("GET", "/r/a/b") is None  # {token} is one segment
    assert table.match("DELETE", "/u/abc") is None
