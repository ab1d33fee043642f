"""What Relance costs to run, from AWS list prices, per email sent and per event received.

Prices are USD, us-east-1 list prices (2025); other regions differ by a few percent.
Update them here, in one place; docs/kpis.md shows how each figure is built.
"""

from __future__ import annotations

from decimal import Decimal

from relance.core.cart.state import Cart
from relance.core.money import plain_amount

MILLION = Decimal(1_000_000)

SES_PER_EMAIL = Decimal("0.10") / 1000  # outbound email
HTTP_API_PER_REQUEST = Decimal("1.00") / MILLION  # first 300 M requests a month
LAMBDA_PER_REQUEST = Decimal("0.20") / MILLION
LAMBDA_PER_GB_SECOND = Decimal("0.0000133334")  # arm64
SCHEDULER_PER_INVOCATION = Decimal("1.00") / MILLION  # after 14 M free a month
DYNAMODB_PER_WRITE = Decimal("0.625") / MILLION  # on-demand write request unit
DYNAMODB_PER_READ = Decimal("0.125") / MILLION  # on-demand read request unit

# One function run: 256 MB for ~0.3 s (measured cold and warm runs are 0.1-0.8 s).
LAMBDA_RUN = LAMBDA_PER_REQUEST + LAMBDA_PER_GB_SECOND * Decimal("0.25") * Decimal("0.3")

# An event: the HTTP API, one api run, a cart read and write (the first timer is rarer).
PER_EVENT = HTTP_API_PER_REQUEST + LAMBDA_RUN + DYNAMODB_PER_READ + DYNAMODB_PER_WRITE
# An email: SES, the timer, one reminder run with ~4 reads and ~4 writes (claim, message
# index, stamp, next timer), and the feedback runs for its send and delivery events.
PER_EMAIL = (
    SES_PER_EMAIL + SCHEDULER_PER_INVOCATION + 3 * LAMBDA_RUN + 8 * DYNAMODB_PER_READ + 8 * DYNAMODB_PER_WRITE
)


def incentive_cost(cart: Cart) -> Decimal:
    """What the cart's discount cost the shop, in the cart's currency.

    Counted only when the order was recovered (a code only costs when used); assumed used
    then, so this is an upper bound: percent of the order, the amount off, or the shipping
    cost the shop gave as the free-delivery ``value``.
    """
    granted, order = cart.incentive, cart.order
    if granted is None or order is None or not order.recovered:
        return Decimal(0)
    if granted.kind == "percent":
        return order.amount * granted.value / 100
    return granted.value


def running_cost_usd(emails: int, events: int) -> Decimal:
    return PER_EMAIL * emails + PER_EVENT * events


def cost_columns(
    emails: int,
    events: int,
    revenue: Decimal,
    currency: str,
    *,
    margin_rate: Decimal | None,
    usd_rate: Decimal | None,
    incentives: Decimal = Decimal(0),
) -> dict[str, str]:
    """AWS cost (USD), incentive cost, and the net recovered margin when the shop gave both
    of its rates: margin on recovered revenue, less discounts, less AWS."""
    cost = running_cost_usd(emails, events)
    net = ""
    if margin_rate is not None and usd_rate is not None:
        net = plain_amount(revenue * margin_rate - incentives - cost * usd_rate, currency)
    return {
        "aws_cost_usd": str(cost.quantize(Decimal("0.000001"))),
        "incentive_cost": plain_amount(incentives, currency),
        "net_recovered_margin": net,
    }
