"""Each rule of the shop policy, one test each: consent, customers' other carts and orders,
unsubscribes, quiet hours, the pressure cap, step 3 only if opened, variants, incentives,
the manual-call flag, and a policy that refuses nonsense with the field named."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from relance.core.cart.state import Cart, GrantedIncentive, Reminder, apply_event, new_cart
from relance.core.sequence.assignment import HOLDOUT, pick_variant
from relance.core.sequence.contact import ContactState
from relance.core.sequence.decisions import Decision, Send, Stop, Wait, decide, offers_incentive
from relance.core.sequence.manual_call import needs_manual_call
from relance.core.sequence.options import QuietHours
from relance.core.sequence.policy import ShopPolicy
from tests.conftest import T0
from tests.factories import cart_updated, item, parsed

pytestmark = pytest.mark.unit
H = timedelta(hours=1)
DUE = T0 + 3 * H  # 13:00 in Paris, outside quiet hours
PARIS = "Europe/Paris"


def cart_of(price: str = "40.00", cart_id: str = "cart-1", **customer: Any) -> Cart:
    event = parsed(cart_updated(f"e-{cart_id}", T0, cart_id, items=[item(price=price)], **customer))
    cart = apply_event(new_cart("shop", event), event)
    assert cart is not None
    return cart


def at(
    now: datetime,
    cart: Cart | None = None,
    policy: ShopPolicy | None = None,
    step: int = 1,
    contact: ContactState | None = None,
) -> Decision:
    return decide(
        cart or cart_of(),
        policy or ShopPolicy(),
        step,
        now,
        contact=contact or ContactState(),
        shop_time_zone=PARIS,
    )


def with_steps(cart: Cart, *steps: int, opened: bool = False) -> Cart:
    feedback = {"open": T0} if opened else {}
    reminders = tuple(
        Reminder(step=s, variant="A", claimed_at=T0 + s * H, message_id=f"m{s}", feedback=feedback)
        for s in steps
    )
    return cart.model_copy(update={"reminders": reminders})


@pytest.mark.parametrize(
    ("orders_count", "consent", "expected"),
    [
        (0, None, Stop("no_consent")),
        (0, False, Stop("no_consent")),
        (0, True, Send(1, "A")),
        (2, None, Send(1, "A")),
        (2, False, Stop("no_consent")),
    ],
)
def test_eu_consent_prospects_need_a_yes_customers_must_not_have_said_no(
    orders_count: int, consent: bool | None, expected: Decision
) -> None:
    customer: dict[str, Any] = {"orders_count": orders_count}
    if consent is not None:
        customer["marketing_consent"] = consent
    assert at(DUE, cart_of(**customer), ShopPolicy(consent_mode="eu")) == expected


def test_consent_withdrawn_on_another_cart_wins_over_the_carts_own_answer() -> None:
    cart = cart_of(marketing_consent=True)
    assert at(DUE, cart, contact=ContactState(consent=False)) == Stop("no_consent")
    assert at(DUE, cart) == Send(1, "A")


def test_an_order_by_the_same_customer_after_abandonment_stops_every_cart() -> None:
    assert at(DUE, contact=ContactState(last_order_at=T0 + H)) == Stop("ordered_elsewhere")
    assert at(DUE, contact=ContactState(last_order_at=T0 - H)) == Send(1, "A"), "an older order does not"


def test_one_sequence_per_customer_a_newer_cart_supersedes() -> None:
    newer = ContactState(newest_cart_id="cart-2", newest_at=T0 + H)
    assert at(DUE, contact=newer) == Stop("superseded")
    assert at(DUE, contact=ContactState(newest_cart_id="cart-1", newest_at=T0 + H)) == Send(1, "A")
    assert at(DUE, contact=ContactState(newest_cart_id="cart-2", newest_at=T0 - H)) == Send(1, "A")


def test_unsubscribed_and_suppressed_addresses_stop() -> None:
    assert at(DUE, contact=ContactState(suppressed_reason="unsubscribed")) == Stop("unsubscribed")
    assert at(DUE, contact=ContactState(suppressed_reason="complaint")) == Stop("suppressed")


def test_quiet_hours_defer_to_the_next_allowed_minute_in_the_customers_zone() -> None:
    night = datetime.fromisoformat("2026-11-02T22:30:00+00:00")  # 23:30 in Paris
    assert at(night) == Wait(datetime.fromisoformat("2026-11-03T07:00:00+00:00"), "quiet_hours")
    # Same instant, but 17:30 in New York: allowed.
    assert at(night, cart_of(time_zone="America/New_York")) == Send(1, "A")
    early = datetime.fromisoformat("2026-11-03T06:00:00+00:00")  # 07:00 in Paris
    assert at(early) == Wait(datetime.fromisoformat("2026-11-03T07:00:00+00:00"), "quiet_hours")
    assert at(night, policy=ShopPolicy(quiet_hours=None)) == Send(1, "A")
    daytime = ShopPolicy(quiet_hours=QuietHours(start=time(12), end=time(14)))
    assert at(DUE, policy=daytime) == Wait(datetime.fromisoformat("2026-11-02T13:00:00+00:00"), "quiet_hours")


def test_quiet_hours_across_a_daylight_saving_change() -> None:
    # 2026-03-29: Paris jumps from 02:00 to 03:00; a 01:30-02:30 quiet window ends at 03:00 local.
    quiet = ShopPolicy(quiet_hours=QuietHours(start=time(1, 30), end=time(2, 30)))
    inside = datetime.fromisoformat("2026-03-29T00:45:00+00:00")  # 01:45 CET
    cart = cart_of().model_copy(update={"last_activity_at": inside - 4 * H})
    decision = at(inside, cart, quiet)
    assert isinstance(decision, Wait) and decision.reason == "quiet_hours"
    assert decision.until == datetime.fromisoformat("2026-03-29T01:00:00+00:00")  # 03:00 CEST


def test_the_pressure_cap_defers_until_there_is_room_or_stops() -> None:
    sent = ContactState(recent_emails=(T0 - 50 * H, T0 - 30 * H, T0 - 10 * H))
    capped = at(DUE, contact=sent)
    assert capped == Wait(T0 - 50 * H + timedelta(days=7), "pressure_cap")
    stop = ShopPolicy.model_validate({"pressure_cap": {"when_reached": "stop"}})
    assert at(DUE, policy=stop, contact=sent) == Stop("pressure_cap")
    old = ContactState(recent_emails=(T0 - 200 * H, T0 - 30 * H, T0 - 10 * H))
    assert at(DUE, contact=old) == Send(1, "A"), "emails older than the period do not count"


def test_a_deferral_past_seven_days_after_abandonment_is_a_stop() -> None:
    recent = ContactState(recent_emails=(T0 + 60 * H, T0 + 70 * H, T0 + 80 * H))
    assert at(T0 + 100 * H, with_steps(cart_of(), 1, 2), step=3, contact=recent) == Stop("pressure_cap")


def test_step_three_only_if_opened_when_the_shop_asks() -> None:
    policy = ShopPolicy(step3_only_if_opened=True)
    late = T0 + 73 * H
    assert at(late, with_steps(cart_of(), 1, 2), policy, step=3) == Stop("not_opened")
    assert at(late, with_steps(cart_of(), 1, 2, opened=True), policy, step=3) == Send(3, "A")
    assert at(late, with_steps(cart_of(), 1, 2), step=3) == Send(3, "A"), "off by default"


def test_variants_split_customers_by_weight_and_stay_stable() -> None:
    policy = ShopPolicy.model_validate(
        {"variants": [{"name": "A", "weight": 80}, {"name": "B", "weight": 20}]}
    )
    picks = [pick_variant("shop", f"c{n}@example.fr", policy.variants) for n in range(2000)]
    assert 0.15 < picks.count("B") / len(picks) < 0.25
    assert picks == [pick_variant("shop", f"c{n}@example.fr", policy.variants) for n in range(2000)]
    chosen = at(DUE, cart_of(email="c7@example.fr"), policy)
    assert chosen == Send(1, picks[7])


def test_the_holdout_group_is_decided_not_emailed_and_skips_the_pressure_cap() -> None:
    policy = ShopPolicy(holdout_percent=Decimal(50))
    held = next(
        cart
        for n in range(50)
        if isinstance(d := at(DUE, cart := cart_of(email=f"h{n}@example.fr"), policy), Send) and d.held_out
    )
    full = ContactState(recent_emails=(T0 - H, T0 - 2 * H, T0 - 3 * H))
    assert at(DUE, held, policy, contact=full) == Send(1, HOLDOUT)


INCENTIVE = ShopPolicy.model_validate(
    {"incentive": {"enabled": True, "source": "static", "static_code": "MERCI"}}
)


def test_an_incentive_only_in_the_last_step_for_the_named_segments_once_per_period() -> None:
    prospect, last = cart_of(), Send(3, "A")
    assert offers_incentive(prospect, INCENTIVE, last, contact=ContactState(), now=DUE)
    assert not offers_incentive(prospect, INCENTIVE, Send(2, "A"), contact=ContactState(), now=DUE)
    assert not offers_incentive(prospect, ShopPolicy(), last, contact=ContactState(), now=DUE), (
        "off by default"
    )
    assert not offers_incentive(cart_of(orders_count=4), INCENTIVE, last, contact=ContactState(), now=DUE)
    assert not offers_incentive(cart_of(price="500.00"), INCENTIVE, last, contact=ContactState(), now=DUE)
    recently = ContactState(last_incentive_at=DUE - timedelta(days=30))
    assert not offers_incentive(prospect, INCENTIVE, last, contact=recently, now=DUE)
    long_ago = ContactState(last_incentive_at=DUE - timedelta(days=91))
    assert offers_incentive(prospect, INCENTIVE, last, contact=long_ago, now=DUE)
    assert not offers_incentive(prospect, INCENTIVE, Send(3, HOLDOUT), contact=ContactState(), now=DUE)
    granted = GrantedIncentive(code="X", kind="free_shipping", value=Decimal(5), granted_at=T0)
    given = prospect.model_copy(update={"incentive": granted})
    assert not offers_incentive(given, INCENTIVE, last, contact=ContactState(), now=DUE)


def test_high_value_carts_are_flagged_once() -> None:
    policy = ShopPolicy(manual_call_value=Decimal(300))
    assert needs_manual_call(cart_of(price="450.00"), policy)
    assert not needs_manual_call(cart_of(price="120.00"), policy)
    assert not needs_manual_call(cart_of(price="450.00"), ShopPolicy()), "off by default"
    flagged = cart_of(price="450.00").model_copy(update={"flagged_at": T0})
    assert not needs_manual_call(flagged, policy)


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"quiet_hours": {"start": "08:00", "end": "08:00"}}, "quiet_hours"),
        ({"pressure_cap": {"max_emails": 0}}, "max_emails"),
        ({"incentive": {"enabled": True, "source": "static"}}, "static_code"),
        ({"incentive": {"kind": "percent", "value": "80"}}, "incentive.value"),
        ({"variants": [{"name": "A"}]}, "variants"),
        ({"variants": [{"name": "A"}, {"name": "A"}]}, "variants"),
        ({"variants": [{"name": "A"}, {"name": "B", "subjects": {"1": {"fr": "{prix}"}}}]}, "subjects"),
        ({"manual_call_value": "50"}, "manual_call_value"),
        ({"consent_mode": "gdpr"}, "consent_mode"),
        ({"holdout_percent": "70"}, "holdout_percent"),
        ({"unknown_rule": True}, "unknown_rule"),
    ],
)
def test_an_invalid_policy_is_refused_naming_the_field(policy: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        ShopPolicy.model_validate(policy)
    assert field in str(raised.value)
