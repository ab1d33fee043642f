"""``python -m tests.benchmarks.costs``: what a cart costs on AWS, counted, not assumed.

Drives the real handlers on moto through three lives of a cart and a batch, counting every
AWS call, DynamoDB capacity unit and log byte (tests/metering.py), and prints USD per 1,000
carts from the dated price table of ``relance.core.reporting.costs``:

- (a) abandoned: 10 cart updates, 3 emails, each delivered and opened (SES's events);
- (b) an order after email 2;
- (c) an order within the hour (no email);
- a batch of 100 new carts in one request.

It also prints the usage of one event and of one email, as counted in (a): the
``EVENT_USAGE`` and ``EMAIL_USAGE`` the report's cost column is built from.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator
from datetime import timedelta
from decimal import Decimal
from itertools import count
from typing import cast

os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "INFO")

from relance.core.reporting.costs import PRICES_AS_OF, Usage, usd, usd_by_line
from relance.services.shops import register
from tests.conftest import T0, World, _aws_world, demo_shop
from tests.factories import cart_updated, item, order_placed
from tests.faults.platform import Platform
from tests.metering import Meter, Part, metering

UPDATES = 10
END = T0 + timedelta(days=8)
_shops = count()


def _platform(world: World) -> Platform:
    shop = demo_shop(f"cost-shop-{next(_shops)}")
    return Platform(world, shop.shop_id, register(world.adapters, shop))


def _updates(platform: Platform, cart_id: str, address: str) -> None:
    """What a storefront posts as a customer fills a cart: one request per change."""
    for n in range(UPDATES):
        at = T0 + timedelta(minutes=2 * n)
        platform.world.clock.now = at
        items = [_item(k, quantity=1 + (n + k) % 3) for k in range(1 + n % 3)]
        platform.post([cart_updated(f"{cart_id}-e{n}", at, cart_id, items=items, email=address,
                                    first_name="Claire")])  # fmt: skip


def _item(k: int, quantity: int) -> dict[str, object]:
    """A line as a storefront sends it: name, picture, product page and category."""
    sku = f"TSHIRT-ORGANIC-{k:03d}-M"
    return {
        **item(sku, "24.50", quantity=quantity, name=f"T-shirt en coton bio, coloris n° {k}, taille M"),
        "image_url": f"https://cdn.atelier-test.example/products/{sku.lower()}/front-800x800.jpg",
        "product_url": f"https://atelier-test.example/products/t-shirt-coton-bio-{k}?variant=M",
        "category": "Vêtements > Hauts",
    }


def _ses_events(platform: Platform, address: str, already: set[str]) -> None:
    """SES's delivery and open events of each email not yet followed up (the template does not
    publish its send events: the reminder records its sends)."""
    world = platform.world
    for message in world.sent_messages():
        if f"To: {address}" not in message.raw_data or message.id in already:
            continue
        already.add(message.id)
        configuration_set = world.adapters.settings.SES_CONFIGURATION_SET
        at = world.clock.now.isoformat()
        mail = {"messageId": message.id, "timestamp": at, "destination": [address],
                "tags": {"ses:configuration-set": [configuration_set]}}  # fmt: skip
        for kind, name in (("Delivery", "delivery"), ("Open", "open")):
            platform.ses_event(f"Email {kind}", {"eventType": kind, "mail": mail, name: {"timestamp": at}})


def _emails_until(platform: Platform, address: str, until_email: int) -> None:
    seen: set[str] = set()
    while len(seen) < until_email:
        due = [at for at, _, _ in platform.schedules()]
        if not due:
            break
        platform.run_until(due[0])
        _ses_events(platform, address, seen)


def abandoned(platform: Platform) -> None:
    _updates(platform, "cart-a", "a@example.fr")
    _emails_until(platform, "a@example.fr", 3)
    platform.run_until(END)


def order_after_email_two(platform: Platform) -> None:
    _updates(platform, "cart-b", "b@example.fr")
    _emails_until(platform, "b@example.fr", 2)
    platform.post([order_placed("order-b", platform.world.clock.now, "cart-b", "73.50")])
    platform.run_until(END)


def order_within_the_hour(platform: Platform) -> None:
    _updates(platform, "cart-c", "c@example.fr")
    platform.world.clock.now += timedelta(minutes=30)
    platform.post([order_placed("order-c", platform.world.clock.now, "cart-c", "73.50")])
    platform.run_until(END)


def batch_of_new_carts(platform: Platform, size: int = 100) -> None:
    platform.world.clock.now = T0
    events = [cart_updated(f"new-{n}", T0, f"new-cart-{n}", email=f"n{n}@example.fr") for n in range(size)]
    platform.post(events)


LIVES: dict[str, tuple[Callable[[Platform], None], int]] = {
    "(a) abandoned, 3 emails": (abandoned, 1),
    "(b) order after email 2": (order_after_email_two, 1),
    "(c) order within the hour": (order_within_the_hour, 1),
    "batch of 100 new carts": (batch_of_new_carts, 100),
}


def measure(world: World, life: Callable[[Platform], None]) -> Meter:
    platform = _platform(world)
    with metering(Meter()) as meter:
        life(platform)
    return meter


def per_thousand(usage: Usage, carts: int, *, tracing: bool = False) -> Decimal:
    return usd(usage, tracing=tracing) * 1000 / carts


def _row(name: str, meter: Meter, carts: int) -> str:
    total: Part = meter.total()
    usage = meter.usage()
    services: dict[str, int] = {}
    for call, n in total.calls.items():
        services[call.split(".")[0]] = services.get(call.split(".")[0], 0) + n
    calls = ", ".join(f"{service} {n}" for service, n in sorted(services.items()))
    return (
        f"| {name} | {total.invocations} | {sum(total.calls.values())} ({calls}) | {total.read_units:g} | "
        f"{total.table_write_units:g} + {total.index_write_units:g} | {total.log_bytes / 1024:.1f} | "
        f"{total.own_cpu_seconds * 1000:.0f} | {usage.lambda_gb_seconds:.3f} | "
        f"{per_thousand(usage, carts):.3f} | {per_thousand(usage, carts, tracing=True):.3f} |"
    )


def main() -> int:
    generator = cast(Generator[World, None, None], _aws_world())
    world = next(generator)
    meters = {name: (measure(world, life), carts) for name, (life, carts) in LIVES.items()}
    print(f"Prices: us-east-1 list prices as of {PRICES_AS_OF}; Lambda duration estimated from measured CPU")
    print("| life | invocations | AWS calls | read units | write units (table + index) | log KiB | "
          "own CPU ms | GB-s | USD per 1,000 carts | with X-Ray |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, (meter, carts) in meters.items():
        print(_row(name, meter, carts))
    meter, _ = meters["(a) abandoned, 3 emails"]
    print("\n(a) by line of the bill, USD per 1,000 carts:")
    for line, amount in usd_by_line(meter.usage(), tracing=True).items():
        print(f"  {line:16} {amount * 1000:.4f}")
    if "-v" in sys.argv:
        for name, (each, _) in meters.items():
            total = each.total()
            runs = {function: part.invocations for function, part in each.parts.items()}
            print(f"\n{name}: invocations {runs}, calls {dict(sorted(total.calls.items()))}")
            print(f"  write units by item kind: {dict(sorted(total.write_units_by_kind.items()))}")
    event, email = meter.usage("api").per(UPDATES), meter.usage("reminder", "feedback").per(3)
    print(f"\nEVENT_USAGE = {event}\nEMAIL_USAGE = {email}")
    generator.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
