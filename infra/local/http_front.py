"""A local HTTP front for the API function: turns each request into the HTTP API (payload
2.0) event that API Gateway would send, and the function's answer back into HTTP.

Like API Gateway, it answers only the routes the template declares (404 otherwise), so a
route the code serves but the template forgot fails here as it would on AWS."""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]
LocalRoute = Callable[[str], tuple[int, dict[str, Any]]]
MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit


NOT_FOUND: dict[str, Any] = {
    "statusCode": 404,
    "body": '{"message":"Not Found"}',  # API Gateway's own answer
    "headers": {"Content-Type": "application/json"},
}


class RouteTable:
    """The template's (method, path) routes, ``{name}`` segments captured as API Gateway does."""

    def __init__(self, routes: set[tuple[str, str]]) -> None:
        self._routes = [(method, path, _pattern(path)) for method, path in sorted(routes)]

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        """The route key (``GET /r/{token}``) and path parameters, or ``None``."""
        for route_method, template, pattern in self._routes:
            found = pattern.match(path)
            if found and route_method == method:
                return f"{method} {template}", found.groupdict()
        return None


def _pattern(path: str) -> re.Pattern[str]:
    segments = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path))
    return re.compile(f"^{segments}$")


def http_api_event(
    method: str,
    target: str,
    headers: dict[str, str],
    body: bytes,
    *,
    route_key: str = "$default",
    path_parameters: dict[str, str] | None = None,
) -> dict[str, Any]:
    url = urlsplit(target)
    event = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": url.path,
        "rawQueryString": url.query,
        "headers": {k.lower(): v for k, v in headers.items()},
        "requestContext": {
            "http": {"method": method, "path": url.path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
            "requestId": "local",
            "stage": "$default",
            "timeEpoch": int(datetime.now(UTC).timestamp() * 1000),
        },
        "body": base64.b64encode(body).decode() if body else None,
        "isBase64Encoded": True,
    }
    if path_parameters:
        event["pathParameters"] = path_parameters
    return event


class ApiFront:
    def __init__(
        self,
        handler: Handler,
        routes: RouteTable,
        port: int = 0,
        local_routes: dict[str, LocalRoute] | None = None,
    ) -> None:
        self._handler = handler
        self._routes = routes
        self._local_routes = local_routes or {}
        front = self

        class _Request(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    self.send_error(413, "Payload Too Large")
                    return
                body = self.rfile.read(length)
                url = urlsplit(self.path)
                local = front._local_routes.get(f"{self.command} {url.path}")
                answer: dict[str, Any]
                if local is not None:
                    status, payload_json = local(url.query)
                    answer = {
                        "statusCode": status,
                        "body": json.dumps(payload_json),
                        "headers": {"Content-Type": "application/json"},
                    }
                elif (route := front._routes.match(self.command, url.path)) is not None:
                    route_key, parameters = route
                    headers = dict(self.headers)
                    event = http_api_event(
                        self.command,
                        self.path,
                        headers,
                        body,
                        route_key=route_key,
                        path_parameters=parameters,
                    )
                    answer = front._handler(event, None)
                else:
                    answer = NOT_FOUND
                payload = answer.get("body") or ""
                data = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
                self.send_response(int(answer.get("statusCode", 200)))
                for name, value in (answer.get("headers") or {}).items():
                    self.send_header(name, str(value))
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def __getattr__(self, name: str) -> Any:
                # Every method (QUERY, TRACE...) reaches the route table, as on API Gateway:
                # a method no route has is a 404, never the standard library's 501.
                if name.startswith("do_"):
                    return self._serve
                raise AttributeError(name)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Request)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> ApiFront:
        self._thread.start()
        return self

    def wait(self) -> None:
        self._thread.join()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
