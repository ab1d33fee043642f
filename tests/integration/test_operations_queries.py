"""The Logs Insights queries of docs/operations.md read messages and fields the functions write.

One day of a shop (an email, an open, an order that recovers the cart, a refused event, a
webhook, a refused body and a bad signature) is logged; every query must find its messages
in those lines and every field it reads in at least one of them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BaseWorld, load_event
from tests.factories import order_placed
from tests.integration.test_feedback import eventbridge, ses_record
from tests.integration.test_webhooks import connect, shopify
from tests.published import Lines, Printed

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]
DOC = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
_AGGREGATED = re.compile(r"\b(?:sum|max|min|avg|count)\(([\w.@]+)\)")


def queries() -> list[str]:
    section = DOC.read_text().split("## Questions per shop", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.*?)```", section, flags=re.DOTALL)


def messages_read(query: str) -> list[str]:
    """``filter message = 'a'`` or ``filter message in ['a', 'b']``."""
    clause = re.search(r"message (?:= '[^']+'|in \[[^\]]+\])", query)
    return re.findall(r"'([^']+)'", clause.group(0)) if clause else []


def fields_read(query: str) -> set[str]:
    """The log fields a query filters on, sums, or groups by (Logs Insights' own @fields aside)."""
    read = set(_AGGREGATED.findall(query))
    read.update(re.findall(r"\band (\w+) [=<>!]", query))
    for grouping in re.findall(r"\bby ([\w., ]+?)\s*(?:\||$)", query, flags=re.MULTILINE):
        read.update(name.strip() for name in grouping.split(","))
    return {name for name in read if not name.startswith("@") and name != "*"}


def value_of(line: dict[str, Any], path: str) -> object:
    """``recovered.EUR``, ``fields.0``: how Logs Insights flattens nested JSON."""
    value: object = line
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def one_day_of_a_shop(world: BaseWorld) -> None:
    connect(world)
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)
    world.fire("cart-1", 1)
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1) is not None
    message_id = str(cart.reminder(1).message_id)  # type: ignore[union-attr]
    opened = {"timestamp": world.clock().isoformat()}
    world.invoke(
        "feedback", eventbridge("Email Opened", ses_record(message_id, "Open", world.clock(), open=opened))
    )
    world.clock.advance(hours=1)
    world.post([order_placed("o-1", world.clock(), cart_id="cart-1")])
    world.post([{**load_event("cart_updated.json"), "id": "bad", "currency": "euro"}])
    shopify(world, "app/uninstalled", {"id": 1}, "w-1")
    world.request("POST", "/v1/events", b"{not json")
    world.invoke("api", world.api_event({"events": []}, secret="not-the-secret"))


def test_every_query_reads_messages_and_fields_the_functions_write(
    world: BaseWorld, published: Printed
) -> None:
    one_day_of_a_shop(world)
    _, logs, _ = published()
    found = queries()
    assert len(found) >= 8
    for query in found:
        messages = messages_read(query)
        lines: Lines = [line for line in logs if line["message"] in messages]
        assert messages and {line["message"] for line in lines} == set(messages), query
        for field in fields_read(query):
            assert any(value_of(line, field) is not None for line in lines), (field, query)


def test_the_checker_sees_a_field_no_line_has() -> None:
    assert fields_read("filter message = 'x' and gone > 0\n| stats sum(amount) as a by shop, kind") == {
        "gone",
        "amount",
        "shop",
        "kind",
    }
    assert messages_read("filter message in ['a', 'b'] and reason = 'c'") == ["a", "b"]
    assert value_of({"recovered": {"EUR": 3.0}, "fields": ["a"]}, "recovered.EUR") == 3.0
    assert value_of({"fields": ["a"]}, "fields.0") == "a" and value_of({"fields": []}, "fields.0") is None
