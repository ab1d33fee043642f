"""The one fixed set of metrics Relance publishes, and how each one is published.

Every distinct metric name and set of dimension values is a billed CloudWatch series
($0.30 a month). So names are members of ``Metric``, never built at run time; every metric
is summed over all shops (dimension ``service`` only), except the ``PER_SHOP`` few that a
per-shop alarm needs. The shop and the detail (steps, reasons, fields) go to the EMF line's
properties and to the structured logs, where Logs Insights answers per-shop questions for
a fraction of a cent (docs/operations.md#questions-per-shop).
"""

from __future__ import annotations

from enum import StrEnum

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider


class Metric(StrEnum):
    # api
    EVENTS_ACCEPTED = "EventsAccepted"
    EVENTS_DUPLICATE = "EventsDuplicate"
    EVENTS_REJECTED = "EventsRejected"
    TIMERS_ARMED = "TimersArmed"
    RECOVERIES = "Recoveries"
    WEBHOOKS = "Webhooks"
    REQUESTS_REJECTED = "RequestsRejected"
    REQUESTS_UNAUTHORIZED = "RequestsUnauthorized"
    REQUESTS_FORBIDDEN = "RequestsForbidden"
    REQUESTS_CONFLICTING = "RequestsConflicting"
    SECRET_STORE_UNAVAILABLE = "SecretStoreUnavailable"  # noqa: S105 (a metric name)
    LINK_CLICKS = "LinkClicks"
    UNSUBSCRIBES = "Unsubscribes"
    # reminder
    REMINDERS_SENT = "RemindersSent"
    REMINDERS_STOPPED = "RemindersStopped"
    REMINDERS_HELD_OUT = "RemindersHeldOut"
    REMINDERS_DEFERRED = "RemindersDeferred"
    REMINDERS_OUTCOME_UNKNOWN = "RemindersOutcomeUnknown"
    SES_ERRORS = "SesErrors"
    INCENTIVES_GIVEN = "IncentivesGiven"
    MANUAL_CALLS_FLAGGED = "ManualCallsFlagged"
    SHOP_TEMPLATE_FALLBACKS = "ShopTemplateFallbacks"
    # feedback
    SES_EVENTS = "SesEvents"
    ADDRESSES_SUPPRESSED = "AddressesSuppressed"


# What the per-shop "no events" alarm watches (infra/shops.py). At most MAX_PER_SHOP names.
PER_SHOP: frozenset[Metric] = frozenset({Metric.EVENTS_ACCEPTED})
MAX_PER_SHOP = 2
SHOP_KEY = "shop"


def count(metrics: Metrics, metric: Metric, value: float = 1) -> None:
    """Add to ``metric`` in the function's metric set (flushed when the invocation ends).

    Zeros are not published: a series is billed for the hours it receives data, so the rare
    ones (conflicts, SES errors...) cost nothing in a month they never happen."""
    if value:
        metrics.add_metric(name=metric.value, unit=MetricUnit.Count, value=value)


def about_shop(metrics: Metrics, shop_id: str) -> None:
    """Name the shop on the invocation's EMF line, as a property: searchable, never a series."""
    metrics.add_metadata(key=SHOP_KEY, value=shop_id)


def count_for_shop(metrics: Metrics, metric: Metric, shop_id: str, value: float) -> None:
    """Add to ``metric`` summed over shops, and publish it once more with the shop as dimension."""
    if metric not in PER_SHOP:
        raise ValueError(f"{metric} is not published per shop")
    if not value:
        return  # the alarm takes no data as it takes a zero: silence
    count(metrics, metric, value)
    # A metric set of its own: the function's set has one dimension set for all its metrics.
    own = AmazonCloudWatchEMFProvider(namespace=metrics.namespace, service=metrics.service)
    own.add_dimension(name=SHOP_KEY, value=shop_id)
    own.add_metric(name=metric.value, unit=MetricUnit.Count, value=value)
    own.flush_metrics()
