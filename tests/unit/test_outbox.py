"""The local outbox keeps every email SES accepted: two in the same minute are two files."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.local.outbox import OutboxMailer
from relance.ports import OutgoingEmail
from tests.conftest import T0

pytestmark = pytest.mark.unit


class _Ses:
    ids = itertools.count()
    exceptions = boto3.client("sesv2", region_name="eu-west-3").exceptions  # never called

    def send_email(self, **_: Any) -> dict[str, str]:
        return {"MessageId": f"0100018c-{next(self.ids):04d}-local"}


def test_two_emails_in_the_same_minute_to_the_same_customer_are_both_kept(tmp_path: Path) -> None:
    mailer = OutboxMailer(_Ses(), "set", tmp_path, lambda: T0)
    mail = OutgoingEmail(sender_name="S", sender_address="s@shop.example", recipient="c@example.fr",
                         subject="x", html="<p>x</p>", text="x", sent_at=T0,
                         tags={"step": "1", "language": "fr"})  # fmt: skip
    mailer.send(mail)
    mailer.send(mail)
    assert len(list(tmp_path.glob("*.eml"))) == 2
