"""Authentication answers what really happened: 401 (one text) for bad credentials, 503 with
Retry-After when the secret store fails, and a rotated secret keeps working for a day."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from relance.services.shops import register
from tests.conftest import T0, World, demo_shop
from tests.factories import cart_updated

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]


def _answer(world: World, **kwargs: Any) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = world.invoke("api", world.api_event({"events": [cart_updated("e1", T0)]}, **kwargs))
    return response["statusCode"], json.loads(response["body"]), response.get("headers") or {}


def test_every_authentication_failure_reads_the_same(world: World) -> None:
    answers = [
        _answer(world, secret="wrong-secret"),
        _answer(world, shop_id="no-such-shop"),
        _answer(world, timestamp=int((T0 - timedelta(hours=1)).timestamp())),
    ]
    assert {status for status, _, _ in answers} == {401}
    assert len({json.dumps(body) for _, body, _ in answers}) == 1


@pytest.mark.parametrize("code", ["ThrottlingException", "AccessDeniedException", "InternalServerError"])
@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_a_failing_secret_store_is_a_503_with_retry_after_not_a_401(
    world: World, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    client = world.adapters.secrets._client  # the adapter's own SSM client

    def failing(**_: Any) -> Any:
        raise ClientError({"Error": {"Code": code, "Message": "injected"}}, "GetParameter")

    world.adapters.secrets._provider.clear_cache()  # type: ignore[no-untyped-call]
    monkeypatch.setattr(client, "get_parameter", failing)
    status, body, headers = _answer(world)
    assert status == 503 and headers["Retry-After"].isdigit() and body["error"] == "unavailable"
    monkeypatch.undo()
    assert _answer(world)[0] == 202  # and once the store answers, the same request goes through


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_unknown_shops_are_remembered_for_a_minute(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    client = world.adapters.secrets._client
    real = client.get_parameter

    def counting(**kwargs: Any) -> Any:
        calls.append(kwargs["Name"])
        return real(**kwargs)

    monkeypatch.setattr(client, "get_parameter", counting)
    for _ in range(5):
        assert _answer(world, shop_id="ghost-shop")[0] == 401
    assert calls.count("/relance/shops/ghost-shop") == 1
    register(world.adapters, demo_shop("ghost-shop"))  # registering it lifts the memory at once
    assert world.adapters.secrets.get("ghost-shop", world.clock()) is not None


def test_a_rotated_secret_stays_valid_for_the_overlap_then_not(world: World) -> None:
    old = world.secret
    new = register(world.adapters, world.shop)
    assert _answer(world, secret=new)[0] == 202
    assert _answer(world, secret=old)[0] in (202, 422)  # still accepted (a duplicate event is fine)
    world.clock.advance(hours=25)
    assert _answer(world, secret=old)[0] == 401
    assert _answer(world, secret=new)[0] == 202
