"""How the adapters and the reminder read AWS's errors: what may be retried, what is final,
and what is ambiguous (the email may be out): never a second email."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from relance.adapters.errors import MailFailed, MailOutcomeUnknown, MailRejected, MailThrottled, TimerError
from relance.adapters.mailer import SesMailer
from relance.ports import OutgoingEmail
from tests.conftest import T0, World, load_event

pytestmark = pytest.mark.integration


# A real client, never called: its modelled exception classes, as botocore raises them.
SES: Any = boto3.client("sesv2", region_name="eu-west-3")


class _Raising:
    exceptions = SES.exceptions

    def __init__(self, error: Exception) -> None:
        self.error = error

    def send_email(self, **_: Any) -> Any:
        raise self.error


def _ses_raising(error: Exception) -> Any:
    return _Raising(error)  # stands in for an SESV2Client


def _client_error(code: str, status: int = 400) -> ClientError:
    answer: Any = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    modelled: Any = SES.exceptions.from_code(code)
    error: ClientError = modelled(answer, "SendEmail")
    return error


MAIL = OutgoingEmail(sender_name="S", sender_address="s@shop.example", recipient="c@example.fr",
                     subject="x", html="<p>x</p>", text="x", sent_at=T0)  # fmt: skip


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_client_error("TooManyRequestsException"), MailThrottled),
        (_client_error("LimitExceededException"), MailThrottled),
        (_client_error("SendingPausedException"), MailThrottled),
        (_client_error("AccountSuspendedException"), MailThrottled),
        (_client_error("ThrottlingException"), MailThrottled),  # AWS-wide, not modelled by SES
        (_client_error("InternalFailure", 500), MailFailed),
        (_client_error("SomethingNew", 503), MailFailed),
        (_client_error("MessageRejected"), MailRejected),
        (_client_error("MailFromDomainNotVerifiedException"), MailRejected),
        (_client_error("SomethingNew"), MailRejected),
        (EndpointConnectionError(endpoint_url="https://email"), MailFailed),
        (ReadTimeoutError(endpoint_url="https://email"), MailOutcomeUnknown),
    ],
)
def test_ses_errors_are_classified_by_what_a_retry_can_change(error: Exception, expected: type) -> None:
    with pytest.raises(expected):
        SesMailer(_ses_raising(error), "set").send(MAIL)


def test_a_paused_account_is_retried_an_hour_later_not_dropped() -> None:
    with pytest.raises(MailThrottled) as paused:
        SesMailer(_ses_raising(_client_error("SendingPausedException")), "set").send(MAIL)
    assert paused.value.retry_after_seconds == 3600


def test_a_schedule_conflict_is_success_only_for_the_same_timer(world: World) -> None:
    timers = world.adapters.timers
    due = T0 + timedelta(hours=3)
    timers.arm("atelier-test", "cart-1", 1, due)
    timers.arm("atelier-test", "cart-1", 1, due)  # the same timer again: fine
    (existing,) = world.schedules()
    scheduler = world.session.client("scheduler")
    scheduler.delete_schedule(Name=existing["Name"], GroupName=existing["GroupName"])
    scheduler.create_schedule(
        Name=existing["Name"], GroupName=existing["GroupName"], ScheduleExpression="at(2026-11-02T12:00:00)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={**existing["Target"], "Input": '{"shop_id": "another", "cart_id": "x", "step": 1}'},
    )  # fmt: skip
    with pytest.raises(TimerError):
        timers.arm("atelier-test", "cart-1", 1, due)


def _due_cart(world: World) -> None:
    world.post([load_event("cart_updated.json")])
    world.clock.advance(hours=3)


def test_a_lost_ses_answer_counts_the_step_and_never_sends_it_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _due_cart(world)
    mailer = world.adapters.mailer
    real = mailer.send

    def sent_then_lost(mail: OutgoingEmail) -> str:
        real(mail)
        raise MailOutcomeUnknown("ReadTimeoutError")

    monkeypatch.setattr(mailer, "send", sent_then_lost)
    outcome = world.fire("cart-1", 1)
    monkeypatch.undo()
    assert outcome["action"] == "sent" and outcome["reason"] == "outcome_unknown"
    assert world.fire("cart-1", 1)["reason"] == "already_sent"  # the timer delivered again
    assert len(world.sent_messages()) == 1
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1).unconfirmed  # type: ignore[union-attr]
    assert any(json_step(s) == 2 for s in world.schedules())  # the sequence goes on


def json_step(schedule: dict[str, Any]) -> int:
    import json

    return int(json.loads(schedule["Target"]["Input"])["step"])


def test_an_ses_failure_before_sending_gives_the_step_back_and_the_retry_sends_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _due_cart(world)

    def failing(mail: OutgoingEmail) -> str:
        raise MailFailed("InternalFailure")

    monkeypatch.setattr(world.adapters.mailer, "send", failing)
    with pytest.raises(MailFailed):
        world.fire("cart-1", 1)
    monkeypatch.undo()
    assert world.fire("cart-1", 1)["action"] == "sent"  # Lambda's retry
    assert len(world.sent_messages()) == 1


def test_an_order_stored_after_the_claim_stops_the_email(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _due_cart(world)
    carts = world.adapters.carts
    real_save = carts.save

    def save_then_order_elsewhere(cart: Any, retention_days: int) -> Any:
        saved = real_save(cart, retention_days)
        if cart.reminders:  # the claim: the customer orders on another device right now
            world.adapters.contacts.note_order("atelier-test", "claire@example.fr", world.clock())
        return saved

    monkeypatch.setattr(carts, "save", save_then_order_elsewhere)
    outcome = world.fire("cart-1", 1)
    assert outcome["action"] == "stopped" and outcome["reason"] == "ordered_elsewhere"
    assert world.sent_messages() == []
    cart = world.adapters.carts.get("atelier-test", "cart-1")
    assert cart is not None and cart.reminder(1) is None  # the claim was given back
