"""Incentives: a pool of single-use codes handed out once each, even under concurrency; only
in the last step; at most once per customer per period across carts; recorded on the cart."""

from __future__ import annotations

import email
from datetime import timedelta
from decimal import Decimal
from html import unescape
from typing import cast
from urllib.parse import quote

import pytest
from boto3.dynamodb.conditions import Key

from relance.core.sequence.policy import ShopPolicy
from tests.conftest import T0, World
from tests.factories import cart_updated

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
H = timedelta(hours=1)
POOL = ShopPolicy.model_validate(
    {"incentive": {"enabled": True, "kind": "percent", "value": "10"}, "pressure_cap": {"max_emails": 10}}
)


def run_sequence(world: World, cart_id: str, start: int) -> list[str]:
    """Abandon ``cart_id`` at T0 + ``start`` hours and fire its three steps; the emails' text."""
    begin = T0 + start * H
    world.post([cart_updated(f"u-{cart_id}", begin, cart_id)])
    texts = []
    for step, hours in ((1, 3), (2, 24), (3, 72)):
        world.clock.now = begin + hours * H
        assert world.fire(cart_id, step)["action"] == "sent"
        msg = email.message_from_string(world.sent_messages()[-1].raw_data)
        texts.append(
            next(
                unescape(cast(bytes, p.get_payload(decode=True)).decode())
                for p in msg.walk()
                if not p.is_multipart()
            )
        )
    return texts


def test_the_last_step_carries_a_pool_code_recorded_on_the_cart(world: World) -> None:
    world.adapters.shops.put(world.shop.model_copy(update={"policy": POOL}))
    assert world.adapters.codes.upload("atelier-test", ["MERCI-A", "MERCI-B"]) == (2, [])
    first, second, last = run_sequence(world, "cart-1", 0)
    assert "MERCI-" not in first + second
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.incentive is not None
    assert cart.incentive.code in last and "10\xa0% de réduction" in last
    assert (cart.incentive.kind, cart.incentive.value) == ("percent", Decimal(10))
    assert world.adapters.codes.free_count("atelier-test") == 1


def test_a_customer_gets_one_incentive_per_period_across_carts(world: World) -> None:
    world.adapters.shops.put(world.shop.model_copy(update={"policy": POOL}))
    world.adapters.codes.upload("atelier-test", ["MERCI-A", "MERCI-B"])
    run_sequence(world, "cart-1", 0)
    *_, again = run_sequence(world, "cart-2", 100)  # four days later, within the 90-day period
    assert "MERCI-" not in again
    assert world.adapters.carts.get("atelier-test", "cart-2").incentive is None  # type: ignore[union-attr]
    assert world.adapters.codes.free_count("atelier-test") == 1


def test_an_empty_pool_sends_the_last_step_without_a_code_and_keeps_the_customers_turn(world: World) -> None:
    world.adapters.shops.put(world.shop.model_copy(update={"policy": POOL}))
    *_, last = run_sequence(world, "cart-1", 0)
    assert "code" not in last.lower()
    assert world.adapters.contacts.state("atelier-test", "claire@example.fr").last_incentive_at is None


@pytest.mark.backend("aws")  # reads or breaks what only embedded AWS has
def test_a_code_taken_by_another_lambda_between_read_and_write_is_not_handed_out_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = world.adapters.codes
    pool.upload("atelier-test", ["CODE-1", "CODE-2"])
    stale = pool._table.query(KeyConditionExpression=Key("pk").eq("CODES#atelier-test#free"))
    assert pool.take("atelier-test", "cart-a", T0) == "CODE-1"  # the other Lambda wins the race
    real_query = pool._table.query
    calls = iter([stale])
    monkeypatch.setattr(pool._table, "query", lambda **kw: next(calls, None) or real_query(**kw))
    assert pool.take("atelier-test", "cart-b", T0) == "CODE-2", "the stale CODE-1 is skipped"
    assert pool.issued_to("atelier-test", "CODE-1") == "cart-a"
    assert pool.take("atelier-test", "cart-c", T0) is None


def test_a_code_already_handed_out_cannot_be_uploaded_again(world: World) -> None:
    world.adapters.codes.upload("atelier-test", ["ONCE-1"])
    assert world.adapters.codes.take("atelier-test", "cart-1", T0) == "ONCE-1"
    assert world.adapters.codes.upload("atelier-test", ["ONCE-1", "ONCE-2"]) == (1, ["ONCE-1"])


def test_the_last_emails_cart_link_applies_the_code_where_the_shop_gives_a_link_for_it(world: World) -> None:
    apply_link = "https://atelier-test.example/discount/{code}?redirect={path}"
    incentive = POOL.incentive.model_copy(update={"apply_link": apply_link})
    world.adapters.shops.put(
        world.shop.model_copy(update={"policy": POOL.model_copy(update={"incentive": incentive})})
    )
    world.adapters.codes.upload("atelier-test", ["MERCI-A"])
    last = run_sequence(world, "cart-1", 0)[-1]
    link = next(word for word in last.split() if "/r/" in word)
    location = world.click(link)["headers"]["Location"]
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.restore_url is not None
    assert location == "https://atelier-test.example/discount/MERCI-A?redirect=" + quote(
        cart.restore_url.removeprefix("https://atelier-test.example"), safe=""
    )


@pytest.mark.parametrize(
    "apply_link",
    ["http://shop.example/discount/{code}", "https://shop.example/cart", "https://shop.example/d/{coupon}"],
)
def test_a_link_that_cannot_apply_a_code_is_refused(apply_link: str) -> None:
    with pytest.raises(ValueError, match=r"incentive\.apply_link"):
        ShopPolicy.model_validate({"incentive": {"apply_link": apply_link}})
