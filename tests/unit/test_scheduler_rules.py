"""AWS Scheduler rules that moto does not enforce, enforced by the adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relance.adapters.scheduler import SCHEDULE_NAME, at_expression, fire_time, schedule_name
from tests.conftest import T0

pytestmark = pytest.mark.unit


@given(st.text(min_size=1, max_size=600), st.integers(1, 3))
def test_schedule_names_are_valid_whatever_the_cart_id(cart_id: str, step: int) -> None:
    name = schedule_name("shop", cart_id, step, T0)
    assert SCHEDULE_NAME.match(name) and len(name) <= 64


def test_names_differ_by_cart_step_and_time_and_repeat_for_the_same_timer() -> None:
    base = schedule_name("shop", "c", 1, T0)
    assert base == schedule_name("shop", "c", 1, T0)
    others = {
        schedule_name("shop", "d", 1, T0),
        schedule_name("shop", "c", 2, T0),
        schedule_name("shop", "c", 1, T0 + timedelta(minutes=1)),
        schedule_name("other", "c", 1, T0),
    }
    assert base not in others and len(others) == 4


def test_fire_time_rounds_up_to_the_minute_and_never_fires_early() -> None:
    due = T0 + timedelta(hours=3, seconds=10)
    assert fire_time(due, T0) == T0 + timedelta(hours=3, minutes=1)
    assert fire_time(T0 + timedelta(hours=3), T0) == T0 + timedelta(hours=3)


def test_a_due_time_in_the_past_is_clamped_to_a_minute_ahead() -> None:
    now = T0 + timedelta(seconds=30)
    assert fire_time(T0 - timedelta(days=1), now) == T0 + timedelta(minutes=2)
    assert fire_time(T0 - timedelta(days=1), now) - now >= timedelta(minutes=1)


def test_at_expression_is_utc_without_offset() -> None:
    paris = datetime(2026, 11, 2, 10, 5, tzinfo=UTC).astimezone()
    assert at_expression(paris) == "at(2026-11-02T10:05:00)"
