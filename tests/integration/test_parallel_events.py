"""50 different events for one cart, sent at once from 5 processes (as 5 Lambda containers
would), against embedded AWS answering one request at a time (so each conditional write
is atomic, as DynamoDB's are): every event gets a 2xx or a retry-safe 409, the resends of
the 409s go through, and the cart has exactly one schedule for its step 1."""

from __future__ import annotations

import base64
import json
import multiprocessing
import os
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
PROCESSES, EVENTS_EACH = 5, 10


def _signed_request(shop_id: str, secret: str, body: dict[str, Any]) -> dict[str, Any]:
    from relance.core.security.signing import signature

    raw = json.dumps(body).encode()
    ts = int(datetime.now(UTC).timestamp())
    headers = {"content-type": "application/json", "x-relance-shop": shop_id,
               "x-relance-timestamp": str(ts), "x-relance-signature": signature(secret, ts, raw)}  # fmt: skip
    return {"version": "2.0", "routeKey": "POST /v1/events", "rawPath": "/v1/events", "rawQueryString": "",
            "headers": headers, "requestContext": {"http": {"method": "POST", "path": "/v1/events"},
                                                   "requestId": "p", "stage": "$default"},
            "body": base64.b64encode(raw).decode(), "isBase64Encoded": True}  # fmt: skip


def _post_all(job: tuple[dict[str, str], str, str, list[dict[str, Any]]]) -> list[tuple[str, int]]:
    """One 'container': post each event, resending it while the answer is a 409."""
    environment, shop_id, secret, events = job
    os.environ.update(environment)
    from functions.api.handler import lambda_handler
    from infra.local.lambda_context import LambdaContext

    answers = []
    for event in events:
        for _ in range(10):
            request = _signed_request(shop_id, secret, {"events": [event]})
            response = lambda_handler(request, LambdaContext("api"))
            answers.append((event["id"], int(response["statusCode"])))
            if response["statusCode"] != 409:
                break
    return answers


@pytest.fixture
def serial_aws() -> Any:
    """moto in server mode, one request at a time."""
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def test_fifty_events_at_once_on_one_cart_arm_one_schedule(
    serial_aws: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infra.local.stack import REGION, deploy
    from relance.config import Settings
    from relance.services.shops import register
    from relance.wiring import AwsAdapters
    from tests.conftest import demo_shop
    from tests.factories import cart_updated

    monkeypatch.setenv("AWS_ENDPOINT_URL", serial_aws)
    session = boto3.session.Session(region_name=REGION)
    stack = deploy(session, "relance-parallel")
    environment = {**stack.functions_environment(), "AWS_ENDPOINT_URL": serial_aws,
                   "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_DEFAULT_REGION": REGION, "POWERTOOLS_METRICS_DISABLED": "true",
                   "POWERTOOLS_LOG_LEVEL": "CRITICAL", "PYTHONPATH": f"{ROOT}:{ROOT / 'shared'}"}  # fmt: skip
    shop = demo_shop("parallel-shop")
    secret = register(AwsAdapters(Settings.model_validate(environment), session=session), shop)
    start = datetime.now(UTC) - timedelta(hours=1)
    count = PROCESSES * EVENTS_EACH
    events = [cart_updated(f"e{n:02d}", start + timedelta(seconds=n), "cart-1") for n in range(count)]
    jobs = [(environment, shop.shop_id, secret, events[n::PROCESSES]) for n in range(PROCESSES)]
    with ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn")) as pool:
        answers = [answer for batch in pool.map(_post_all, jobs) for answer in batch]

    statuses = Counter(status for _, status in answers)
    assert set(statuses) <= {202, 409}, statuses
    final = dict(answers)  # the last answer to each event
    assert len(final) == PROCESSES * EVENTS_EACH and set(final.values()) == {202}, statuses
    scheduler = session.client("scheduler")
    group = environment["SCHEDULE_GROUP"]
    names = [s["Name"] for s in scheduler.list_schedules(GroupName=group)["Schedules"]]
    steps = Counter(json.loads(scheduler.get_schedule(GroupName=group, Name=n)["Target"]["Input"])["step"]
                    for n in names)  # fmt: skip
    assert steps == {1: 1}, steps
