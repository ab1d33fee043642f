"""Unsubscribe: RFC 8058 headers on every email, one-click POST and confirm page, effective
before the next step, for every cart of the address, with tokens nobody can forge."""

from __future__ import annotations

import email
import re
from typing import cast

import pytest

from tests.conftest import PUBLIC_API_URL, World, load_event
from tests.factories import cart_updated

pytestmark = [pytest.mark.integration, pytest.mark.backend("memory")]


def first_email(world: World) -> email.message.Message:
    status, _ = world.post([load_event("cart_updated.json")])
    assert status == 202
    world.clock.advance(hours=3)
    assert world.fire("cart-1", 1)["action"] == "sent"
    return email.message_from_string(world.sent_messages()[-1].raw_data)


def unsubscribe_url(msg: email.message.Message) -> str:
    header = str(msg["List-Unsubscribe"])
    match = re.fullmatch(r"<(https://\S+/u/[A-Za-z0-9_.-]+)>", header)
    assert match, header
    return match.group(1)


def test_every_email_has_one_click_headers_and_the_same_visible_link(world: World) -> None:
    msg = first_email(world)
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = unsubscribe_url(msg)
    assert url.startswith(PUBLIC_API_URL + "/u/")
    for part in msg.walk():
        if not part.is_multipart():
            assert url in cast(bytes, part.get_payload(decode=True)).decode()


def test_one_click_post_unsubscribes_and_the_next_step_stops(world: World) -> None:
    url = unsubscribe_url(first_email(world))
    status, page = world.request("POST", url, b"List-Unsubscribe=One-Click")
    assert status == 200 and "Atelier Test" in page
    assert world.adapters.contacts.is_suppressed("atelier-test", "claire@example.fr")
    world.clock.advance(hours=24)
    assert world.fire("cart-1", 2) == {"action": "stopped", "step": 2, "reason": "unsubscribed"}
    assert len(world.sent_messages()) == 1
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and "unsubscribe" in cart.reminder(1).feedback  # type: ignore[union-attr]


def test_it_stops_the_customers_other_carts_too(world: World) -> None:
    url = unsubscribe_url(first_email(world))
    world.request("POST", url)
    world.post([cart_updated("other-1", world.clock(), "cart-2", email="claire@example.fr")])
    world.clock.advance(hours=3)
    assert world.fire("cart-2", 1)["reason"] == "unsubscribed"


def test_the_visible_link_shows_a_confirm_page_and_changes_nothing_by_itself(world: World) -> None:
    url = unsubscribe_url(first_email(world))
    status, page = world.request("GET", url)
    assert status == 200 and "<form method='post'>" in page and "Atelier Test" in page
    assert not world.adapters.contacts.is_suppressed("atelier-test", "claire@example.fr")


def test_forged_or_borrowed_tokens_are_refused(world: World) -> None:
    msg = first_email(world)
    url = unsubscribe_url(msg)
    token = url.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert world.request("POST", f"/u/{tampered}")[0] == 404
    click = re.search(rf"{PUBLIC_API_URL}/r/([A-Za-z0-9_.-]+)", msg.as_string())
    assert click is not None
    assert world.request("POST", f"/u/{click.group(1)}")[0] == 404, (
        "a click token is not an unsubscribe token"
    )
    assert world.request("GET", f"/r/{token}")[0] == 404, "and the other way round"
    assert not world.adapters.contacts.is_suppressed("atelier-test", "claire@example.fr")
