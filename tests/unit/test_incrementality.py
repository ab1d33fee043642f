"""The hold-out comparison: natural rate, lift and its 95 % interval, incremental revenue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from relance.core.reporting.incrementality import Group, lift, lift_columns
from relance.core.sequence.assignment import in_holdout
from relance.core.sequence.policy import ShopPolicy

pytestmark = pytest.mark.unit


def test_lift_is_the_difference_of_rates_with_a_normal_95_percent_interval() -> None:
    measured = lift(Group(1000, 120, Decimal(12000)), Group(100, 5, Decimal(500)))
    assert measured is not None
    assert measured.natural_rate == pytest.approx(0.05)
    assert measured.incremental_rate == pytest.approx(0.07)
    half_width = 1.959964 * ((0.12 * 0.88 / 1000 + 0.05 * 0.95 / 100) ** 0.5)
    assert measured.ci_low == pytest.approx(0.07 - half_width, abs=1e-6)
    assert measured.ci_high == pytest.approx(0.07 + half_width, abs=1e-6)
    assert measured.incremental_revenue == Decimal(7000)  # (12 - 5) per recipient x 1000


def test_no_hold_out_no_claim() -> None:
    assert lift(Group(1000, 120, Decimal(1)), Group(0, 0, Decimal(0))) is None
    assert set(lift_columns(Group(10, 1, Decimal(1)), Group(0, 0, Decimal(0)), "EUR").values()) == {""}


def test_the_hold_out_draw_is_stable_per_customer_and_close_to_the_share() -> None:
    emails = [f"client{n}@example.fr" for n in range(20_000)]
    held = [e for e in emails if in_holdout("shop", e, Decimal(10))]
    assert 0.09 < len(held) / len(emails) < 0.11
    assert all(in_holdout("shop", e.upper(), Decimal(10)) for e in held[:50])  # case does not matter
    assert not any(in_holdout("shop", e, Decimal(0)) for e in emails[:100])
    other_shop = [e for e in emails if in_holdout("other", e, Decimal(10))]
    assert set(held) != set(other_shop)


def test_the_hold_out_share_is_bounded() -> None:
    with pytest.raises(ValueError, match="holdout_percent"):
        ShopPolicy(holdout_percent=Decimal(60))
