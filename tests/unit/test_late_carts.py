"""Late or backfilled carts (a webhook replayed days later, an import): never a burst of
emails. The rule: each step keeps at least the policy's gap after the previous email, and
nothing is sent past 8 days after abandonment (seed 001)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relance.core.cart.state import Cart, Reminder
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import Send, Stop, Wait, decide, due_at
from relance.core.sequence.policy import DELAY_PRESETS, LATEST_REMINDER, ON_TIME_TOLERANCE, ShopPolicy
from tests.conftest import T0
from tests.factories import cart_updated
from tests.unit.test_policy import cart_of

pytestmark = pytest.mark.unit


def run_timeline(cart: Cart, policy: ShopPolicy, first_fire: datetime) -> list[tuple[int, datetime]]:
    """Fire each step when due (never before it is first delivered), as the reminder does."""
    sent: list[tuple[int, datetime]] = []
    now = first_fire
    step = 1
    for _ in range(20):
        if step > policy.steps:
            break
        decision = decide(cart, policy, step, now, contact=ContactState(), shop_time_zone="UTC")
        if isinstance(decision, Wait):
            now = decision.until
            continue
        if isinstance(decision, Stop):
            break
        assert isinstance(decision, Send)
        sent.append((step, now))
        cart = cart.model_copy(
            update={"reminders": (*cart.reminders, Reminder(step=step, variant="A", claimed_at=now))}
        )
        now = max(now, due_at(cart, policy, step + 1) if step < policy.steps else now)
        step += 1
    return sent


@settings(max_examples=300, deadline=None)
@given(
    late_by=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=12)),
    preset=st.sampled_from(sorted(DELAY_PRESETS)),
)
def test_a_late_cart_never_gets_two_emails_closer_than_the_policys_gap(
    late_by: timedelta, preset: str
) -> None:
    policy = ShopPolicy.model_validate({"delay_preset": preset, "quiet_hours": None})
    cart = cart_of(cart_updated("e1", T0))
    sent = run_timeline(cart, policy, T0 + policy.delays[0] + late_by)
    for (step, at), (_, next_at) in itertools.pairwise(sent):
        gap = policy.delays[step] - policy.delays[step - 1]
        assert next_at - at >= gap - ON_TIME_TOLERANCE, (step, at, next_at)
    assert all(at <= cart.abandoned_at + LATEST_REMINDER for _, at in sent)


def test_a_cart_two_days_late_gets_step_one_now_and_the_rest_spaced() -> None:
    policy = ShopPolicy(quiet_hours=None)  # avanci: 3 h, J+1, J+3
    cart = cart_of(cart_updated("e1", T0))
    sent = run_timeline(cart, policy, T0 + timedelta(days=2))
    assert [step for step, _ in sent] == [1, 2, 3]
    assert sent[1][1] - sent[0][1] >= timedelta(hours=21) and sent[2][1] - sent[1][1] >= timedelta(days=2)
