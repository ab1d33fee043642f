"""One contract per port, run on both implementations: the AWS adapters on embedded AWS and
the in-memory fakes (tests/fakes.py). A fake that drifts from the adapter fails here, so
service tests on fakes keep meaning what they would mean on AWS."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from relance.adapters.contacts import contact_digest
from relance.adapters.errors import ConcurrentUpdate
from relance.core.cart.state import Cart, apply_event, new_cart
from relance.core.reporting.facts import fact_row
from relance.core.reporting.reported import ReportedCart
from relance.core.sequence.policy import ShopPolicy
from relance.ports import Adapters, OutgoingEmail, SentMessage
from tests.conftest import T0, Clock, demo_shop
from tests.factories import cart_updated, parsed
from tests.fakes import MemoryAdapters

pytestmark = pytest.mark.integration
SHOP = "atelier-test"
EMAIL = "claire@example.fr"
H = timedelta(hours=1)


@dataclass
class Subject:
    adapters: Adapters
    clock: Clock


@pytest.fixture(params=["aws", "memory"])
def ports(request: pytest.FixtureRequest) -> Iterator[Subject]:
    if request.param == "aws":
        world = request.getfixturevalue("world")
        yield Subject(world.adapters, world.clock)
    else:
        clock = Clock()
        yield Subject(MemoryAdapters(clock), clock)


def _cart(cart_id: str = "cart-1", at_hours: float = 0) -> Cart:
    event = parsed(cart_updated(f"e-{cart_id}", T0 + at_hours * H, cart_id))
    cart = apply_event(new_cart(SHOP, event), event)
    assert cart is not None
    return cart


def test_carts_are_written_only_over_the_version_read(ports: Subject) -> None:
    carts = ports.adapters.carts
    cart = _cart()
    assert carts.get(SHOP, "cart-1") is None
    saved = carts.save(cart, retention_days=90)
    assert saved.version == 1 and carts.get(SHOP, "cart-1") == saved
    with pytest.raises(ConcurrentUpdate):
        carts.save(cart, retention_days=90)  # a second "new" cart
    again = carts.save(saved, retention_days=90)
    with pytest.raises(ConcurrentUpdate):
        carts.save(saved, retention_days=90)  # read before ``again`` was written
    assert carts.get(SHOP, "cart-1") == again and carts.get("other-shop", "cart-1") is None


def test_an_expired_cart_reads_as_absent_and_its_id_is_free_again(ports: Subject) -> None:
    carts = ports.adapters.carts
    carts.save(_cart(), retention_days=1)
    ports.clock.advance(days=2, hours=1)
    assert carts.get(SHOP, "cart-1") is None
    assert list(carts.carts_of_day(SHOP, T0.date())) == []
    assert carts.save(_cart(), retention_days=90).version == 1


def test_carts_of_a_day_are_the_shops_own_and_deleted_ones_are_gone(ports: Subject) -> None:
    carts = ports.adapters.carts
    for cart_id, hours in (("a", 0), ("b", 1), ("c", 30)):
        carts.save(_cart(cart_id, hours), retention_days=90)
    assert sorted(c.cart_id for c in carts.carts_of_day(SHOP, T0.date())) == ["a", "b"]
    assert carts.delete(SHOP, "a") and not carts.delete(SHOP, "a")
    assert [c.cart_id for c in carts.carts_of_day(SHOP, T0.date())] == ["b"]
    assert list(carts.carts_of_day("other-shop", T0.date())) == []


def test_the_report_reads_a_days_carts_with_what_it_shows_of_each(ports: Subject) -> None:
    carts = ports.adapters.carts
    saved = carts.save(_cart("a"), retention_days=90)
    carts.save(_cart("late", 30), retention_days=90)
    (reported,) = carts.reported_carts_of_day(SHOP, T0.date())
    # The fake stores defaults written out, DynamoDB without them: the report reads both alike.
    assert fact_row(reported, ShopPolicy()) == fact_row(ReportedCart.of(saved), ShopPolicy())
    assert (reported.stored["cart_id"], reported.total, reported.abandoned_utc[:10]) == (
        "a",
        saved.total,
        T0.date().isoformat(),
    )
    assert len(reported.stored.get("items") or ()) == len(saved.items) > 0
    assert reported.orders_count == saved.customer.orders_count
    assert list(carts.reported_carts_of_day("other-shop", T0.date())) == []


def test_shops_change_whole_and_list_themselves(ports: Subject) -> None:
    shops = ports.adapters.shops
    shops.put(demo_shop("shop-b"))
    with pytest.raises(LookupError):
        shops.change("nobody", lambda shop: shop)
    changed = shops.change("shop-b", lambda shop: shop.model_copy(update={"name": "B"}))
    assert changed.name == "B" and shops.get("shop-b") == changed
    assert "shop-b" in shops.shop_ids() and "nobody" not in shops.shop_ids()
    assert shops.templates("shop-b") == {}
    shops.put_templates("shop-b", {"reminder.txt": "x"})
    assert shops.templates("shop-b") == {"reminder.txt": "x"}


def test_message_and_checkout_indexes(ports: Subject) -> None:
    messages, checkouts = ports.adapters.messages, ports.adapters.checkouts
    sent = SentMessage(SHOP, "cart-1", 2)
    messages.remember("m-1", sent, T0 + 90 * 24 * H)
    assert messages.find("m-1") == sent and messages.find("m-2") is None
    messages.forget("m-1")
    assert messages.find("m-1") is None
    checkouts.remember(SHOP, "tok", "cart-1", T0 + H)
    assert checkouts.cart_of(SHOP, "tok", T0) == "cart-1"
    assert checkouts.cart_of("other-shop", "tok", T0) is None
    assert checkouts.cart_of(SHOP, "tok", T0 + 2 * H) is None  # expired
    checkouts.forget(SHOP, "tok")
    assert checkouts.cart_of(SHOP, "tok", T0) is None


def test_contact_notes_keep_the_newest_fact_whatever_the_arrival_order(ports: Subject) -> None:
    contacts = ports.adapters.contacts
    contacts.note_consent(SHOP, EMAIL, True, T0 + H)
    contacts.note_consent(SHOP, EMAIL, False, T0)  # older: ignored
    contacts.note_order(SHOP, EMAIL, T0 + 2 * H)
    contacts.note_order(SHOP, EMAIL, T0 + H)
    contacts.claim_newest(SHOP, EMAIL, "cart-2", T0 + H)
    contacts.claim_newest(SHOP, EMAIL, "cart-1", T0)  # older: ignored
    contacts.claim_newest(SHOP, EMAIL, "cart-0", T0 + H)  # same time, smaller id: ignored
    state = contacts.state(SHOP, EMAIL)
    assert state.consent is True and state.last_order_at == T0 + 2 * H
    assert (state.newest_cart_id, state.newest_at) == ("cart-2", T0 + H)
    assert contacts.state(SHOP, "someone@example.fr").newest_cart_id is None
    assert contacts.state("other-shop", EMAIL).consent is None


def test_an_email_is_noted_once_and_the_last_one_names_its_cart(ports: Subject) -> None:
    contacts = ports.adapters.contacts
    assert contacts.last_email(SHOP, EMAIL) is None
    contacts.note_email(SHOP, EMAIL, "cart-1", T0)
    contacts.note_email(SHOP, EMAIL, "cart-1", T0)  # a redelivered timer: no second email
    contacts.note_email(SHOP, EMAIL, "cart-2", T0 + H)
    assert contacts.state(SHOP, EMAIL).recent_emails == (T0, T0 + H)
    last = contacts.last_email(SHOP, EMAIL)
    assert last is not None and (last.cart_id, last.sent_at) == ("cart-2", T0 + H)
    contacts.note_last_cart(SHOP, EMAIL, "cart-3", T0 + 2 * H)  # hold-out: not a sent email
    assert contacts.state(SHOP, EMAIL).recent_emails == (T0, T0 + H)


def test_erasure_forgets_all_but_the_suppression_and_its_time(ports: Subject) -> None:
    contacts = ports.adapters.contacts
    contacts.note_cart(SHOP, EMAIL, "cart-1")
    contacts.note_cart(SHOP, EMAIL, "cart-2")
    contacts.note_email(SHOP, EMAIL, "cart-1", T0)
    assert contacts.cart_ids(SHOP, EMAIL) == {"cart-1", "cart-2"}
    contacts.unsubscribe(SHOP, contact_digest(SHOP, EMAIL), T0)
    contacts.forget(SHOP, EMAIL, T0 + H)
    assert contacts.cart_ids(SHOP, EMAIL) == set() and contacts.last_email(SHOP, EMAIL) is None
    assert contacts.is_suppressed(SHOP, EMAIL) and contacts.erased_at(SHOP, EMAIL) == T0 + H
    assert contacts.state(SHOP, EMAIL).suppressed_reason == "unsubscribed"
    assert not contacts.is_suppressed("other-shop", EMAIL)


def test_an_incentive_is_claimed_once_per_period_and_can_be_given_back(ports: Subject) -> None:
    contacts = ports.adapters.contacts
    assert contacts.claim_incentive(SHOP, EMAIL, T0, not_since=T0 - 90 * 24 * H)
    assert not contacts.claim_incentive(SHOP, EMAIL, T0 + H, not_since=T0 - 89 * 24 * H)
    contacts.release_incentive(SHOP, EMAIL, T0 + H)  # not the claim's time: kept
    assert contacts.state(SHOP, EMAIL).last_incentive_at == T0
    contacts.release_incentive(SHOP, EMAIL, T0)
    assert contacts.claim_incentive(SHOP, EMAIL, T0 + H, not_since=T0)


def test_a_code_is_issued_once_and_never_returns_to_the_pool(ports: Subject) -> None:
    codes = ports.adapters.codes
    assert codes.take(SHOP, "cart-1", T0) is None
    assert codes.upload(SHOP, ["B", "A", "A"]) == (2, [])
    first = codes.take(SHOP, "cart-1", T0)
    assert first in {"A", "B"} and codes.issued_to(SHOP, first or "") == "cart-1"
    assert codes.free_count(SHOP) == 1 and codes.free_count("other-shop") == 0
    assert codes.upload(SHOP, [first or ""]) == (0, [first])
    assert codes.take("other-shop", "cart-9", T0) is None


def test_a_rotated_secret_stays_valid_for_the_overlap(ports: Subject) -> None:
    secrets = ports.adapters.secrets
    assert secrets.get("unknown-shop", T0) is None
    secrets.put("shop-s", "first", T0)
    assert secrets.get("shop-s", T0) == ["first"]
    secrets.put("shop-s", "second", T0 + H)
    assert secrets.get("shop-s", T0 + 2 * H) == ["second", "first"]
    assert secrets.get("shop-s", T0 + 26 * H) == ["second"]


def test_a_platform_webhook_secret_is_kept_apart_from_the_shop_secret(ports: Subject) -> None:
    secrets = ports.adapters.secrets
    secrets.put("shop-p", "own", T0)
    assert secrets.get("shop-p", T0, "shopify") is None
    secrets.put("shop-p", "from-shopify", T0, "shopify")
    secrets.put("shop-p", "from-woo", T0, "woocommerce")
    assert secrets.get("shop-p", T0) == ["own"]
    assert secrets.get("shop-p", T0, "shopify") == ["from-shopify"]
    secrets.put("shop-p", "rotated", T0 + H, "shopify")
    assert secrets.get("shop-p", T0 + 2 * H, "shopify") == ["rotated", "from-shopify"]
    assert secrets.get("shop-p", T0 + 2 * H, "woocommerce") == ["from-woo"]


def test_arming_a_timer_twice_is_one_timer(ports: Subject) -> None:
    timers = ports.adapters.timers
    due = T0 + 3 * H
    fires = timers.arm(SHOP, "cart-1", 1, due)
    assert fires == due and timers.arm(SHOP, "cart-1", 1, due) == fires
    assert timers.arm(SHOP, "cart-1", 1, T0 - H) >= T0  # overdue: fires now, not in the past


def test_a_sent_email_gets_a_message_id_of_its_own(ports: Subject) -> None:
    mail = OutgoingEmail(
        sender_name="Atelier Test", sender_address="bonjour@atelier-test.example",
        recipient=EMAIL, subject="Votre panier", html="<p>x</p>", text="x", sent_at=T0,
    )  # fmt: skip
    first, second = ports.adapters.mailer.send(mail), ports.adapters.mailer.send(mail)
    assert first and second and first != second


def test_the_link_key_is_stable_bytes(ports: Subject) -> None:
    key = ports.adapters.link_key.get()
    assert isinstance(key, bytes) and len(key) >= 32 and ports.adapters.link_key.get() == key
