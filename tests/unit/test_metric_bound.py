"""The rule every published metric keeps (relance.telemetry), as the suite-wide check reads it."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

from tests import metric_bound
from tests.conftest import World, load_event
from tests.metric_bound import Series, problems, series_of

SUMMED: Series = ("Relance", "RemindersSent", (("service", "reminder"),))
PER_SHOP: Series = ("Relance", "EventsAccepted", (("service", "api"), ("shop", "atelier")))


def test_the_fixed_names_summed_over_shops_and_the_one_per_shop_metric_pass() -> None:
    assert problems([SUMMED, PER_SHOP, ("Relance", "EventsAccepted", (("service", "api"),))]) == []


def test_a_name_built_at_run_time_a_reason_dimension_or_a_shop_series_of_another_metric_fail() -> None:
    found = problems(
        [
            ("Relance", "EventsRejected.currency", (("service", "api"),)),
            ("Relance", "RemindersStopped", (("reason", "ordered"), ("service", "reminder"))),
            ("Relance", "RemindersSent", (("service", "reminder"), ("shop", "atelier"))),
            ("Other", "RemindersSent", (("service", "reminder"),)),
        ]
    )
    assert len(found) == 4
    assert any("EventsRejected.currency: not a name" in problem for problem in found)
    assert any("RemindersStopped: dimensions ['reason', 'service']" in problem for problem in found)
    assert any("RemindersSent: published per shop" in problem for problem in found)
    assert any("namespace 'Other'" in problem for problem in found)


def test_a_shop_with_more_metrics_of_its_own_than_the_bound_fails() -> None:
    own = [("Relance", name, (("service", "api"), ("shop", "atelier"))) for name in ("A", "B", "C")]
    assert any("shop atelier: 3 metrics of its own" in problem for problem in problems(own))


def test_an_emf_line_reads_back_into_the_series_it_creates() -> None:
    provider = AmazonCloudWatchEMFProvider(namespace="Relance", service="api")
    provider.add_dimension(name="shop", value="atelier")
    provider.add_metric(name="EventsAccepted", unit=MetricUnit.Count, value=3)
    provider.add_metadata(key="cart", value="not a dimension")
    assert list(series_of(dict(provider.serialize_metric_set()))) == [PER_SHOP]


def test_the_suite_records_what_the_handlers_flush(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metric_bound, "SEEN", set())
    world.post([load_event("cart_updated.json")])
    names = {(name, dict(dimensions).get("shop")) for _, name, dimensions in metric_bound.SEEN}
    assert {("EventsAccepted", "atelier-test"), ("EventsAccepted", None), ("TimersArmed", None)} <= names
