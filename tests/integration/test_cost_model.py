"""The usage the report's cost column is built from is the usage counted on the real handlers.

``relance.core.reporting.costs`` holds what one event and one email use, as counted by
``python -m tests.benchmarks.costs``; this counts lifecycle (a) again and fails when the code
has changed what it calls or writes (then run the benchmark and update the constants). The
GB-seconds are left out: they follow this machine's CPU.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest

from relance.core.reporting.costs import EMAIL_USAGE, EVENT_USAGE, Usage, usd
from tests.benchmarks.costs import UPDATES, abandoned, measure
from tests.conftest import World

pytestmark = pytest.mark.integration
EMAILS = 3


def _drift(counted: Usage, declared: Usage) -> dict[str, tuple[float, float]]:
    counted_fields, declared_fields = asdict(counted), asdict(declared)
    return {
        name: (round(counted_fields[name], 3), declared_fields[name])
        for name in counted_fields
        if name != "lambda_gb_seconds"
        and abs(counted_fields[name] - declared_fields[name]) > 0.02 * max(1.0, declared_fields[name])
    }


def test_an_event_and_an_email_use_what_the_cost_model_says(world: World) -> None:
    meter = measure(world, abandoned)
    assert _drift(meter.usage("api").per(UPDATES), EVENT_USAGE) == {}
    assert _drift(meter.usage("reminder", "feedback").per(EMAILS), EMAIL_USAGE) == {}


def test_an_abandoned_cart_with_three_emails_costs_at_most_40_cents_a_thousand(world: World) -> None:
    meter = measure(world, abandoned)
    usage = meter.usage()
    assert usage.dynamodb_write_units <= 40  # table and index, all in
    assert usd(usage) * 1000 <= 0.40


def test_the_drift_check_names_what_changed() -> None:
    assert _drift(Usage(dynamodb_write_units=1.3), Usage(dynamodb_write_units=1.3)) == {}
    assert _drift(Usage(dynamodb_write_units=2.6), Usage(dynamodb_write_units=1.3)) == {
        "dynamodb_write_units": (2.6, 1.3)
    }
