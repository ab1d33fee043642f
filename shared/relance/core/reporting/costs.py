"""What Relance costs to run on AWS: counted usage times a dated table of list prices.

``PER_EVENT`` and ``PER_EMAIL`` are what one event received and one email sent use, as
counted by ``python -m tests.benchmarks.costs`` (the real handlers on moto, every AWS call
and log byte counted; docs/benchmarks.md#cost); ``tests/integration/test_cost_model.py``
counts them again and fails when they drift. The report's ``aws_cost_usd`` is built from
them (docs/kpis.md).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from relance.core.cart.state import GrantedIncentive, RecordedOrder
from relance.core.money import plain_amount

MILLION = Decimal(1_000_000)
PRICES_AS_OF = date(2026, 12, 1)
"""us-east-1 list prices on that day, USD, past the free tiers; other regions differ by a few percent."""


@dataclass(frozen=True)
class Prices:
    api_request: Decimal = Decimal("1.00") / MILLION  # HTTP API, first 300 M a month
    lambda_request: Decimal = Decimal("0.20") / MILLION
    lambda_gb_second: Decimal = Decimal("0.0000133334")  # arm64
    dynamodb_write_unit: Decimal = Decimal("0.625") / MILLION  # on demand
    dynamodb_read_unit: Decimal = Decimal("0.125") / MILLION
    scheduler_invocation: Decimal = Decimal("1.00") / MILLION  # past 14 M free a month
    ses_email: Decimal = Decimal("0.10") / 1000
    eventbridge_event: Decimal = Decimal(0)  # SES's events on the default bus: AWS service events, free
    s3_request: Decimal = Decimal("0.005") / 1000  # PUT; GETs are a tenth of it
    log_gigabyte: Decimal = Decimal("0.50")  # CloudWatch Logs ingestion (standard class)
    kms_request: Decimal = Decimal("0.03") / 10_000  # SSM decrypting a SecureString
    secrets_manager_call: Decimal = Decimal("0.05") / 10_000
    xray_trace: Decimal = Decimal("5.00") / MILLION  # recorded; only with Tracing=Active
    metric_month: Decimal = Decimal("0.30")  # a custom metric series, first 10,000


PRICES = Prices()
GIGABYTE = Decimal(1024**3)


@dataclass(frozen=True)
class Usage:
    """What some work uses on AWS, in the units AWS bills."""

    api_requests: float = 0
    lambda_invocations: float = 0
    lambda_gb_seconds: float = 0
    dynamodb_read_units: float = 0
    dynamodb_write_units: float = 0
    scheduler_invocations: float = 0
    ses_emails: float = 0
    s3_requests: float = 0
    log_bytes: float = 0
    kms_requests: float = 0
    secrets_manager_calls: float = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def per(self, count: float) -> Usage:
        return Usage(**{f.name: getattr(self, f.name) / count for f in fields(self)})


def usd_by_line(usage: Usage, *, tracing: bool = False, prices: Prices = PRICES) -> dict[str, Decimal]:
    """USD of ``usage``, by line of the AWS bill."""

    def d(value: float) -> Decimal:
        return Decimal(str(value))

    lines = {
        "API Gateway": d(usage.api_requests) * prices.api_request,
        "Lambda": d(usage.lambda_invocations) * prices.lambda_request
        + d(usage.lambda_gb_seconds) * prices.lambda_gb_second,
        "DynamoDB": d(usage.dynamodb_read_units) * prices.dynamodb_read_unit
        + d(usage.dynamodb_write_units) * prices.dynamodb_write_unit,
        "Scheduler": d(usage.scheduler_invocations) * prices.scheduler_invocation,
        "SES": d(usage.ses_emails) * prices.ses_email,
        "EventBridge": Decimal(0) * prices.eventbridge_event,
        "S3": d(usage.s3_requests) * prices.s3_request,
        "CloudWatch Logs": d(usage.log_bytes) / GIGABYTE * prices.log_gigabyte,
        "KMS": d(usage.kms_requests) * prices.kms_request,
        "Secrets Manager": d(usage.secrets_manager_calls) * prices.secrets_manager_call,
    }
    if tracing:
        lines["X-Ray"] = d(usage.lambda_invocations) * prices.xray_trace
    return lines


def usd(usage: Usage, *, tracing: bool = False) -> Decimal:
    return sum(usd_by_line(usage, tracing=tracing).values(), Decimal(0))


# Counted by `python -m tests.benchmarks.costs` on 2026-12-02 (lifecycle a: 10 cart updates,
# then 3 emails, each delivered and opened); docs/benchmarks.md#cost. Lambda's GB-seconds are
# estimated from the CPU measured there and typical AWS answer times (tests/metering.py).
EVENT_USAGE = Usage(
    api_requests=1,
    lambda_invocations=1,
    lambda_gb_seconds=0.021,
    dynamodb_read_units=2.5,
    dynamodb_write_units=1.3,
    log_bytes=1510,
    kms_requests=0.1,
)
"""One cart event posted by the shop (the first of a cart also arms its timer)."""
EMAIL_USAGE = Usage(
    lambda_invocations=3.33,
    lambda_gb_seconds=0.132,
    dynamodb_read_units=11.83,
    dynamodb_write_units=8.0,
    scheduler_invocations=1.33,
    ses_emails=1,
    log_bytes=3480,
    secrets_manager_calls=0.33,
)
"""One email: its timer(s), the reminder run, and the feedback runs for its delivery and open."""
PER_EVENT = usd(EVENT_USAGE)
PER_EMAIL = usd(EMAIL_USAGE)


def incentive_cost(granted: GrantedIncentive | None, order: RecordedOrder | None) -> Decimal:
    """What a cart's discount cost the shop, in the cart's currency.

    Counted only when the order was recovered (a code only costs when used); assumed used
    then, so this is an upper bound: percent of the order, the amount off, or the shipping
    cost the shop gave as the free-delivery ``value``.
    """
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
